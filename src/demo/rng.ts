// A small seeded PRNG (mulberry32) and the distributions the traffic simulator draws from.
// Deterministic for a seed: the simulator never touches Math.random or the clock.
import { ClickrateError } from '../errors.js';

/** A seeded random source. Every draw advances one shared 32-bit state. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element, with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Lognormal given its median and log-space sigma: most draws near the median, a long right tail. */
  lognormal(median: number, sigma: number): number;
  /** Number of failures before the first success, success probability p (0 → 0 draws, p small → many). */
  geometric(p: number): number;
  /** A new independent stream derived from this one's seed and a label (stable across runs). */
  fork(label: string): Rng;
}

/** FNV-1a 32-bit: turns labels (campaign ids) into seed material. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32 (Tommy Ettinger, public domain): one 32-bit word of state, period 2^32, passes
 * gjrand/PractRand far enough for simulation. Not for cryptography.
 */
export function createRng(seed: number): Rng {
  // TRICKY: seeds may be any number (1.5, -3, 2^40); fold to an unsigned 32-bit word first, or
  // Math.imul's implicit ToInt32 silently maps different seeds onto one stream.
  const origin = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) >>> 0;
  let state = origin;
  let spareNormal: number | null = null;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const normal = (): number => {
    if (spareNormal !== null) {
      const s = spareNormal;
      spareNormal = null;
      return s;
    }
    // 1 - next() is in (0, 1], so the log never sees 0.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  };

  const rng: Rng = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bernoulli: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new ClickrateError('CR_ERR_BAD_INPUT', 'pick from an empty array');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      let total = 0;
      for (const [, w] of items) total += w;
      if (!(total > 0)) throw new ClickrateError('CR_ERR_BAD_INPUT', 'weighted pick needs a positive total weight');
      let x = next() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      // Floating-point leftovers land on the last item.
      return (items[items.length - 1] as readonly [T, number])[0];
    },
    exponential: (mean) => -mean * Math.log(1 - next()),
    normal,
    lognormal: (median, sigma) => median * Math.exp(sigma * normal()),
    geometric(p: number): number {
      if (p >= 1) return 0;
      if (p <= 0) throw new ClickrateError('CR_ERR_BAD_INPUT', 'geometric needs p > 0');
      return Math.floor(Math.log(1 - next()) / Math.log(1 - p));
    },
    fork: (label) => createRng((origin ^ hashString(label)) >>> 0),
  };
  return rng;
}
