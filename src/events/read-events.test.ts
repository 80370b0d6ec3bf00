// Reading JSON Lines files as blocks of whole lines for the parse workers: every byte once, in order,
// each block ending at a line end, and each the start of a buffer of its own (so it can move to a worker).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { Readable } from 'node:stream';
import { readJsonLineBlocks, readJsonLines } from './read-events.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const long = 'x'.repeat(300);
/** [name, file text, block size]. */
const cases: Array<[string, string, number]> = [
  ['lines shorter than a block', 'a\nbb\nccc\n', 4],
  ['no newline at the end', 'a\nbb\nccc', 4],
  ['a line many blocks long', `a\n${long}\nb\n`, 16],
  ['one huge line, no newline', long, 16],
  ['blocks far larger than the file', 'a\nb\n', 1 << 20],
  ['an empty file', '', 16],
  ['multi-byte characters across block edges', 'é😀\n😀😀é\nü\n'.repeat(20), 7],
];

for (const gz of [false, true]) {
  for (const [name, text, size] of cases) {
    test(`readJsonLineBlocks${gz ? ' (.gz)' : ''}: ${name}`, async () => {
      const path = join(dir, `${name.replace(/\W+/g, '-')}.jsonl${gz ? '.gz' : ''}`);
      writeFileSync(path, gz ? gzipSync(text) : text);
      const blocks: Uint8Array[] = [];
      // Each block moves to another thread as the import moves it (detaching its buffer here), so a
      // block that shared its buffer with the reader's next one would lose bytes.
      for await (const b of readJsonLineBlocks(path, size)) {
        const offset = b.byteOffset;
        blocks.push(structuredClone(b, { transfer: [b.buffer as ArrayBuffer] }));
        assert.equal(offset, 0, 'a block starts its buffer');
      }
      assert.equal(Buffer.concat(blocks).toString('utf8'), text, 'every byte once, in order');
      blocks.forEach((b, i) => {
        if (i < blocks.length - 1 || text.endsWith('\n')) assert.equal(b.at(-1), 10, 'a block ends at a line end');
      });
    });
  }
}

test('readJsonLines (CSV-less stores such as ClickHouse read JSON Lines this way): a BOM opens the file; on a later line it is bad JSON', async () => {
  const records = [];
  for await (const r of readJsonLines(Readable.from(['\uFEFF{"a":1}\n\uFEFF{"b":2}\n']))) records.push(r);
  assert.deepEqual(records[0], { line: 1, value: { a: 1 }, text: '{"a":1}' });
  assert.equal(records[1]?.line, 2);
  assert.ok(records[1] !== undefined && 'error' in records[1] && /not valid JSON/.test(records[1].error));
});
