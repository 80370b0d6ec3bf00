// The direct lane's scan over many blocks (small blocks, real worker threads): totals that add up
// across blocks, line numbers that count every earlier block, the repeat filter fed from every block,
// and an early stop when a later block holds a row the store would read otherwise.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TS_CHECK_MODULUS } from './direct-load.js';
import { scanFile } from './scan-file.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-scan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const row = (i: number, extra: object = {}) =>
  JSON.stringify({ id: `e-${i}`, type: 'open', ts: new Date(T0 + i * 61_001).toISOString(), message: `m-${i % 7}`, ...extra });
const write = (name: string, lines: string[]) => {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
};
const ROWS = 300;
const BLOCK = 1024; // about 9 rows a block: some 35 blocks

test('scan: totals, lines and ids add up over some 35 blocks', async () => {
  const p = write(
    'many.jsonl',
    Array.from({ length: ROWS }, (_, i) => row(i)),
  );
  const r = await scanFile(p, { expectedRows: ROWS, blockSize: BLOCK, workers: 2 });
  assert.ok(r.direct);
  assert.equal(r.lines, ROWS);
  assert.equal(r.check.rows, ROWS);
  let sum = 0n;
  for (let i = 0; i < ROWS; i++) sum += BigInt((T0 + i * 61_001) % TS_CHECK_MODULUS);
  assert.equal(r.check.tsSum, sum);
  assert.deepEqual(r.filter.candidates, []);
  // Every id was marked by the workers: seen once more here, each is a candidate.
  for (let i = 0; i < ROWS; i++) r.filter.see(`e-${i}`);
  assert.equal(r.filter.candidates.length, ROWS, 'every id went to the repeat filter');
});

test('scan: an id in the first block and again in the last is a repeat candidate', async () => {
  const p = write('repeat.jsonl', [...Array.from({ length: ROWS }, (_, i) => row(i)), row(3, { message: 'again' })]);
  const r = await scanFile(p, { expectedRows: ROWS, blockSize: BLOCK, workers: 2 });
  assert.ok(r.direct);
  assert.ok(r.filter.candidates.includes('e-3'));
});

test('scan: bad rows in later blocks are named by their line in the file', async () => {
  const lines = Array.from({ length: ROWS }, (_, i) => row(i));
  lines[119] = row(119, { type: 'sent' }); // a sent event needs a campaign and a recipient
  lines[279] = '{"id":"e-279",';
  const p = write('bad.jsonl', lines);
  await assert.rejects(scanFile(p, { expectedRows: ROWS, blockSize: BLOCK, workers: 2 }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CR_ERR_BAD_FILE');
    assert.match(err.message, /bad\.jsonl:120: campaign is required/);
    assert.match(err.message, /bad\.jsonl:280: not valid JSON/);
    return true;
  });
});

test('scan: a row the store would read otherwise, deep in the file, stops the scan and sends the file streaming', async () => {
  const lines = Array.from({ length: ROWS }, (_, i) => row(i));
  lines[250] = JSON.stringify({ type: 'open', ts: '2026-03-01T09:00:00Z', message: 'm-1' }); // no id
  const p = write('late.jsonl', lines);
  assert.deepEqual(await scanFile(p, { expectedRows: ROWS, blockSize: BLOCK, workers: 2 }), { direct: false });
});
