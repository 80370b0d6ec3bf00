// Benchmark ranges shown beside a campaign's figures and used by the diagnosis. They are configuration,
// not truth: defaults below, overridden by the JSON in CLICKRATE_BENCHMARKS (same shape, any subset).
import { ClickrateError } from '../errors.js';

export interface Range {
  /** Percent. Below this the figure is "low". */
  low: number;
  /** Percent. Above this the figure is "high". */
  high: number;
  /** What the range is typical of, shown beside it ("retail promotional"). */
  label: string;
}

export interface Benchmarks {
  email: { ctr: Range; ctor: Range; reply_rate: Range };
  ads: { ctr: Range };
}

/** Rough published ranges for promotional email, cold outreach and display retargeting. */
export const DEFAULT_BENCHMARKS: Benchmarks = {
  email: {
    ctr: { low: 1.5, high: 4, label: 'promotional email' },
    ctor: { low: 10, high: 18, label: 'retail promotional' },
    reply_rate: { low: 1, high: 5, label: 'cold outreach' },
  },
  ads: { ctr: { low: 0.35, high: 1, label: 'display retargeting' } },
};

function checkRange(path: string, v: unknown, base: Range): Range {
  if (v === undefined) return base;
  const r = v as Partial<Range>;
  const low = r.low ?? base.low;
  const high = r.high ?? base.high;
  if (typeof low !== 'number' || typeof high !== 'number' || !(low >= 0) || !(high >= low) || high > 100) {
    throw new ClickrateError('CR_ERR_CONFIG', `CLICKRATE_BENCHMARKS: ${path} needs 0 ≤ low ≤ high ≤ 100 (percent)`, { field: path });
  }
  return { low, high, label: typeof r.label === 'string' ? r.label : base.label };
}

/** Defaults merged with a JSON override such as {"email":{"ctor":{"low":8,"high":15,"label":"B2B"}}}. */
export function parseBenchmarks(json: string | undefined): Benchmarks {
  if (!json) return DEFAULT_BENCHMARKS;
  let o: { email?: Record<string, unknown>; ads?: Record<string, unknown> };
  try {
    o = JSON.parse(json) as typeof o;
  } catch (err) {
    throw new ClickrateError('CR_ERR_CONFIG', `CLICKRATE_BENCHMARKS is not valid JSON (${(err as Error).message})`);
  }
  const d = DEFAULT_BENCHMARKS;
  return {
    email: {
      ctr: checkRange('email.ctr', o.email?.ctr, d.email.ctr),
      ctor: checkRange('email.ctor', o.email?.ctor, d.email.ctor),
      reply_rate: checkRange('email.reply_rate', o.email?.reply_rate, d.email.reply_rate),
    },
    ads: { ctr: checkRange('ads.ctr', o.ads?.ctr, d.ads.ctr) },
  };
}
