// Tests for the bulk campaign specs behind bench/gen-events.mjs: every kind yields schema-valid events,
// ids are unique across campaigns, and campaigns land near their event budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvent } from '../events/parse-event.js';
import { benchCampaign, benchRecords } from './bench-specs.js';
import { createRng } from './rng.js';

test('bench campaigns of every kind produce valid, uniquely identified events near their budget', () => {
  const root = createRng(1);
  const ids = new Set<string>();
  const kinds = new Set<string>();
  let total = 0;
  const campaigns = 60;
  const budget = 2000;
  for (let i = 0; i < campaigns; i++) {
    const rng = root.fork(`campaign-${i}`);
    const c = benchCampaign(i, rng, Date.UTC(2026, 0, 1), budget);
    kinds.add(c.kind);
    for (const records of benchRecords(c, rng)) {
      for (const r of records) {
        const p = parseEvent(r.event);
        assert.ok(p.ok, p.ok ? '' : `${r.event.id}: ${p.reason}`);
        assert.equal(r.truth !== undefined, r.event.type === 'open' || r.event.type === 'click');
        assert.ok(!ids.has(r.event.id), `duplicate id ${r.event.id}`);
        ids.add(r.event.id);
        total++;
      }
    }
  }
  assert.deepEqual([...kinds].sort(), ['ads', 'lifecycle', 'newsletter', 'outreach', 'promo']);
  const ratio = total / (campaigns * budget);
  assert.ok(ratio > 0.7 && ratio < 1.3, `events per budget ${ratio}`);
});
