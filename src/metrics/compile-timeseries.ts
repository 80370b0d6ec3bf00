// Opens and clicks of one campaign over time (by hour or day of the event), people and machines apart,
// under the same delivered-only rule and reporting window as the report. Feeds the dashboard's chart.
import { ClickrateError } from '../errors.js';
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import type { Store } from '../store/store.js';
import { compileCampaignProfile } from './compile-email.js';
import { parseWindow } from './window.js';

export type Interval = 'hour' | 'day';
const BUCKET_MS: Record<Interval, number> = { hour: 3_600_000, day: 86_400_000 };
/** More buckets than a chart can show legibly; a campaign spanning years is charted by day. */
export const MAX_BUCKETS = 5000;

export interface TimeseriesPoint {
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
  interval: Interval;
  window: string | null;
  points: TimeseriesPoint[];
}

/**
 * Email: events of the campaign's delivered messages, within the window of their send. The message
 * CTEs follow compile-email.ts (kept private there), reduced to what a chart needs.
 */
export function compileEmailTimeseries(campaign: string, bucketMs: number, windowMs: number | null, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const b = d.param(bag, bucketMs, 'Int64');
  const win = windowMs === null ? '' : `AND ev.ts <= msg.send_ts + ${d.param(bag, windowMs, 'Int64')}`;
  const sql = `
    WITH ids AS (
      SELECT DISTINCT message FROM events
      WHERE campaign = ${c} AND message IS NOT NULL AND type IN ('sent', 'delivered')
    ),
    ev AS (
      SELECT message, type, ts, machine FROM events WHERE message IN (SELECT message FROM ids)
    ),
    msg AS (
      SELECT message,
        ${d.coalesce(d.minIf('ts', "type = 'sent'"), d.minIf('ts', "type = 'delivered'"))} AS send_ts,
        ${d.anyTrue("type = 'bounced'")} AS bounced
      FROM ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message
    )
    SELECT CAST(floor(ev.ts / ${b}) AS BIGINT) * ${b} AS t,
      ${d.countIf("ev.type = 'open' AND ev.machine = false")} AS human_opens,
      ${d.countIf("ev.type = 'open' AND ev.machine = true")} AS machine_opens,
      ${d.countIf("ev.type = 'click' AND ev.machine = false")} AS human_clicks,
      ${d.countIf("ev.type = 'click' AND ev.machine = true")} AS machine_clicks
    FROM ev JOIN msg ON ev.message = msg.message
    WHERE ev.type IN ('open', 'click') AND msg.bounced = 0 ${win}
    GROUP BY t
    ORDER BY t`;
  return { sql, params: bag.params };
}

/** Ads: impressions and clicks by bucket (the window is relative to a send, which ads do not have). */
export function compileAdTimeseries(campaign: string, bucketMs: number, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const b = d.param(bag, bucketMs, 'Int64');
  const sql = `
    SELECT CAST(floor(ts / ${b}) AS BIGINT) * ${b} AS t,
      ${d.countIf("type = 'impression'")} AS impressions,
      ${d.countIf("type = 'click' AND machine = false")} AS human_clicks,
      ${d.countIf("type = 'click' AND machine = true")} AS machine_clicks
    FROM events
    WHERE campaign = ${c} AND message IS NULL AND type IN ('impression', 'click')
    GROUP BY t
    ORDER BY t`;
  return { sql, params: bag.params };
}

export function parseInterval(v: string | null | undefined): Interval {
  if (v === null || v === undefined || v === '' || v === 'day') return 'day';
  if (v === 'hour') return 'hour';
  throw new ClickrateError('CR_ERR_BAD_QUERY', `interval must be hour or day, got '${v}'`, { field: 'interval' });
}

export async function runTimeseries(store: Store, input: { campaign: string; interval?: string | null; window?: string | null }): Promise<Timeseries> {
  const interval = parseInterval(input.interval);
  const window = input.window ? parseWindow(input.window) : null;
  const [profile] = await store.query(compileCampaignProfile(input.campaign, store.dialect));
  const messages = Number(profile?.messages ?? 0);
  const adEvents = Number(profile?.ad_events ?? 0);
  if (messages === 0 && adEvents === 0) throw new ClickrateError('CR_ERR_NOT_FOUND', `no campaign '${input.campaign}'`, { campaign: input.campaign });
  const kind = messages > 0 ? 'email' : 'ads';
  const bucket = BUCKET_MS[interval];
  const q = kind === 'email' ? compileEmailTimeseries(input.campaign, bucket, window?.ms ?? null, store.dialect) : compileAdTimeseries(input.campaign, bucket, store.dialect);
  const rows = await store.query(q);
  const points = rows.map((r) => ({
    t: Number(r.t),
    human_opens: Number(r.human_opens ?? 0),
    machine_opens: Number(r.machine_opens ?? 0),
    human_clicks: Number(r.human_clicks ?? 0),
    machine_clicks: Number(r.machine_clicks ?? 0),
    impressions: Number(r.impressions ?? 0),
  }));
  const first = points[0]?.t;
  const last = points.at(-1)?.t;
  if (first !== undefined && last !== undefined && (last - first) / bucket > MAX_BUCKETS) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', `this campaign spans more than ${MAX_BUCKETS} ${interval}s; chart it by day`, { field: 'interval' });
  }
  return { campaign: input.campaign, kind, interval, window: window?.text ?? null, points };
}
