// DuckDB ingest sessions on a real DuckDB file. The fast path's full repeat check: when no id filter
// vouches for a session (files past ~15M events overflow it), every id is
// checked at commit in hash slices, and a repeat in any slice fails the whole batch and leaves the store
// as it was. The settings a session changes come back; a direct load is kept only when it is the file validated
// (count, instants, the file's identity, and sampled rows column for column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityOf, type LoadCheck } from '../../events/direct-load.js';
import { IdRepeatFilter } from '../../events/id-repeat-filter.js';
import { parseEvent, type ParsedEvent } from '../../events/parse-event.js';
import type { PackedDocs } from '../../events/packed-docs.js';
import { DuckDbIngestSession } from './duckdb-ingest.js';
import { openDuckDbStore, type DuckDbStore, type DuckDbStoreOptions } from './duckdb-store.js';

/** A fresh DuckDB file in a folder of its own for one test, closed and removed after it. */
async function withStore(opts: DuckDbStoreOptions, fn: (store: DuckDbStore, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-ingest-'));
  const store = await openDuckDbStore(join(dir, 't.duckdb'), opts);
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const T0 = Date.parse('2026-03-01T09:00:00Z');

/** Sent events with the given ids, packed as the parse worker packs a block, but with no ids marked (no `repeats`). */
function pack(ids: readonly string[]): PackedDocs {
  const docs = ids.map((id, i) => JSON.stringify({ id, type: 'sent', message: `m-${i}`, campaign: 'c', recipient: `r${i}@example.com` }));
  return { docs: Buffer.from(docs.join('\n')), ts: ids.map((_, i) => String(T0 + i)).join(','), ids: ids.map(() => '').join(','), count: ids.length };
}

const unique = Array.from({ length: 60 }, (_, i) => `e-${i}`);
const cases: Array<{ name: string; ids: string[]; sliceIds: number; repeats: boolean }> = [
  { name: 'unique ids, one slice', ids: unique, sliceIds: 1000, repeats: false },
  { name: 'unique ids, nine slices', ids: unique, sliceIds: 7, repeats: false },
  { name: 'a repeat, one slice', ids: [...unique, 'e-17'], sliceIds: 1000, repeats: true },
  { name: 'a repeat, nine slices', ids: [...unique, 'e-17'], sliceIds: 7, repeats: true },
  { name: 'a repeat at the end, many slices', ids: [...unique, 'e-59'], sliceIds: 2, repeats: true },
];

for (const c of cases) {
  test(`fast ingest without the id filter: ${c.name}`, async () => {
    await withStore({}, async (store) => {
      const saved = DuckDbIngestSession.repeatCheckIds;
      DuckDbIngestSession.repeatCheckIds = c.sliceIds;
      try {
        const session = (await store.beginIngest()) as DuckDbIngestSession;
        // No filter marked the ids: commit checks every id (as after an overflow).
        session.setMode('fast');
        await session.appendDocs(pack(c.ids));
        if (c.repeats) {
          await assert.rejects(session.commit(), (err: Error & { code?: string }) => err.code === 'CR_ERR_STORE' && /ids repeat/.test(err.message));
          assert.equal(session.conflicted, true, 'the caller is told to redo the file in exact mode');
        } else {
          assert.deepEqual(await session.commit(), { received: c.ids.length, inserted: c.ids.length, duplicates: 0 });
        }
        const [row] = await store.query({ sql: 'SELECT count(*) AS n FROM events', params: {} });
        assert.equal(Number(row?.n), c.repeats ? 0 : c.ids.length, 'a refused batch stores nothing');
      } finally {
        DuckDbIngestSession.repeatCheckIds = saved;
      }
    });
  });
}

test('setMemoryLimit: the limit import moves between streaming and classifying; anything but a size is refused', async () => {
  await withStore({ memoryLimit: '256MB' }, async (store) => {
    const limit = async () => String((await store.query({ sql: "SELECT current_setting('memory_limit') AS m", params: {} }))[0]?.m);
    await store.setMemoryLimit('1GB');
    assert.match(await limit(), /^9\d\d\.\d MiB$/);
    for (const bad of ["1GB'; DROP TABLE events; --", 'lots', '', '1 TB']) {
      await assert.rejects(store.setMemoryLimit(bad), (err: Error & { code?: string }) => err.code === 'CR_ERR_CONFIG', bad);
    }
    assert.match(await limit(), /^9\d\d\.\d MiB$/, 'a refused size changes nothing');
  });
});

// Streaming lowers memory_limit and makes DuckDB's allocator hand freed memory back (chunk-runner.ts), and
// the commit's candidate lookup turns one optimizer off (withCandidatesBuilt); whatever the batch's fate,
// the session leaves all three as it found them, for the classification pass and for reports that follow
// in the same process.
for (const outcome of ['commit', 'refused', 'abort'] as const) {
  test(`an ingest session leaves memory_limit, the allocator setting and the optimizers as they were: ${outcome}`, async () => {
    await withStore({ memoryLimit: '512MB' }, async (store) => {
      const settings = async () =>
        (
          await store.query({
            sql: "SELECT current_setting('memory_limit') AS m, current_setting('allocator_bulk_deallocation_flush_threshold') AS f, current_setting('disabled_optimizers') AS o",
            params: {},
          })
        )[0];
      await store.query({ sql: "SET disabled_optimizers = 'regex_range'", params: {} });
      const before = await settings();
      const session = (await store.beginIngest()) as DuckDbIngestSession;
      const ids = new IdRepeatFilter(3);
      session.setMode('fast', ids);
      const list = outcome === 'refused' ? ['a', 'b', 'a'] : ['a', 'b', 'c'];
      for (const id of list) ids.see(id);
      // A false candidate as well: commit looks the candidates up in every outcome.
      ids.suspect(['b']);
      await session.appendDocs({ ...pack(list), repeats: [] });
      if (outcome === 'commit') await session.commit();
      else if (outcome === 'refused') await assert.rejects(session.commit(), /ids repeat/);
      else await session.abort();
      assert.deepEqual(await settings(), before);
      assert.equal(String(before?.m), '488.2 MiB', 'the session began with the store’s own limit');
      assert.equal(String(before?.o), 'regex_range', 'an optimizer turned off before stays off, alone');
    });
  });
}

// The direct lane (events/direct-load.ts) keeps DuckDB's read of a file only when it is the file the
// workers validated: as many rows, the same instants, the same size and modification time.
const LOADED = [
  { id: 'a', type: 'sent', ts: '2026-03-01T09:00:00.000Z', message: 'm1', campaign: 'c', recipient: 'r1' },
  { id: 'b', type: 'open', ts: '2026-03-01T10:00:00+01:00', message: 'm1', method: 'get' },
];
const TRUE_SUM = 2n * BigInt(T0 % 1_000_000_007);
/** The rows as the scan samples them: validated and normalized. */
const SAMPLE = LOADED.map((e) => {
  const p = parseEvent(e);
  assert.ok(p.ok);
  return p.event;
});
const loadCases: Array<{ name: string; change: (c: LoadCheck) => LoadCheck; keeps: boolean }> = [
  { name: 'the file as validated', change: (c) => c, keeps: true },
  { name: 'a row more than DuckDB read', change: (c) => ({ ...c, rows: c.rows + 1 }), keeps: false },
  { name: 'a different sum of instants', change: (c) => ({ ...c, tsSum: c.tsSum + 1n }), keeps: false },
  { name: 'a file changed since (size)', change: (c) => ({ ...c, file: { ...c.file, size: c.file.size - 1 } }), keeps: false },
  { name: 'a file changed since (time)', change: (c) => ({ ...c, file: { ...c.file, mtimeMs: c.file.mtimeMs - 1000 } }), keeps: false },
  { name: 'a file replaced by another of the same size and time (inode)', change: (c) => ({ ...c, file: { ...c.file, ino: c.file.ino + 1 } }), keeps: false },
  {
    name: 'a sampled row that DuckDB read with another campaign',
    change: (c) => ({ ...c, sample: [SAMPLE[0] as ParsedEvent, { ...(SAMPLE[1] as ParsedEvent), campaign: 'spring' }] }),
    keeps: false,
  },
  {
    name: 'a sampled row that DuckDB read with another method',
    change: (c) => ({ ...c, sample: [{ ...(SAMPLE[1] as ParsedEvent), method: 'HEAD' }] }),
    keeps: false,
  },
  { name: 'a sampled id DuckDB did not store', change: (c) => ({ ...c, sample: [{ ...(SAMPLE[0] as ParsedEvent), id: 'zz' }] }), keeps: false },
  { name: 'a file whose times were set back (change time)', change: (c) => ({ ...c, file: { ...c.file, ctimeMs: c.file.ctimeMs - 1000 } }), keeps: false },
];

for (const c of loadCases) {
  test(`direct load: ${c.name} ${c.keeps ? 'is kept' : 'is refused, and the session stores nothing'}`, async () => {
    await withStore({}, async (store, dir) => {
      const path = join(dir, 'events.jsonl');
      writeFileSync(path, LOADED.map((e) => JSON.stringify(e)).join('\n') + '\n');
      const file = identityOf(statSync(path));
      const session = (await store.beginIngest()) as DuckDbIngestSession;
      const filter = new IdRepeatFilter(2);
      for (const e of LOADED) filter.see(e.id);
      const flushSetting = async () =>
        (await store.query({ sql: "SELECT current_setting('allocator_bulk_deallocation_flush_threshold') AS f", params: {} }))[0]?.f;
      const before = await flushSetting();
      const kept = await session.loadJsonLines(path, c.change({ rows: 2, tsSum: TRUE_SUM, file, sample: SAMPLE }), filter);
      assert.equal(kept, c.keeps);
      assert.equal(await flushSetting(), '0 bytes', 'the load makes the allocator hand freed memory back');
      if (kept) assert.deepEqual(await session.commit(), { received: 2, inserted: 2, duplicates: 0 });
      else await session.abort();
      const rows = await store.query({ sql: 'SELECT id, ts, method FROM events ORDER BY id', params: {} });
      assert.deepEqual(
        rows,
        c.keeps
          ? [
              { id: 'a', ts: T0, method: null },
              { id: 'b', ts: T0, method: 'GET' },
            ]
          : [],
      );
      assert.equal(await flushSetting(), before, 'the session put the allocator setting back');
    });
  });
}

// A re-import shows itself in the sample: the load stops before reading the file (the whole load, ~13 s
// at 10M events, would only have been refused at commit) and says `conflicted`, so the file takes the
// exact path. Stored rows that the sample does not name leave the load as it was.
for (const c of [
  { name: 'a sampled id stored already', stored: ['b'], loads: false },
  { name: 'stored ids the sample does not name', stored: ['x', 'y'], loads: true },
]) {
  test(`direct load into a store holding ${c.name}: ${c.loads ? 'loaded' : 'nothing loaded, conflicted'}`, async () => {
    await withStore({}, async (store, dir) => {
      let session: DuckDbIngestSession | null = null;
      try {
        const first = (await store.beginIngest()) as DuckDbIngestSession;
        first.setMode('fast');
        await first.appendDocs(pack(c.stored));
        await first.commit();
        const path = join(dir, 'events.jsonl');
        writeFileSync(path, LOADED.map((e) => JSON.stringify(e)).join('\n') + '\n');
        session = (await store.beginIngest()) as DuckDbIngestSession;
        const filter = new IdRepeatFilter(2);
        const loaded = await session.loadJsonLines(path, { rows: 2, tsSum: TRUE_SUM, file: identityOf(statSync(path)), sample: SAMPLE }, filter);
        assert.equal(loaded, c.loads);
        assert.equal(session.conflicted, !c.loads);
        if (loaded) assert.deepEqual(await session.commit(), { received: 2, inserted: 2, duplicates: 0 });
        else await session.abort();
        const rows = await store.query({ sql: 'SELECT id FROM events ORDER BY id', params: {} });
        assert.deepEqual(
          rows.map((r) => r.id),
          c.loads ? ['a', 'b', ...c.stored] : c.stored,
        );
      } finally {
        // A failed assertion leaves the session open, and close() would wait for it.
        await session?.abort();
      }
    });
  });
}
