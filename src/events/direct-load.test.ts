// The direct lane's two promises, checked on a real DuckDB: every `ts` form storeReadsTs lets through is
// read by DuckDB to the instant the import computed, and the forms where the two differ are held back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { directPath, storeReadsTs } from './direct-load.js';
import { instantOf } from './event.js';

/** [ts as the schema accepts it, whether the direct lane may take it]. */
const forms: Array<[string, boolean]> = [
  ['2026-02-08T10:00:01.617Z', true],
  ['2026-02-08 10:00:01.617Z', true],
  ['2026-02-08T10:00:01Z', true],
  ['2026-02-08T10:00:01.6Z', true],
  ['2026-02-08T10:00:01.617+05:30', true],
  ['2026-02-08T10:00:01.617-0530', true],
  ['2026-02-08T10:00:01.617+00:00', true],
  ['2024-02-29T23:59:59.999+14:00', true],
  ['2026-02-08T24:00:00Z', true],
  ['1969-12-31T23:59:59.999Z', true],
  ['0999-01-01T00:00:00Z', true],
  ['9999-12-31T23:59:59.999-12:00', true],
  ['2026-02-08T10:00:01.617999999Z', true],
  ['2026-02-08T10:00:01.6179+01:00', true],
  // DuckDB refuses these.
  ['2026-02-08T10:00Z', false],
  ['2026-02-08T10:00:01.617z', false],
  // Sub-millisecond digits before 1970: DuckDB truncates towards zero, Date.parse drops the digits.
  ['1969-12-31T23:59:59.9999Z', false],
  ['1970-01-01T00:00:00.0001+01:00', false],
];

test('storeReadsTs: DuckDB reads every form it lets through to the import’s instant, and it holds back the rest', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const [ts, direct] of forms) {
      assert.notEqual(instantOf(ts), null, `${ts} is a valid ts`);
      assert.equal(storeReadsTs(ts), direct, ts);
      let read: number | null = null;
      try {
        const r = await conn.runAndReadAll('SELECT epoch_ms(CAST($1 AS TIMESTAMPTZ)) AS ms', [ts]);
        read = Number(r.getRowObjectsJS()[0]?.ms);
      } catch {
        read = null;
      }
      if (direct) assert.equal(read, instantOf(ts), `DuckDB reads ${ts} as the import does`);
      else assert.notEqual(read, instantOf(ts), `${ts} is held back for a reason: DuckDB reads it otherwise`);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});

test('directPath: absolute paths of plain JSON Lines files; globs and compressed files stream', () => {
  const cases: Array<[string, string | null]> = [
    ['/data/events.jsonl', '/data/events.jsonl'],
    ['/data/events.NDJSON', '/data/events.NDJSON'],
    ['/data/events.json', '/data/events.json'],
    ['/data/events.jsonl.gz', null],
    ['/data/events[1].jsonl', null],
    ['/data/*.jsonl', null],
    ['/data/ev?nts.jsonl', null],
    ['/data/{a,b}.jsonl', null],
    ['/data/events.csv', null],
  ];
  for (const [file, want] of cases) assert.equal(directPath(file), want, file);
  assert.equal(directPath('events.jsonl'), `${process.cwd()}/events.jsonl`, 'relative paths are made absolute');
});
