// Which lane a JSON Lines file takes into a real DuckDB file (direct-load.ts), and that every lane stores
// exactly the rows the streaming lane stores: same ids, same values, same times.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { openDuckDbStore, type DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { importFile, type ImportFileResult } from './import-file.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-lanes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const line = (o: object) => JSON.stringify(o);

const sent = (id: string, extra: object = {}) => ({
  id,
  type: 'sent',
  ts: '2026-03-01T09:00:00.000Z',
  message: `m-${id}`,
  campaign: 'c',
  recipient: `${id}@x.com`,
  ...extra,
});
const PLAIN = [
  line(sent('a', { step: 2, variant: 'B', segment: 'vip' })),
  line({
    id: 'b',
    type: 'open',
    ts: '2026-03-01T10:00:00+01:00',
    message: 'm-a',
    ip: '10.0.0.1',
    user_agent: 'Mozilla/5.0 (X11) é 😀 \\ \u2028',
    method: 'get',
  }),
  line({ id: 'c', type: 'click', ts: '2026-03-01 09:05:00.5Z', message: 'm-a', url: 'https://a.example/p?q=1&r=%20', method: 'HEAD' }),
  line({ id: 'd', type: 'conversion', ts: '2026-03-01T09:06:00Z', campaign: 'ads', ad: 'banner', value: 19.9 }),
  '{"id":"e","type":"sent","ts":"2026-03-01T09:00:00Z","message":"m-e","campaign":"c","recipient":"e@x.com","step":1e1,"value":-0.5}',
  line({ id: 'f', type: 'impression', ts: '1969-07-20T20:17:40Z', campaign: 'ads', ad: 'moon' }),
];

/** [name, lines, file name, lane taken, rows stored]. */
const cases: Array<[string, string[], string, ImportFileResult['lane'], number]> = [
  ['ids, offsets, escapes and numbers as JSON writes them', PLAIN, 'plain.jsonl', 'direct', 6],
  ['CRLF line ends and blank lines', [PLAIN[0] as string, '', '  ', PLAIN[1] as string].map((l) => `${l}\r`), 'crlf.ndjson', 'direct', 2],
  [
    'an id-less row (its id is a digest only the streaming lane computes)',
    [...PLAIN, line({ type: 'open', ts: '2026-03-01T09:01:00Z', message: 'm-a' })],
    'idless.jsonl',
    'stream',
    7,
  ],
  ['a number written as text', [...PLAIN, line(sent('g', { step: '3' }))], 'text-number.jsonl', 'stream', 7],
  [
    'a repeated key (DuckDB would keep the first)',
    [...PLAIN, '{"id":"g","type":"bogus","type":"open","ts":"2026-03-01T09:00:00Z","message":"m-a"}'],
    'repeated-key.jsonl',
    'stream',
    7,
  ],
  [
    'an escaped quote (the repeated-key check cannot vouch for such text)',
    [...PLAIN, line({ id: 'g', type: 'open', ts: '2026-03-01T09:00:00Z', message: 'm-a', user_agent: 'say "hi"' })],
    'quote.jsonl',
    'stream',
    7,
  ],
  [
    'a lower-case z, which DuckDB does not read',
    [...PLAIN, line({ id: 'g', type: 'open', ts: '2026-03-01T09:00:00z', message: 'm-a' })],
    'lower-z.jsonl',
    'stream',
    7,
  ],
  ['an id repeated within the file (the first copy is kept)', [...PLAIN, line(sent('a', { recipient: 'second@x.com' }))], 'repeat.jsonl', 'exact', 6],
  ['a name DuckDB would read as a glob', PLAIN, 'events[1].jsonl', 'stream', 6],
  // DuckDB reads `key=value` folders as columns unless told not to; the rows' own values must win.
  ['folders named like columns (campaign=, type=, id=, step=)', PLAIN, 'campaign=spring/type=click/id=same/step=7/events.jsonl', 'direct', 6],
];

