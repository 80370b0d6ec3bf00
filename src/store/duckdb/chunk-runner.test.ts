// The size arithmetic behind the ingest's memory limits: DuckDB's printed sizes read as bytes, and set
// back without drifting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesOf, untruncated } from './chunk-runner.js';

const cases: Array<{ printed: string; bytes: number; setBack: string }> = [
  { printed: '488.2 MiB', bytes: 488.2 * 2 ** 20, setBack: '488.25 MiB' },
  { printed: '18.8 GiB', bytes: 18.8 * 2 ** 30, setBack: '18.85 GiB' },
  { printed: '512.0 MiB', bytes: 512 * 2 ** 20, setBack: '512.05 MiB' },
  { printed: '256MB', bytes: 256e6, setBack: '256MB' },
  { printed: '0 bytes', bytes: 0, setBack: '0 bytes' },
];

for (const c of cases) {
  test(`sizes: '${c.printed}'`, () => {
    assert.equal(bytesOf(c.printed), c.bytes);
    assert.equal(untruncated(c.printed), c.setBack);
    // Setting back never lowers the limit below what was printed, nor reaches the next printed step.
    assert.ok(bytesOf(untruncated(c.printed)) >= c.bytes);
  });
}

test('sizes: unreadable text counts as unlimited', () => {
  for (const bad of ['', 'lots', '12 parsecs']) assert.equal(bytesOf(bad), Number.POSITIVE_INFINITY, bad);
});
