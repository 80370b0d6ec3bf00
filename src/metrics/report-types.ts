// The shapes of a report (SPEC.md "report --json"): what the CLI prints, the HTTP API returns and the
// dashboard draws. Rates are percentages at full precision; a rate over a zero denominator is null.
// The web client imports these types as they are: keep this file to types, importing types only.
import type { AbVerdict } from './stats.js';

export type Interval = [number, number] | null;
export type GroupKey = string | number | null;

interface RawFigures {
  unique_opens: number;
  unique_clicks: number;
  total_clicks: number;
  ctr: number | null;
  ctor: number | null;
  open_rate: number | null;
}

export interface EmailMetrics {
  sent: number;
  bounced: number;
  delivered: number;
  unique_opens: number;
  implied_opens: number;
  unique_clicks: number;
  total_clicks: number;
  machine_opens: number;
  scanner_clicks: number;
  /** Delivered messages whose only opens were machine ones: their real opens cannot be seen. */
  privacy_hidden: number;
  /** Delivered messages with a person's reply (auto-replies and opt-outs read from a mailbox set aside). */
  replies: number;
  /** Delivered messages with an automatic answer (out of office, RFC 3834 Auto-Submitted, …). */
  auto_replies: number;
  /** Delivered messages whose recipient answered asking not to be written to again. */
  opt_out_replies: number;
  unsubscribes: number;
  complaints: number;
  conversions: number;
  revenue: number;
  ctr: number | null;
  ctor: number | null;
  open_rate: number | null;
  reply_rate: number | null;
  bounce_rate: number | null;
  unsubscribe_rate: number | null;
  complaint_rate: number | null;
  privacy_hidden_rate: number | null;
  revenue_per_recipient: number | null;
  ctr_ci: Interval;
  ctor_ci: Interval;
  open_rate_ci: Interval;
  reply_rate_ci: Interval;
  /**
   * Of delivered messages with a person's reply, the lower median of the seconds from send to the first
   * one; null when none replied (metrics.md "Time to first reply").
   */
  median_time_to_reply_s: number | null;
  raw: RawFigures;
}

interface VariantComparison {
  control: string;
  ctr: AbVerdict;
  ctor: AbVerdict;
}

export interface EmailGroup extends EmailMetrics {
  key: GroupKey;
  /** With --by variant: this variant against the control (null on the control itself). */
  comparison?: VariantComparison | null;
}

export interface LinkGroup {
  key: string;
  unique_clicks: number;
  total_clicks: number;
  scanner_clicks: number;
  /** 100 × unique clicks on this link ÷ delivered of the whole selection. */
  ctr: number | null;
  ctr_ci: Interval;
  /** This link's unique clicks ÷ the sum of unique clicks over links (a fraction, SPEC.md). */
  click_share: number | null;
  raw: { unique_clicks: number; total_clicks: number; ctr: number | null };
}

interface EmailTotals extends EmailMetrics {
  orphans: number;
  /** What was set aside as machines, by reason code (an event with several reasons counts under each). */
  machine_reasons: { opens: Record<string, number>; clicks: Record<string, number> };
}

export interface EmailReport {
  campaign: string;
  kind: 'email';
  window: string | null;
  by: string | null;
  control?: string | null;
  totals: EmailTotals;
  groups: Array<EmailGroup | LinkGroup>;
}

export interface AdMetrics {
  impressions: number;
  clicks: number;
  machine_clicks: number;
  conversions: number;
  revenue: number;
  ctr: number | null;
  ctr_ci: Interval;
  raw: { clicks: number; ctr: number | null };
}

export interface AdReport {
  campaign: string;
  kind: 'ads';
  window: null;
  by: string | null;
  totals: AdMetrics & { orphans: number; machine_reasons: { clicks: Record<string, number> } };
  groups: Array<AdMetrics & { key: GroupKey }>;
}

export type Report = EmailReport | AdReport;

/** The buckets of a campaign's time series. */
export type TimeInterval = 'hour' | 'day';

interface TimeseriesPoint {
  /** Bucket start, epoch ms (UTC). */
  t: number;
  human_opens: number;
  machine_opens: number;
  human_clicks: number;
  machine_clicks: number;
  /** Ads only: impression events. */
  impressions: number;
}

export interface Timeseries {
  campaign: string;
  kind: 'email' | 'ads';
  interval: TimeInterval;
  window: string | null;
  points: TimeseriesPoint[];
}
