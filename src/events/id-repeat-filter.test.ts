// The shared id filter: every true repeat becomes a candidate (on one thread and across two threads marking
// at once), false candidates stay few, and the filter gives up past its limit, which the workers then see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { givenUp, IdRepeatFilter, sighted } from './id-repeat-filter.js';

const ids = (n: number, prefix = 'promo-0003:') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const cases: Array<{ name: string; seen: string[]; repeats: string[] }> = [
  { name: 'no id twice', seen: ids(5000), repeats: [] },
  { name: 'one id twice, far apart', seen: [...ids(5000), 'promo-0003:17'], repeats: ['promo-0003:17'] },
  { name: 'ids differing in one character', seen: ['ads-0022:1097370', 'ads-0025:1097375', 'ads-0022:1097370'], repeats: ['ads-0022:1097370'] },
  { name: 'the empty id and long ids', seen: ['', 'x'.repeat(5000), '', 'x'.repeat(5000)], repeats: ['', 'x'.repeat(5000)] },
  { name: 'every id three times', seen: [...ids(300), ...ids(300), ...ids(300)], repeats: ids(300) },
];

for (const c of cases) {
  test(`id filter: ${c.name}`, () => {
    const f = new IdRepeatFilter(c.seen.length);
    for (const id of c.seen) f.see(id);
    const found = new Set(f.candidates);
    for (const id of c.repeats) assert.ok(found.has(id), `${id.slice(0, 30)} repeats and must be a candidate`);
    // At this fill the filter holds under 1% false candidates (at 10M ids, 0.36%: see BENCHMARKS.md).
    assert.ok(found.size - c.repeats.length <= c.seen.length / 100, `${found.size - c.repeats.length} false candidates`);
    assert.equal(f.overflowed, false);
  });
}

test('id filter: past 100,000 candidates it gives up, and the flag is in the shared memory the workers read', () => {
  const f = new IdRepeatFilter(10);
  const cells = new Int32Array(f.shared);
  assert.equal(givenUp(cells), false);
  const all = ids(120_000);
  for (const id of all) f.see(id);
  f.suspect(all);
  assert.equal(f.overflowed, true);
  assert.equal(givenUp(cells), true, 'a worker holding the cells sees the filter given up');
  assert.deepEqual(f.candidates, [], 'the candidates are dropped: the caller checks every id');
  f.see('after');
  assert.deepEqual(f.candidates, []);
});

test('id filter: sighted() reports the second marking of an id, whatever else was marked between', () => {
  const f = new IdRepeatFilter(1000);
  const cells = new Int32Array(f.shared);
  assert.equal(sighted(cells, 'a'), false);
  for (const id of ids(1000)) sighted(cells, id);
  assert.equal(sighted(cells, 'a'), true);
});

// Two real threads mark the same ids in one filter at the same moment (released together by a barrier),
// in opposite orders. Whichever marks an id second must report it: a repeat split across workers is
// never missed. A filter whose bits lay in several words could lose these (see sighted).
test('id filter: two threads marking the same ids at once miss no repeat', async () => {
  const N = 200_000;
  const f = new IdRepeatFilter(2 * N);
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const url = new URL('./id-repeat-filter.js', import.meta.url).href;
  const body = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(workerData.url).then(({ sighted }) => {
      const cells = new Int32Array(workerData.cells);
      const gate = new Int32Array(workerData.gate);
      Atomics.add(gate, 1, 1);
      Atomics.wait(gate, 0, 0);
      const found = [];
      for (let j = 0; j < workerData.n; j++) {
        const i = workerData.reverse ? workerData.n - 1 - j : j;
        if (sighted(cells, 'promo-0003:' + i)) found.push(i);
      }
      parentPort.postMessage(found);
    });`;
  const run = (reverse: boolean) => {
    const w = new Worker(body, { eval: true, workerData: { url, cells: f.shared, gate: gate.buffer, n: N, reverse } });
    return new Promise<number[]>((resolve, reject) => {
      w.once('message', (m: number[]) => {
        resolve(m);
        void w.terminate();
      });
      w.once('error', reject);
    });
  };
  const both = [run(false), run(true)];
  while (Atomics.load(gate, 1) < 2) await new Promise((r) => setTimeout(r, 1));
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  const [a, b] = await Promise.all(both);
  const reported = new Set([...(a as number[]), ...(b as number[])]);
  assert.equal(reported.size, N, 'every id was reported by the thread that marked it second');
});
