// Tests for the pure statistics: reference values computed independently (Python math.erfc, closed-form
// Wilson; R prop.test(correct = FALSE) gives the same z-test p-values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abVerdict, lift, normalCdf, rate, twoProportionZTest, wilson } from './stats.js';

function close(actual: number | null | undefined, expected: number, tol: number, label: string): void {
  assert.ok(actual !== null && actual !== undefined, `${label}: got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: got ${actual}, expected ${expected} ± ${tol}`);
}

test('rate: percentages at full precision, null when the denominator is 0', () => {
  const cases: Array<[number, number, number | null]> = [
    [1000, 10000, 10], // SPEC worked figure: email CTR
    [200, 50000, 0.4], // SPEC worked figure: ad CTR
    [0, 10, 0], // nobody clicked is 0%, not null
    [0, 0, null], // nothing delivered: undefined, not 0
    [5, 0, null],
  ];
  for (const [n, d, want] of cases) assert.equal(rate(n, d), want, `rate(${n}, ${d})`);
  close(rate(1000, 4500), 22.22222222222222, 1e-12, 'CTOR 1000/4500 keeps full precision');
});

test('normalCdf matches the standard normal to ~1e-7, including the far tail', () => {
  const cases: Array<[number, number]> = [
    [0, 0.5],
    [1, 0.8413447460685429],
    [1.96, 0.9750021048517795],
    [-1.96, 0.024997895148220435],
    [3, 0.9986501019683699],
    [-3, 0.0013498980316300957],
  ];
  for (const [x, want] of cases) close(normalCdf(x), want, 2e-7, `Φ(${x})`);
  // Relative accuracy in the tail: a p-value of 3e-7 must not come out as 0 or 1e-6.
  close(normalCdf(-5) / 2.866515718791946e-7, 1, 2e-7, 'Φ(-5) relative');
});

test('wilson: 95% score interval as percentages, exact at the edges', () => {
  const cases: Array<[number, number, [number, number]]> = [
    [10, 100, [5.52291370606751, 17.436566150491345]],
    [0, 10, [0, 27.75327998628892]],
    [10, 10, [72.24672001371107, 100]],
    [1000, 10000, [9.427283017063045, 10.603436852591082]],
    [5, 20, [11.186170140766569, 46.8700877618744]],
  ];
  for (const [x, n, [lo, hi]] of cases) {
    const ci = wilson(x, n);
    assert.ok(ci, `wilson(${x}, ${n}) should exist`);
    close(ci[0], lo, 1e-9, `wilson(${x}, ${n}) low`);
    close(ci[1], hi, 1e-9, `wilson(${x}, ${n}) high`);
  }
  // Edges are pinned exactly, so the CLI never prints -0.00% or 99.99% for 10/10.
  assert.equal(wilson(0, 10)?.[0], 0);
  assert.equal(wilson(10, 10)?.[1], 100);
  assert.equal(wilson(0, 0), null, 'no trials, no interval');
  assert.equal(wilson(11, 10), null, 'more successes than trials is not a proportion');
});

test('twoProportionZTest: pooled, two-sided', () => {
  // NB: 120/1000 vs 150/1000 gives p = 0.0496 (χ² = 3.8535); an earlier note said 0.0425, which is wrong.
  const cases: Array<[number, number, number, number, number, number]> = [
    [120, 1000, 150, 1000, 1.963049807622355, 0.04964038686536881],
    [100, 2000, 130, 2000, 2.0375893277870785, 0.04159102022986785],
    [150, 1000, 120, 1000, -1.963049807622355, 0.04964038686536881],
    [50, 1000, 50, 1000, 0, 1],
  ];
  for (const [x1, n1, x2, n2, z, p] of cases) {
    const r = twoProportionZTest(x1, n1, x2, n2);
    close(r?.z, z, 1e-9, `z for ${x1}/${n1} vs ${x2}/${n2}`);
    close(r?.pValue, p, 1e-6, `p for ${x1}/${n1} vs ${x2}/${n2}`);
  }
  const undefinedCases: Array<[number, number, number, number]> = [
    [0, 0, 5, 10], // empty control
    [0, 100, 0, 100], // nobody clicked anywhere
    [100, 100, 50, 50], // everybody clicked
  ];
  for (const [x1, n1, x2, n2] of undefinedCases) assert.equal(twoProportionZTest(x1, n1, x2, n2), null, `${x1}/${n1} vs ${x2}/${n2}`);
});

test('lift: relative change in %, null when control is 0 or missing', () => {
  const cases: Array<[number | null, number | null, number | null]> = [
    [15, 12, 25],
    [9, 12, -25],
    [12, 12, 0],
    [5, 0, null],
    [null, 12, null],
    [12, null, null],
  ];
  for (const [t, c, want] of cases) {
    if (want === null) assert.equal(lift(t, c), null, `lift(${t}, ${c})`);
    else close(lift(t, c), want, 1e-12, `lift(${t}, ${c})`);
  }
});

test('abVerdict: significant only on a testable comparison with p < 0.05', () => {
  const sig = abVerdict({ successes: 120, trials: 1000 }, { successes: 150, trials: 1000 });
  close(sig.lift, 25, 1e-9, 'lift 12% → 15%');
  close(sig.p_value, 0.0496, 1e-4, 'p');
  assert.equal(sig.significant, true);
  assert.equal(sig.reason, undefined);

  const notSig = abVerdict({ successes: 100, trials: 1000 }, { successes: 110, trials: 1000 });
  assert.equal(notSig.significant, false);
  assert.equal(notSig.reason, undefined, 'a real test that found nothing is not "untestable"');

  const cases: Array<[[number, number], [number, number], string]> = [
    [[1, 100], [3, 100], 'too few clicks to test'],
    [[98, 100], [99, 100], 'too few non-clicks to test'],
    [[0, 0], [5, 100], 'no messages in one of the groups'],
  ];
  for (const [[cx, cn], [vx, vn], reason] of cases) {
    const v = abVerdict({ successes: cx, trials: cn }, { successes: vx, trials: vn });
    assert.equal(v.significant, false, `${cx}/${cn} vs ${vx}/${vn}`);
    assert.equal(v.p_value, null);
    assert.equal(v.reason, reason);
  }
  // 0 clicks in one arm is still testable when the other arm clicked plenty.
  const zeroArm = abVerdict({ successes: 0, trials: 500 }, { successes: 40, trials: 500 });
  assert.equal(zeroArm.significant, true);
  assert.equal(zeroArm.lift, null, 'lift over a 0% control is undefined');
});
