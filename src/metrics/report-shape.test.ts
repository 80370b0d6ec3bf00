// Shaping rows into a report: groups summed in TypeScript (provider rows arrive per domain) must give the
// same figures whatever order an engine returns the rows in, down to the last bit of revenue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Row } from '../store/store.js';
import { EMAIL_COUNT_COLUMNS } from './count-columns.js';
import { shapeEmailReport } from './report-shape.js';

function domainRow(key: string, revenue: number, delivered: number): Row {
  const row: Row = { key };
  for (const c of EMAIL_COUNT_COLUMNS) row[c] = 0;
  return { ...row, sent: delivered, delivered, conversions: 1, revenue };
}

// Revenue as the SQL gives it: whole ten-thousandths summed, divided once (fixed4). Adding these floats in
// one order or another differs in the last bit (184.75 against 184.75000000000003 was seen).
const cases: Array<{ name: string; rows: Row[] }> = [
  {
    name: 'gmail domains and others',
    rows: [domainRow('gmail.com', 49.9, 10), domainRow('googlemail.com', 84.95, 7), domainRow('yahoo.com', 49.9, 3), domainRow('example.org', 0.1, 1)],
  },
  // (0.1 + 0.2) + 0.7 and (0.7 + 0.2) + 0.1 differ as doubles: three domains of one provider.
  {
    name: 'tenths that do not add up in binary',
    rows: [domainRow('gmail.com', 1, 1), domainRow('outlook.com', 0.1, 1), domainRow('hotmail.com', 0.2, 1), domainRow('live.com', 0.7, 1)],
  },
];

for (const c of cases) {
  test(`provider groups sum revenue exactly in any row order: ${c.name}`, () => {
    const plan = {
      kind: 'email' as const,
      query: { campaign: 'x', by: 'provider' as const, window: null, control: null },
      grouping: 'provider' as const,
      source: 'events' as const,
    };
    const forward = shapeEmailReport(plan, c.rows, 0, null);
    const backward = shapeEmailReport(plan, [...c.rows].reverse(), 0, null);
    assert.deepEqual(forward, backward);
    const exact = c.rows.reduce((a, r) => a + Math.round(Number(r.revenue) * 10_000), 0) / 10_000;
    assert.equal(forward.totals.revenue, exact);
    const gmail = forward.groups.find((g) => g.key === 'gmail');
    assert.ok(gmail, JSON.stringify(forward.groups.map((g) => g.key)));
  });
}
