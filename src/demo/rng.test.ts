// Tests for the seeded PRNG: same seed → same stream, helpers stay in range, forks are stable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, hashString } from './rng.js';

const draw = (seed: number, n = 50) => {
  const r = createRng(seed);
  return Array.from({ length: n }, () => r.next());
};

test('same seed gives the same stream, different seeds differ', () => {
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  // Seeds beyond 32 bits still give distinct streams (TRICKY note in rng.ts).
  assert.notDeepEqual(draw(2 ** 32 + 5), draw(5));
});

test('helpers stay in range', () => {
  const r = createRng(1);
  for (let i = 0; i < 10_000; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    const k = r.int(3, 5);
    assert.ok(k >= 3 && k <= 5 && Number.isInteger(k));
    assert.ok(r.exponential(10) >= 0);
    assert.ok(r.lognormal(60, 1) > 0);
    assert.ok(r.geometric(0.5) >= 0);
    assert.ok(['a', 'b'].includes(r.pick(['a', 'b'])));
  }
});

test('weighted pick and bernoulli follow their probabilities', () => {
  const r = createRng(99);
  let a = 0;
  let hits = 0;
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    if (
      r.weighted([
        ['a', 3],
        ['b', 1],
      ] as const) === 'a'
    )
      a++;
    if (r.bernoulli(0.1)) hits++;
  }
  assert.ok(Math.abs(a / n - 0.75) < 0.02, `a share ${a / n}`);
  assert.ok(Math.abs(hits / n - 0.1) < 0.01, `bernoulli share ${hits / n}`);
});

test('lognormal median is near the requested median', () => {
  const r = createRng(5);
  const xs = Array.from({ length: 20_001 }, () => r.lognormal(100, 1)).sort((x, y) => x - y);
  const median = xs[10_000] as number;
  assert.ok(median > 90 && median < 110, `median ${median}`);
});

test('fork depends only on the seed and the label, not on draws made before', () => {
  const a = createRng(11);
  const b = createRng(11);
  b.next();
  b.next();
  assert.equal(a.fork('spring-sale').next(), b.fork('spring-sale').next());
  assert.notEqual(a.fork('spring-sale').next(), a.fork('weekly-digest').next());
  assert.equal(hashString('abc'), hashString('abc'));
});
