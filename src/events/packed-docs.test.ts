// Checks the hand-over form of validated JSON Lines rows: cutting a batch at a row boundary, and
// deciding when a row's own text can be given to DuckDB (which keeps the first of repeated keys).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitPacked, textNamesEachKeyOnce, type PackedDocs } from './packed-docs.js';

const batch = (rows: Array<{ doc: string; ts: number; id: string }>): PackedDocs => ({
  docs: Buffer.from(rows.map((r) => r.doc).join('\n')),
  ts: rows.map((r) => r.ts).join(','),
  ids: rows.map((r) => r.id).join(','),
  count: rows.length,
});

test('splitPacked cuts documents, times and ids at the same row', () => {
  const rows = [
    { doc: '{"a":1}', ts: 10, id: '' },
    { doc: '{"b":"x,y"}', ts: 20, id: 'h:d2:1' },
    { doc: '{"c":3}', ts: 30, id: '' },
    { doc: '{"d":4}', ts: 40, id: 'h:d4:1' },
  ];
  for (let cut = 1; cut < rows.length; cut++) {
    const [head, tail] = splitPacked(batch(rows), cut);
    assert.deepEqual(
      [Buffer.from(head.docs).toString(), head.ts, head.ids, head.count],
      [
        rows
          .slice(0, cut)
          .map((r) => r.doc)
          .join('\n'),
        rows
          .slice(0, cut)
          .map((r) => r.ts)
          .join(','),
        rows
          .slice(0, cut)
          .map((r) => r.id)
          .join(','),
        cut,
      ],
      `head at ${cut}`,
    );
    assert.deepEqual(
      [Buffer.from(tail.docs).toString(), tail.ts, tail.ids, tail.count],
      [
        rows
          .slice(cut)
          .map((r) => r.doc)
          .join('\n'),
        rows
          .slice(cut)
          .map((r) => r.ts)
          .join(','),
        rows
          .slice(cut)
          .map((r) => r.id)
          .join(','),
        rows.length - cut,
      ],
      `tail at ${cut}`,
    );
  }
});

/** [name, line, expected]: true only when the text provably names each key once. */
const texts: Array<[string, string, boolean]> = [
  ['compact, distinct keys', '{"type":"open","ts":"2026-03-01T09:00:00Z","message":"m"}', true],
  ['a repeated key', '{"type":"bogus","type":"open","message":"m"}', false],
  ['a repeated key written with a space before the colon', '{"type" :"bogus","type":"open","message":"m"}', false],
  ['a repeated key written with a tab before the colon', '{"type"\t:"bogus","type":"open","message":"m"}', false],
  ['a repeated key spelled with an escape', '{"type":"bogus","\\u0074ype":"open","message":"m"}', false],
  ['spaces after colons and commas only', '{"type": "open", "ts": "2026-03-01T09:00:00Z", "message": "m"}', true],
  ['an escaped quote in a value', '{"type":"open","ts":"2026-03-01T09:00:00Z","message":"m","user_agent":"a \\"b\\": c"}', false],
  ['a value that opens with a colon', '{"type":"open","ts":"2026-03-01T09:00:00Z","message":":m"}', false],
  ['a CRLF line', '{"type":"open","ts":"2026-03-01T09:00:00Z","message":"m"}\r', true],
];

for (const [name, line, expected] of texts) {
  test(`textNamesEachKeyOnce: ${name}`, () => {
    const keys = Object.keys(JSON.parse(line) as object).length;
    assert.equal(textNamesEachKeyOnce(line, keys), expected);
  });
}
