// EdgePacer's decisions on given utilizations (no clock, no spinning): busy above the upper threshold,
// idle again only below the lower one, told once per change, and never left busy once stopped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgePacer, nextBusy } from './edge-pacer.js';

const OPTS = { busyAbove: 0.6, idleBelow: 0.4 };

test('the decision has hysteresis between the two thresholds', () => {
  const table: Array<[boolean, number, boolean]> = [
    [false, 0.59, false],
    [false, 0.6, false],
    [false, 0.61, true],
    [true, 0.5, true],
    [true, 0.4, true],
    [true, 0.39, false],
    [false, 1, true],
    [true, 0, false],
  ];
  for (const [busy, u, want] of table) assert.equal(nextBusy(busy, u, OPTS.busyAbove, OPTS.idleBelow), want, `${busy} at ${u}`);
});

const cases: Array<{ name: string; samples: number[]; busy: boolean; changes: boolean[] }> = [
  { name: 'a full loop makes it busy, an idle one not busy again', samples: [0.95, 0.99, 0.1], busy: false, changes: [true, false] },
  { name: 'busy stays busy under a load between the thresholds', samples: [0.95, 0.5, 0.45, 0.55, 0.41], busy: true, changes: [true] },
  { name: 'not busy stays not busy under the same load', samples: [0.1, 0.5, 0.59, 0.45], busy: false, changes: [] },
  { name: 'a load that swings across both thresholds is told each time', samples: [0.7, 0.3, 0.7, 0.3], busy: false, changes: [true, false, true, false] },
];

for (const c of cases) {
  test(`edge pacer: ${c.name}`, () => {
    const changes: boolean[] = [];
    const feed = [...c.samples];
    const pacer = new EdgePacer((busy) => changes.push(busy), { ...OPTS, utilization: () => feed.shift() ?? assert.fail('sampled too often') });
    for (let i = 0; i < c.samples.length; i++) pacer.sample();
    assert.equal(pacer.stats().busy, c.busy);
    assert.equal(pacer.stats().eventLoopUtilization, c.samples.at(-1));
    assert.deepEqual(changes, c.changes, 'told once per change, never flapping');
  });
}

test('edge pacer: stopped while busy, it says not busy, so nothing stays held back', () => {
  const changes: boolean[] = [];
  const pacer = new EdgePacer((busy) => changes.push(busy), { ...OPTS, utilization: () => 1 });
  pacer.start();
  pacer.sample();
  pacer.stop();
  assert.deepEqual(changes, [true, false]);
  assert.equal(pacer.stats().busy, false);
});
