// Pure statistics behind every clickrate figure: percentages, Wilson intervals, the two-proportion z-test,
// relative lift and the A/B verdict built from them. No I/O, no store; every function is deterministic.
import type { AbVerdict } from './report-types.js';

/** z for a two-sided 95% interval: Φ⁻¹(0.975). */
const Z95 = 1.959963984540054;

/**
 * 100 × numerator ÷ denominator at full precision (rounding is the presenter's job).
 * SPEC.md, "Metric semantics": "a rate whose denominator is 0 is `null`" — never 0, never NaN, so
 * "no delivered messages" stays distinguishable from "nobody clicked".
 */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return (100 * numerator) / denominator;
}

/**
 * 95% Wilson score interval for a proportion, as percentages [low, high].
 * Formula: E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
 * JASA 22 (1927) 209–212; recommended over the Wald interval by A. Agresti & B. A. Coull,
 * "Approximate is better than 'exact' for interval estimation of binomial proportions",
 * The American Statistician 52 (1998) 119–126:
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
 * Returns null when trials is 0 (no interval exists) or when successes is outside [0, trials]
 * (e.g. CTOR above 100% — a proportion interval would be meaningless there).
 */
export function wilson(successes: number, trials: number, z: number = Z95): [number, number] | null {
  if (trials <= 0 || successes < 0 || successes > trials) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  // TRICKY: at successes = 0 the exact lower bound is 0 and at successes = trials the exact upper bound
  // is 1, but floating point yields ±1e-17 or 0.99999999999999999 — a user would see "CI -0.00–…" or
  // "…–99.99%". Pin the ends exactly.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === trials ? 1 : Math.min(1, centre + half);
  return [100 * low, 100 * high];
}

/**
 * erfc(x) by the Chebyshev fit of Numerical Recipes in C, 2nd ed. (Press et al., 1992), §6.2 `erfcc`:
 * fractional error below 1.2e-7 everywhere, so tail probabilities (tiny p-values) stay accurate in
 * relative terms too, unlike 1 − Φ(x) computed by subtraction.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x) = ½·erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Pooled two-proportion z-test, two-sided (e.g. Agresti, "Categorical Data Analysis", §3.1; identical
 * to Pearson's χ² test without continuity correction, z² = χ²). z is signed: positive when group 2's
 * proportion is higher. Null when undefined: a group with no trials, or pooled p̂ of 0 or 1 (zero
 * standard error — everyone or no one clicked in both groups).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): { z: number; pValue: number } | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  if (pooled <= 0 || pooled >= 1) return null;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = (x2 / n2 - x1 / n1) / se;
  // p = 2·(1 − Φ(|z|)) = erfc(|z|/√2): computed directly so small p-values do not cancel to 0.
  return { z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/** Relative lift of test over control in %: (t − c) ÷ c × 100. Null when either is null or c is 0. */
export function lift(test: number | null, control: number | null): number | null {
  if (test === null || control === null || control === 0) return null;
  return ((test - control) / control) * 100;
}

/** Smallest expected cell count for the normal approximation to be trusted (Cochran's rule of thumb). */
const MIN_EXPECTED = 5;

/**
 * Compare a variant against control (successes = unique clicks, trials = delivered, or any other rate).
 * Untestable comparisons get significant: false, p_value null and a reason a user can read.
 */
export function abVerdict(control: { successes: number; trials: number }, variant: { successes: number; trials: number }): AbVerdict {
  const control_rate = rate(control.successes, control.trials);
  const variant_rate = rate(variant.successes, variant.trials);
  const base = { control_rate, variant_rate, lift: lift(variant_rate, control_rate) };
  const untestable = (reason: string): AbVerdict => ({ ...base, z: null, p_value: null, significant: false, reason });

  if (control.trials <= 0 || variant.trials <= 0) return untestable('no messages in one of the groups');
  const pooled = (control.successes + variant.successes) / (control.trials + variant.trials);
  // TRICKY: check expected counts under the null (pooled p̂ × n), not observed ones: a group with 0 clicks
  // can be a real, testable result when the other group clicked plenty.
  const minN = Math.min(control.trials, variant.trials);
  if (pooled * minN < MIN_EXPECTED) return untestable('too few clicks to test');
  if ((1 - pooled) * minN < MIN_EXPECTED) return untestable('too few non-clicks to test');

  const test = twoProportionZTest(control.successes, control.trials, variant.successes, variant.trials);
  if (test === null) return untestable('no variation to test');
  return { ...base, z: test.z, p_value: test.pValue, significant: test.pValue < 0.05 };
}