/** A fresh store for one test, closed after it. */
async function withStore(name: string, fn: (store: DuckDbStore) => Promise<void>): Promise<void> {
  const store = await openDuckDbStore(join(dir, name));
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}
const eventCount = async (store: DuckDbStore) => Number((await store.query({ sql: 'SELECT count(*) AS n FROM events', params: {} }))[0]?.n);
const rowsOf = (store: DuckDbStore) => store.query({ sql: 'SELECT * EXCLUDE (ingested_at) FROM events ORDER BY id', params: {} });

for (const [name, lines, fileName, lane, stored] of cases) {
  test(`lanes: ${name} → ${lane}, storing what the streaming lane stores`, async () => {
    const sub = mkdtempSync(join(dir, 'case-'));
    const path = join(sub, fileName);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines.join('\n') + '\n');
    const auto = await openDuckDbStore(join(sub, 'auto.duckdb'));
    const streamed = await openDuckDbStore(join(sub, 'streamed.duckdb'));
    try {
      const r = await importFile(auto, path);
      assert.equal(r.lane, lane);
      assert.equal(r.inserted, stored);
      const s = await importFile(streamed, path, { direct: false });
      assert.notEqual(s.lane, 'direct');
      assert.deepEqual(await rowsOf(auto), await rowsOf(streamed));
    } finally {
      await auto.close();
      await streamed.close();
    }
  });
}

test('lanes: a re-imported file is resolved by the exact lane and adds nothing', async () => {
  const path = join(dir, 'again.jsonl');
  writeFileSync(path, PLAIN.join('\n') + '\n');
  await withStore('again.duckdb', async (store) => {
    assert.deepEqual(await importFile(store, path), { file: path, received: 6, inserted: 6, duplicates: 0, lane: 'direct' });
    assert.deepEqual(await importFile(store, path), { file: path, received: 6, inserted: 0, duplicates: 6, lane: 'exact' });
    assert.equal(await eventCount(store), 6);
  });
});

test('lanes: a bad row in a file the direct lane would take fails the file by line, and nothing is stored', async () => {
  const path = join(dir, 'bad-direct.jsonl');
  writeFileSync(path, [...PLAIN, line({ id: 'x', type: 'open', ts: '2026-03-01T09:00:00Z' }), line(sent('y', { step: 0 }))].join('\n') + '\n');
  await withStore('bad-direct.duckdb', async (store) => {
    await assert.rejects(importFile(store, path), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CR_ERR_BAD_FILE');
      assert.match(err.message, /bad-direct\.jsonl:7: message is required/);
      assert.match(err.message, /bad-direct\.jsonl:8: step/);
      return true;
    });
    assert.equal(await eventCount(store), 0);
  });
});

test('lanes: a file that cannot be read is a clear error, not a crash', async () => {
  const path = join(dir, 'a-directory.jsonl');
  mkdirSync(path);
  await withStore('unreadable.duckdb', async (store) => {
    for (const direct of [true, false]) {
      await assert.rejects(importFile(store, path, { direct }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'CR_ERR_BAD_FILE', `direct: ${direct}`);
        assert.match(err.message, /a-directory\.jsonl: .*EISDIR/);
        return true;
      });
    }
  });
});

test('lanes: a byte order mark opens the file on either lane; anywhere else it is a bad line', async () => {
  const bom = join(dir, 'bom.jsonl');
  writeFileSync(bom, '\uFEFF' + PLAIN.join('\n') + '\n');
  const later = join(dir, 'bom-later.jsonl');
  writeFileSync(later, [PLAIN[0], `\uFEFF${PLAIN[1] as string}`].join('\n') + '\n');
  for (const direct of [true, false]) {
    await withStore(`bom-${direct}.duckdb`, async (store) => {
      const r = await importFile(store, bom, { direct });
      assert.equal(r.lane, 'stream', 'DuckDB refuses a BOM, so the file streams');
      assert.equal(r.inserted, 6);
      const [row] = await store.query({ sql: "SELECT type FROM events WHERE id = 'a'", params: {} });
      assert.equal(row?.type, 'sent');
      await assert.rejects(importFile(store, later, { direct }), { code: 'CR_ERR_BAD_FILE', message: /bom-later\.jsonl:2: not valid JSON/ });
    });
  }
});
