// Imports real files into a real DuckDB file: all or nothing per file, bad rows named by file and
// line, CSV quoting, gzip, and idempotent re-imports.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { runReport } from '../metrics/run-report.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { importFile } from './import-file.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const GOOD = [
  { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm1', campaign: 'c', recipient: 'a@x.com' },
  { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm2', campaign: 'c', recipient: 'b@x.com' },
  { type: 'click', ts: '2026-03-01T09:05:00Z', message: 'm1', url: 'https://a.example/' },
];

test('a file with a bad row is rejected whole, names file and line, and keeps what was stored', async () => {
  const store = await openDuckDbStore(join(dir, 'bad.duckdb'));
  try {
    await importFile(store, file('good.jsonl', jsonl(GOOD)));
    const bad = file('bad.jsonl', jsonl([...GOOD.map((g) => ({ ...g, message: `x${g.message}` })), { type: 'open', ts: 'yesterday', message: 'x1' }]) + '{not json\n');
    await assert.rejects(importFile(store, bad), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CR_ERR_BAD_FILE');
      assert.match(err.message, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: ts`));
      assert.match(err.message, /bad\.jsonl:5: not valid JSON/);
      assert.match(err.message, /nothing from it was stored/);
      return true;
    });
    const r = await runReport(store, { campaign: 'c' });
    assert.equal(r.kind === 'email' && r.totals.sent, 2, 'the earlier file is intact and nothing of the bad one landed');
    assert.equal(r.kind === 'email' && r.totals.unique_clicks, 1);
  } finally {
    await store.close();
  }
});

test('CSV: quoted fields with commas, quotes and newlines; empty cells; line numbers of multi-line records', async () => {
  const store = await openDuckDbStore(join(dir, 'csv.duckdb'));
  try {
    const csv = [
      'type,ts,message,campaign,recipient,url,user_agent,step',
      'sent,2026-03-01T09:00:00Z,m1,c,"Doe, Jane <jane@x.com>",,,1',
      'click,2026-03-01T09:05:00Z,m1,,,"https://a.example/?q=a,b","Mozilla/5.0 ""quoted""',
      'second line of the agent",',
      'sent,2026-03-01T09:00:00Z,m2,c,b@x.com,,,2',
    ].join('\r\n');
    const res = await importFile(store, file('ok.csv', csv));
    assert.equal(res.inserted, 3);
    const [row] = await store.query({ sql: "SELECT url, user_agent, recipient FROM events WHERE type = 'click'", params: {} });
    assert.equal(row?.url, 'https://a.example/?q=a,b');
    assert.equal(row?.user_agent, 'Mozilla/5.0 "quoted"\r\nsecond line of the agent');
    const r = await runReport(store, { campaign: 'c', by: 'step' });
    assert.equal(r.groups.length, 2);

    const badCsv = csv + '\r\nsent,2026-03-01T09:00:00Z,m3,c,,,,1';
    await assert.rejects(importFile(store, file('bad.csv', badCsv)), { code: 'CR_ERR_BAD_FILE', message: /bad\.csv:6: recipient is required/ });
    await assert.rejects(importFile(store, file('typo.csv', 'type,ts,mesage\nopen,2026-03-01T09:00:00Z,m1\n')), { message: /typo\.csv:1: unknown column 'mesage'/ });
  } finally {
    await store.close();
  }
});

test('re-importing a file (with or without ids) changes nothing; .gz is read', async () => {
  const store = await openDuckDbStore(join(dir, 'idem.duckdb'));
  try {
    const p = file('events.jsonl.gz', gzipSync(jsonl(GOOD)));
    assert.deepEqual(await importFile(store, p), { file: p, received: 3, inserted: 3, duplicates: 0 });
    assert.deepEqual(await importFile(store, p), { file: p, received: 3, inserted: 0, duplicates: 3 });
    const r = await runReport(store, { campaign: 'c' });
    assert.equal(r.kind === 'email' && r.totals.total_clicks, 1);
  } finally {
    await store.close();
  }
});

test('missing files and unknown extensions are clear errors', async () => {
  const store = await openDuckDbStore(join(dir, 'missing.duckdb'));
  try {
    await assert.rejects(importFile(store, join(dir, 'nope.jsonl')), { code: 'CR_ERR_NOT_FOUND', message: /nope\.jsonl/ });
    await assert.rejects(importFile(store, file('events.txt', 'x')), { code: 'CR_ERR_BAD_FILE', message: /\.jsonl, \.ndjson or \.csv/ });
  } finally {
    await store.close();
  }
});
