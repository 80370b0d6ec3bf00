// The verdict_check schema against what verdict-check.ts computes on a real DuckDB file: the answer
// parses, every provider class included, and the inferred type is the computed one (checked by tsc), so
// the schema the API description shows cannot drift from the code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ingestEvents } from '../ingest/ingest-events.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { reclassify } from './reclassify.js';
import { verdictCheck } from './verdict-check.js';
import { type VerdictCheck, verdictCheckSchema } from './verdict-check-schema.js';

// Compile-time: each type is assignable to the other, so a field added, removed or retyped on either
// side stops the build.
type Computed = Awaited<ReturnType<typeof verdictCheck>>;
const sameShape: [Computed extends VerdictCheck ? true : false, VerdictCheck extends Computed ? true : false] = [true, true];

const dir = mkdtempSync(join(tmpdir(), 'clickrate-vcheck-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const iso = (min: number) => new Date(Date.parse('2026-06-01T09:00:00Z') + min * 60_000).toISOString();
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36';

test('verdict_check as computed parses with its schema; a drifted answer does not', async () => {
  assert.deepEqual(sameShape, [true, true]);
  const store = await openDuckDbStore(join(dir, 'v.duckdb'));
  try {
    await ingestEvents(store, [
      { id: 's1', type: 'sent', ts: iso(0), message: 'a', campaign: 'check', recipient: 'a@example.com' },
      { id: 'd1', type: 'delivered', ts: iso(1), message: 'a' },
      { id: 'o1', type: 'open', ts: iso(60), message: 'a', ip: '73.1.2.3', user_agent: CHROME },
      { id: 'c1', type: 'click', ts: iso(61), message: 'a', url: 'https://shop.example.com/a', ip: '73.1.2.3', user_agent: CHROME },
      { id: 'r1', type: 'reply', ts: iso(120), message: 'a' },
    ]);
    await reclassify(store, { all: true });
    const v = await verdictCheck(store, 'check');
    assert.deepEqual(verdictCheckSchema.parse(v), v);
    assert.equal(v.converting_clicks_human.n, 1, 'the check saw the click before the reply');
    for (const [what, bad] of [
      ['a provider class missing', { ...v, opens_machine_by_provider: { ...v.opens_machine_by_provider, cloud: undefined } }],
      ['an unknown provider class', { ...v, opens_machine_by_provider: { ...v.opens_machine_by_provider, fax: { n: 0, k: 0, share: null } } }],
      ['a count below zero', { ...v, converting_clicks_human: { n: -1, k: 0, share: null } }],
      ['a field not in the shape', { ...v, extra: 1 }],
    ] as const) {
      assert.equal(verdictCheckSchema.safeParse(bad).success, false, what);
    }
  } finally {
    await store.close();
  }
});
