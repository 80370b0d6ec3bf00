// The progress line writes to terminals only, in place, throttled, and leaves a clean line behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressLine } from './progress-line.js';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  let clock = 0;
  const stream = { isTTY, write: (s: string) => written.push(s) > 0 };
  return { written, stream, tick: (ms: number) => (clock += ms), now: () => clock };
}

const cases: Array<{ name: string; isTTY: boolean; steps: Array<[number, string, boolean?]>; expect: string[] }> = [
  {
    name: 'not a terminal: nothing, not even the clear',
    isTTY: false,
    steps: [
      [0, 'a'],
      [1000, 'b'],
    ],
    expect: [],
  },
  {
    name: 'a terminal: each update in place',
    isTTY: true,
    steps: [
      [0, 'a'],
      [300, 'b'],
    ],
    expect: ['\ra\x1b[K', '\rb\x1b[K', '\r\x1b[K'],
  },
  {
    name: 'updates within 250 ms are skipped',
    isTTY: true,
    steps: [
      [0, 'a'],
      [100, 'b'],
      [200, 'c'],
    ],
    expect: ['\ra\x1b[K', '\rc\x1b[K', '\r\x1b[K'],
  },
  {
    name: 'a forced update is shown at once',
    isTTY: true,
    steps: [
      [0, 'a'],
      [10, 'committing', true],
    ],
    expect: ['\ra\x1b[K', '\rcommitting\x1b[K', '\r\x1b[K'],
  },
];

for (const c of cases) {
  test(`progress line: ${c.name}`, () => {
    const t = terminal(c.isTTY);
    const line = new ProgressLine(t.stream, t.now);
    for (const [ms, text, force] of c.steps) {
      t.tick(ms);
      line.update(text, force);
    }
    line.clear();
    line.clear(); // a second clear writes nothing more
    assert.deepEqual(t.written, c.expect);
  });
}
