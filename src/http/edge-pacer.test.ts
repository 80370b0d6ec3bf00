// EdgePacer on this process's real event loop: kept working, it says busy; idle, not busy; a load between
// its two thresholds leaves it as it was (hysteresis), so the writer and the classifier do not flap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdgePacer } from './edge-pacer.js';

type Load = 'full' | 'between' | 'idle';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

/** One slice of a load: full never lets the loop wait; between works about half the time; idle waits. */
async function slice(load: Load): Promise<void> {
  if (load === 'full') {
    spin(5);
    await new Promise((r) => setImmediate(r));
  } else if (load === 'between') {
    // TRICKY: a spin counts wall time, so a thread descheduled mid-spin (tests share 2 cores) reads as
    // working all along: at 30 ms on and 10 off, one 70 ms preemption took a sample past 0.9 and the test
    // failed once. Half on, half off needs a stall of some 160 ms to leave the band either way.
    spin(20);
    await new Promise((r) => setTimeout(r, 20));
  } else await new Promise((r) => setTimeout(r, 10));
}

/** Runs `load` until `done` (a generous guard against hanging, not a timing assertion). */
async function runLoad(load: Load, done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !done(); i++) await slice(load);
  assert.ok(done(), `gave up waiting for ${what}`);
}

/** Runs `load` while the pacer takes `n` samples (each shows a new utilization). */
async function forSamples(pacer: EdgePacer, load: Load, n: number): Promise<void> {
  let seen = 0;
  let last = pacer.stats().eventLoopUtilization;
  await runLoad(
    load,
    () => {
      const now = pacer.stats().eventLoopUtilization;
      if (now !== last) seen++;
      last = now;
      return seen >= n;
    },
    `${n} samples`,
  );
}

// Thresholds far apart, so 'between' (about 0.5 busy) stays inside even when timers fire late or the thread stalls.
const OPTS = { sampleMs: 50, busyAbove: 0.9, idleBelow: 0.1 };

const cases: Array<{ name: string; loads: Load[]; busy: boolean[]; changes: boolean[] }> = [
  { name: 'a full loop makes it busy, an idle one not busy again', loads: ['full', 'idle'], busy: [true, false], changes: [true, false] },
  { name: 'busy stays busy under a load between the thresholds', loads: ['full', 'between', 'idle'], busy: [true, true, false], changes: [true, false] },
  { name: 'not busy stays not busy under the same load', loads: ['idle', 'between', 'full'], busy: [false, false, true], changes: [true] },
];

for (const c of cases) {
  test(`edge pacer: ${c.name}`, async () => {
    const changes: boolean[] = [];
    const pacer = new EdgePacer((busy) => changes.push(busy), OPTS);
    pacer.start();
    try {
      for (const [i, load] of c.loads.entries()) {
        const want = c.busy[i];
        if (load === 'between') await forSamples(pacer, load, 5);
        else await runLoad(load, () => pacer.stats().busy === want, `busy ${want} under a ${load} loop`);
        assert.equal(pacer.stats().busy, want, `after the ${load} loop`);
      }
      assert.deepEqual(changes, c.changes, 'told once per change, never flapping');
    } finally {
      pacer.stop();
    }
  });
}

test('edge pacer: stopped while busy, it says not busy, so nothing stays held back', async () => {
  const changes: boolean[] = [];
  const pacer = new EdgePacer((busy) => changes.push(busy), OPTS);
  pacer.start();
  await runLoad('full', () => pacer.stats().busy, 'busy');
  pacer.stop();
  assert.deepEqual(changes, [true, false]);
  assert.equal(pacer.stats().busy, false);
});
