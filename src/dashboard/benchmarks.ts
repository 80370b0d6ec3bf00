// Benchmark ranges shown beside a campaign's figures and used by the diagnosis, one set per kind of email
// campaign (store/campaign-settings.ts) and one for ads. They are configuration, not truth: the defaults
// below, overridden by the JSON in CLICKRATE_BENCHMARKS (same shape, any subset).
import { ClickrateError } from '../errors.js';
import { EMAIL_KINDS, type EmailKind } from '../store/campaign-settings.js';
import type { Range } from './dashboard-schemas.js';

export interface EmailRanges {
  ctr: Range;
  ctor: Range;
  reply_rate: Range;
}

export interface Benchmarks {
  email: Record<EmailKind, EmailRanges>;
  ads: { ctr: Range };
}

/*
 * Where the defaults come from. Each range brackets a published average; platform averages blend very
 * different senders, so a figure outside the range is a question to ask, not a grade.
 * - promotional: Campaign Monitor, "Email Marketing Benchmarks" (2019 report over 30 billion emails sent in
 *   2018): average CTR 2.69%, click-to-open 14.10%, all industries; retail the lowest.
 *   https://www.campaignmonitor.com/resources/guides/email-marketing-benchmarks/
 * - newsletter: the same report's media, publishing and non-profit rows (opened by subscribers who asked for
 *   them) run above the all-industry average; Mailchimp's "Email Marketing Benchmarks by Industry" puts
 *   media and publishing clicks near 4.6% of delivered. https://mailchimp.com/resources/email-marketing-benchmarks/
 * - outreach (cold email, sequences): replies are what counts. Instantly's "Cold Email Benchmark Report 2026"
 *   gives an average reply rate of 3.43% (top decile 10.7%+); Saleshandy's summary of several such reports
 *   gives 3–5% replies and a 3.9% click rate. https://www.saleshandy.com/blog/cold-email-statistics/
 *   CTOR is not judged for outreach: its opens are mostly machines and most steps carry no link.
 * - transactional (receipts, notifications): Experian's "Transactional Email Report" found transactional
 *   messages drew several times the clicks of bulk mail; the ranges here are set well above the promotional
 *   ones without claiming that multiple.
 * - ads: WordStream's "Google Ads Benchmarks" put the display network's average CTR near 0.46%;
 *   retargeting runs somewhat higher.
 */
/** One kind's ranges, percent: [low, high] of CTR, CTOR and reply rate. */
function ranges(label: string, ctr: [number, number], ctor: [number, number], reply: [number, number]): EmailRanges {
  const r = ([low, high]: [number, number]): Range => ({ low, high, label });
  return { ctr: r(ctr), ctor: r(ctor), reply_rate: r(reply) };
}

export const DEFAULT_BENCHMARKS: Benchmarks = {
  email: {
    promotional: ranges('promotional email', [1.5, 4], [10, 18], [0, 1]),
    newsletter: ranges('newsletters', [2, 6], [12, 25], [0, 1]),
    outreach: ranges('cold outreach', [1, 5], [5, 20], [1, 5]),
    transactional: ranges('transactional email', [5, 15], [20, 45], [0, 2]),
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

type Override = Partial<Record<keyof EmailRanges, unknown>>;

/**
 * Defaults merged with a JSON override such as {"email":{"outreach":{"reply_rate":{"low":2,"high":8}}}}.
 * A metric directly under "email" ({"email":{"ctor":{…}}}, the shape before kinds existed) applies to
 * every kind, and a kind's own entry wins over it.
 */
export function parseBenchmarks(json: string | undefined): Benchmarks {
  if (!json) return DEFAULT_BENCHMARKS;
  let o: { email?: Record<string, unknown>; ads?: Record<string, unknown> };
  try {
    o = JSON.parse(json) as typeof o;
  } catch (err) {
    throw new ClickrateError('CR_ERR_CONFIG', `CLICKRATE_BENCHMARKS is not valid JSON (${(err as Error).message})`);
  }
  for (const k of Object.keys(o.email ?? {})) {
    if (!(EMAIL_KINDS as readonly string[]).includes(k) && !['ctr', 'ctor', 'reply_rate'].includes(k)) {
      throw new ClickrateError('CR_ERR_CONFIG', `CLICKRATE_BENCHMARKS: email.${k} is neither a kind (${EMAIL_KINDS.join(', ')}) nor a metric`, {
        field: `email.${k}`,
      });
    }
  }
  const all = (o.email ?? {}) as Override;
  const email = {} as Benchmarks['email'];
  for (const kind of EMAIL_KINDS) {
    const own = (o.email?.[kind] ?? {}) as Override;
    const d = DEFAULT_BENCHMARKS.email[kind];
    const pick = (m: keyof EmailRanges): Range => checkRange(`email.${kind}.${m}`, own[m], checkRange(`email.${m}`, all[m], d[m]));
    email[kind] = { ctr: pick('ctr'), ctor: pick('ctor'), reply_rate: pick('reply_rate') };
  }
  return { email, ads: { ctr: checkRange('ads.ctr', o.ads?.ctr, DEFAULT_BENCHMARKS.ads.ctr) } };
}
