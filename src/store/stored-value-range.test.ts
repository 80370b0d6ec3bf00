// A store written before entrances refused out-of-range values may hold one: it must still open and
// report, on every engine, with that value counted as no value (SqlDialect.fixed4). Values are put in
// through an ingest session directly, as an older build did, since every entrance now refuses them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runReport } from '../metrics/run-report.js';
import { reclassify } from '../classify/reclassify.js';
import { openClickHouseStore } from './clickhouse/clickhouse-store.js';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { at, sends } from '../../test/support/conformance-cases.js';
import { openDuckDbStore } from './duckdb/duckdb-store.js';
import { toIngest } from '../../test/support/ingest-raw.js';
import type { Store } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-value-range-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local = useLocalClickHouse();

/** Two conversions of 19.99 and the values no entrance takes any more. */
function events() {
  const valid = toIngest([...sends(3, 'big-values'), ...[0, 1].map((i) => ({ type: 'conversion', ts: at(30), message: `m${i}`, value: 19.99 }))]);
  const poison = [1e15, -1e308, 9.3e14].map((value, i) => ({
    ...valid[0]!,
    id: `poison-${i}`,
    type: 'conversion' as const,
    ts: Date.parse(at(40)),
    message: 'm2',
    campaign: null,
    recipient: null,
    value,
  }));
  return [...valid, ...poison];
}

async function check(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  const session = await store.beginIngest();
  await session.append(events());
  await session.commit();
  await reclassify(store);
  await store.close();
  // Opening again refreshes DuckDB's per-message facts: that build failed on such a value before.
  const again = await open();
  try {
    const report = await runReport(again, { campaign: 'big-values' });
    assert.equal(report.totals.conversions, 5, 'every conversion is counted');
    assert.equal(report.totals.revenue, 39.98, 'the out-of-range values add nothing');
  } finally {
    await again.close();
  }
}

test('[duckdb] a stored value beyond ±1e12 neither bricks the file nor skews revenue', () => check(() => openDuckDbStore(join(dir, 'v.duckdb'))));

test('[clickhouse] a stored value beyond ±1e12 adds nothing to revenue', () => check(() => openClickHouseStore(local.server.url('values'))));
