// Imports real files into a real DuckDB file: all or nothing per file, bad rows named by file and
// line, CSV quoting, gzip, and idempotent re-imports.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { runReport } from '../metrics/run-report.js';
import { bytesOf } from '../store/duckdb/chunk-runner.js';
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
    const bad = file(
      'bad.jsonl',
      jsonl([...GOOD.map((g) => ({ ...g, message: `x${g.message}` })), { type: 'open', ts: 'yesterday', message: 'x1' }]) + '{not json\n',
    );
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
    await assert.rejects(importFile(store, file('typo.csv', 'type,ts,mesage\nopen,2026-03-01T09:00:00Z,m1\n')), {
      message: /typo\.csv:1: unknown column 'mesage'/,
    });
  } finally {
    await store.close();
  }
});

test('re-importing a file (with or without ids) changes nothing; .gz is read', async () => {
  const store = await openDuckDbStore(join(dir, 'idem.duckdb'));
  try {
    const p = file('events.jsonl.gz', gzipSync(jsonl(GOOD)));
    assert.deepEqual(await importFile(store, p), { file: p, received: 3, inserted: 3, duplicates: 0, lane: 'stream' });
    assert.deepEqual(await importFile(store, p), { file: p, received: 3, inserted: 0, duplicates: 3, lane: 'exact' });
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

test('JSON Lines: the stored row is the validated one (repeated keys, numbers as text, CRLF, blank lines)', async () => {
  const store = await openDuckDbStore(join(dir, 'texts.duckdb'));
  try {
    const lines = [
      // JSON.parse keeps the last of repeated keys; DuckDB reading the text would keep the first.
      '{"id":"k1","type":"bogus","type":"sent","ts":"2026-03-01T09:00:00Z","message":"m1","campaign":"c","recipient":"r"}',
      '{"id":"k2","type":"sent","ts":"2026-03-01T09:00:00Z","message":"m2","campaign":"c","recipient":"r","step":"3","value":"2.5"}',
      '',
      '{"id":"k3","type": "open", "ts" :"2026-03-01T09:01:00Z","message":"m1","method":"head"}',
    ];
    const res = await importFile(store, file('texts.jsonl', lines.join('\r\n') + '\r\n'));
    assert.equal(res.inserted, 3);
    const rows = await store.query({ sql: 'SELECT id, type, step, value, method FROM events ORDER BY id', params: {} });
    assert.deepEqual(rows, [
      { id: 'k1', type: 'sent', step: null, value: null, method: null },
      { id: 'k2', type: 'sent', step: 3, value: 2.5, method: null },
      { id: 'k3', type: 'open', step: null, value: null, method: 'HEAD' },
    ]);
  } finally {
    await store.close();
  }
});

test('JSON Lines: rows DuckDB could not store are refused by line, not by a store error', async () => {
  const store = await openDuckDbStore(join(dir, 'unstorable.duckdb'));
  try {
    const bad = file(
      'unstorable.jsonl',
      jsonl([GOOD[0] as object, { ...GOOD[1], step: 3_000_000_000 }]) + '{"type":"open","ts":"2026-03-01T09:00:00Z","message":"a\\ud800"}\n',
    );
    await assert.rejects(importFile(store, bad), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CR_ERR_BAD_FILE');
      assert.match(err.message, /unstorable\.jsonl:2: step must be at most 2147483647/);
      assert.match(err.message, /unstorable\.jsonl:3: .*surrogate/);
      return true;
    });
    const [n] = await store.query({ sql: 'SELECT count(*) AS n FROM events', params: {} });
    assert.equal(n?.n, 0);
  } finally {
    await store.close();
  }
});

test('an id repeated within one file is stored once (the first), as are identical id-less rows of one file', async () => {
  const store = await openDuckDbStore(join(dir, 'repeats.duckdb'));
  try {
    const rows = [
      { id: 'dup', type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm1', campaign: 'c', recipient: 'first' },
      { id: 'dup', type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm1', campaign: 'c', recipient: 'second' },
      { type: 'impression', ts: '2026-03-01T09:00:00Z', campaign: 'ads' },
      { type: 'impression', ts: '2026-03-01T09:00:00Z', campaign: 'ads' },
    ];
    const p = file('repeats.jsonl', jsonl(rows));
    const limit = async () => (await store.query({ sql: "SELECT current_setting('memory_limit') AS m", params: {} }))[0]?.m;
    const before = await limit();
    assert.deepEqual(await importFile(store, p), { file: p, received: 4, inserted: 3, duplicates: 1, lane: 'exact' });
    const [r] = await store.query({ sql: "SELECT recipient FROM events WHERE id = 'dup'", params: {} });
    assert.equal(r?.recipient, 'first');
    assert.deepEqual(await importFile(store, p), { file: p, received: 4, inserted: 0, duplicates: 4, lane: 'exact' });
    // DuckDB prints the limit rounded (18.8 GiB), so the restored one may differ in the last digit.
    const ratio = bytesOf(String(await limit())) / bytesOf(String(before));
    assert.ok(ratio > 0.98 && ratio < 1.02, `the import put back the memory limit it lowered (${String(before)} → ${String(await limit())})`);
  } finally {
    await store.close();
  }
});

// `clickrate import` shows these on a terminal: counts that only grow, then one "storing them" with the
// file's whole line count, for both readers.
for (const kind of ['jsonl', 'csv'] as const) {
  test(`progress: lines read so far, then committing, for ${kind}`, async () => {
    const store = await openDuckDbStore(join(dir, `progress-${kind}.duckdb`));
    try {
      const rows = Array.from({ length: 250 }, (_, i) => ({
        type: 'sent',
        ts: '2026-03-01T09:00:00Z',
        message: `p${i}`,
        campaign: 'c',
        recipient: `r${i}@x.com`,
      }));
      const text =
        kind === 'jsonl'
          ? jsonl(rows)
          : `type,ts,message,campaign,recipient\n${rows.map((r) => [r.type, r.ts, r.message, r.campaign, r.recipient].join(',')).join('\n')}\n`;
      const seen: Array<{ lines: number; committing: boolean }> = [];
      const r = await importFile(store, file(`progress.${kind}`, text), { onProgress: (p) => seen.push({ ...p }) });
      assert.equal(r.inserted, 250);
      const last = seen.at(-1);
      assert.equal(last?.committing, true, 'the last report says the rows are being stored');
      assert.equal(last?.lines, kind === 'jsonl' ? 250 : 251, 'every line was read (CSV: header included)');
      assert.equal(seen.filter((p) => p.committing).length, 1);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.lines >= seen[i - 1]!.lines, 'counts never go back');
    } finally {
      await store.close();
    }
  });
}
