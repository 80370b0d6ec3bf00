// A file with a sent the store refuses (its message belongs to another campaign: store/message-owner.ts)
// fails whole, on every lane and both stores, naming file, line and reason; nothing of it is stored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { openClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { importFile, type ImportFileResult } from './import-file.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-refusals-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local = useLocalClickHouse();
let n = 0;

type Row = Record<string, string | number>;
const sent = (message: string, campaign: string, extra: Row = {}): Row => ({
  id: `s-${message}-${campaign}`,
  type: 'sent',
  ts: '2026-03-01T09:00:00.000Z',
  message,
  campaign,
  recipient: `${message}@x.com`,
  ...extra,
});
/** What every store holds before the file: spring's message, sent and clicked. */
const STORED: Row[] = [
  sent('spring:m1', 'spring'),
  { id: 'c-1', type: 'click', ts: '2026-03-01T09:05:00.000Z', message: 'spring:m1', url: 'https://a.example/' },
];
const jsonl = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const csv = (rows: Row[]) =>
  ['id,type,ts,message,campaign,recipient', ...rows.map((r) => [r.id, r.type, r.ts, r.message, r.campaign, r.recipient].join(','))].join('\n') + '\n';
const noIds = (rows: Row[]) => rows.map(({ id: _id, ...r }) => r);

/** The file's rows: its own new message first, then a conflict on line 2 (`refused` names that line). */
interface Case {
  name: string;
  file: string;
  write: (rows: Row[]) => string | Buffer;
  rows: Row[];
  /** Lines named in the error, in order. */
  lines: number[];
  /** The lane the same file without its conflicts takes (on DuckDB), so the refusal is that lane's. */
  lane: ImportFileResult['lane'];
}

const intruder = sent('spring:m1', 'other');
const CASES: Case[] = [
  { name: 'direct lane, against a stored send', file: 'direct.jsonl', write: jsonl, rows: [sent('other:m1', 'other'), intruder], lines: [2], lane: 'direct' },
  {
    name: 'direct lane, two sends of a new message in the file: the first by (ts, id) wins',
    file: 'within.jsonl',
    write: jsonl,
    rows: [sent('new:m1', 'other', { ts: '2026-03-01T10:00:00.000Z' }), sent('new:m1', 'third', { ts: '2026-03-01T09:30:00.000Z' })],
    lines: [1],
    lane: 'direct',
  },
  {
    name: 'streaming lane (gzip)',
    file: 'stream.jsonl.gz',
    write: (r) => gzipSync(jsonl(r)),
    rows: [sent('other:m1', 'other'), intruder],
    lines: [2],
    lane: 'stream',
  },
  {
    name: 'streaming lane, rows without ids',
    file: 'idless.jsonl',
    write: (r) => jsonl(noIds(r)),
    rows: [sent('other:m1', 'other'), intruder, sent('spring:m1', 'third')],
    lines: [2, 3],
    lane: 'stream',
  },
  {
    name: 'exact lane (an id repeats in the file)',
    file: 'exact.jsonl',
    write: jsonl,
    rows: [sent('other:m1', 'other'), intruder, sent('other:m1', 'other')],
    lines: [2],
    lane: 'exact',
  },
  { name: 'CSV', file: 'events.csv', write: csv, rows: [sent('other:m1', 'other'), intruder], lines: [3], lane: 'stream' },
];

const count = async (store: Store) => Number((await store.query({ sql: 'SELECT count(*) AS n FROM events', params: {} }))[0]?.n);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function refusalCase(open: () => Promise<Store>, c: Case): Promise<void> {
  const sub = mkdtempSync(join(dir, 'case-'));
  const path = join(sub, c.file);
  writeFileSync(path, c.write(c.rows));
  const store = await open();
  try {
    await importFile(store, writeTo(sub, 'stored.jsonl', jsonl(STORED)));
    await assert.rejects(importFile(store, path), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CR_ERR_BAD_FILE');
      assert.match(err.message, /nothing from it was stored/);
      const named = [
        ...err.message.matchAll(
          new RegExp(`${escapeRegExp(path)}:(\\d+): message '[^']+' belongs to campaign '[^']+', so a sent naming campaign '[^']+' is refused`, 'g'),
        ),
      ];
      assert.deepEqual(
        named.map((m) => Number(m[1])),
        c.lines,
        err.message,
      );
      return true;
    });
    assert.equal(await count(store), STORED.length, 'nothing of the file was stored');
  } finally {
    await store.close();
  }
}

function writeTo(sub: string, name: string, text: string | Buffer): string {
  const p = join(sub, name);
  writeFileSync(p, text);
  return p;
}

for (const c of CASES) {
  test(`[duckdb] a refused sent fails the file: ${c.name}`, async () => {
    await refusalCase(() => openDuckDbStore(join(dir, `d${++n}.duckdb`)), c);
    // Without its conflicts the same file takes the lane named: the refusal above was that lane's.
    const store = await openDuckDbStore(join(dir, `twin${++n}.duckdb`));
    try {
      const twin = c.rows.map((r, i) => ({ ...r, id: `twin-${i}`, message: `twin:${i}` }));
      if (c.lane === 'exact') twin[twin.length - 1] = { ...twin[0]! };
      const path = writeTo(mkdtempSync(join(dir, 'twin-')), c.file, c.write(twin));
      assert.equal((await importFile(store, path)).lane, c.lane);
    } finally {
      await store.close();
    }
  });
}

for (const c of CASES) {
  test(`[clickhouse] a refused sent fails the file: ${c.file}`, async () => {
    await refusalCase(() => openClickHouseStore(local.server.url(`refusals${++n}`)), c);
  });
}
