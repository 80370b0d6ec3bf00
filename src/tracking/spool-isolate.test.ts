// The search for records the store refuses, on a real spool and a real DuckDB store: poison records are
// found by bisection and set aside, everything else is stored once, and a store that refuses everything
// (closed) or a poison record with nothing after it to prove the store works sets nothing aside.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeEvent } from '../events/make-event.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { Spool, type SpoolEvent } from './spool.js';
import { ClickrateError } from '../errors.js';
import { ingestRange } from './spool-ingest.js';
import { storeIsolating, type StoreAttempt } from './spool-isolate.js';

const good = (id: string): SpoolEvent =>
  makeEvent({ id, type: 'click', ts: 1_772_000_000_000, message: 'm1', url: 'https://shop.example.com/', method: 'GET' });
// TRICKY: the reader takes any numeric ts (it checks no range), and DuckDB refuses this one at commit
// ("Could not convert … to INT64"): a record only the store can find fault with.
const poison = (id: string): SpoolEvent => ({ ...good(id), ts: 1e20 });
const lines = (records: SpoolEvent[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => good(`${prefix}${i}`));

interface Case {
  name: string;
  /** Each inner list goes into a segment of its own. */
  segments: SpoolEvent[][];
  /** The first drain fails (nothing proves the store works), and nothing is set aside. */
  firstFails?: boolean;
  /** Appended after a first drain that failed. */
  later?: SpoolEvent[];
  closeStore?: boolean;
  dead: string[];
}

const cases: Case[] = [
  { name: 'one poison among 200', segments: [[...range('a', 100), poison('p1'), ...range('b', 100)]], dead: ['p1'] },
  {
    name: 'poisons at both ends and in the middle',
    segments: [[poison('p0'), ...range('a', 60), poison('p1'), ...range('b', 60), poison('p2')]],
    dead: ['p0', 'p1', 'p2'],
  },
  {
    name: "a segment of poison only: the next segment's records are the witness",
    segments: [[poison('p0'), poison('p1')], range('c', 10)],
    dead: ['p0', 'p1'],
  },
  {
    name: 'a poison with nothing after it waits, until a record arrives to prove the store works',
    segments: [[poison('p0')]],
    firstFails: true,
    later: range('c', 3),
    dead: ['p0'],
  },
  {
    name: 'a store that refuses everything (closed) sets nothing aside',
    segments: [range('a', 20), range('b', 5)],
    closeStore: true,
    firstFails: true,
    dead: [],
  },
];

for (const c of cases) {
  test(`isolation: ${c.name}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickrate-isolate-'));
    let store: Store | null = await openDuckDbStore(join(dir, 'db.duckdb'));
    // segmentBytes 1: every append starts a segment, so each list is one segment.
    const spool = Spool.open({ dir: join(dir, 'spool'), segmentBytes: 1 });
    try {
      for (const seg of c.segments) spool.appendLines(lines(seg), seg.length);
      if (c.closeStore) await store.close();
      const drain = (s: Store) => spool.drainRange((r) => ingestRange(s, { ...r, isolate: true }));
      if (c.firstFails) {
        const pending = spool.stats().bytesPending;
        await assert.rejects(drain(store), { code: 'CR_ERR_STORE' });
        assert.equal(spool.stats().bytesPending, pending, 'nothing consumed');
        assert.equal(spool.stats().deadLettered, 0, 'nothing set aside');
        if (c.closeStore) store = await openDuckDbStore(join(dir, 'db.duckdb')); // the store is back
        if (c.later) spool.appendLines(lines(c.later), c.later.length);
      }
      const s = store;
      while ((await drain(s)) > 0);
      assert.equal(spool.stats().bytesPending, 0, 'the spool drained past every poison record');
      assert.equal(spool.stats().deadLettered, c.dead.length);
      const all = [...c.segments.flat(), ...(c.later ?? [])];
      const want = all
        .filter((r) => !c.dead.includes(r.id))
        .map((r) => r.id)
        .sort();
      const rows = await s.query({ sql: 'SELECT id, count(*) AS n FROM events GROUP BY id ORDER BY id', params: {} });
      assert.deepEqual(
        rows.map((r) => r.id),
        want,
        'every other record stored',
      );
      assert.ok(
        rows.every((r) => Number(r.n) === 1),
        'none twice',
      );
    } finally {
      await spool.close();
      await store?.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** A store that refuses the poison ids always, and every attempt while it is "down". */
function scriptedStore(poisonIds: Set<string>, downDuring: (attempt: number) => boolean): StoreAttempt {
  let n = 0;
  return async (records) => {
    n++;
    if (downDuring(n)) return { ok: false, error: new ClickrateError('CR_ERR_STORE', 'the store is unreachable') };
    if (records.some((r) => poisonIds.has(r.id))) return { ok: false, error: new ClickrateError('CR_ERR_STORE', 'refused: poison') };
    return { ok: true, counts: { received: records.length, inserted: records.length, duplicates: 0 } };
  };
}

test('a store that goes down during the search and comes back sets no good record aside', async () => {
  const records = [...range('a', 30), poison('p1'), ...range('b', 30)];
  const poisonIds = new Set(['p1']);
  // Up for the first attempts (the search finds stored pieces), down for a stretch, then up again.
  for (const [from, to] of [
    [4, 12],
    [6, 40],
    [10, 200],
  ] as const) {
    const attempt = scriptedStore(poisonIds, (n) => n >= from && n < to);
    try {
      const { poison: set } = await storeIsolating(attempt, records, async () => []);
      assert.deepEqual(
        set.map((l) => l.record?.id),
        set.length === 0 ? [] : ['p1'],
        `outage ${from}–${to}: only the poison record may be set aside`,
      );
    } catch (err) {
      assert.equal((err as ClickrateError).code, 'CR_ERR_STORE', `outage ${from}–${to}: a store that is down is an error to retry`);
    }
  }
  // With the store up throughout, the poison record alone is set aside.
  const { poison: set } = await storeIsolating(
    scriptedStore(poisonIds, () => false),
    records,
    async () => [],
  );
  assert.deepEqual(
    set.map((l) => l.record?.id),
    ['p1'],
  );
});
