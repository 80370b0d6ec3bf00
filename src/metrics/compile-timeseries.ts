// Opens and clicks of one campaign over time (by hour or day of the event), people and machines apart,
// under the same delivered-only rule and reporting window as the report. Feeds the dashboard's chart;
// the SQL lives with the report's (compile-email.ts, compile-ads.ts), so both engines speak it.
import { ClickrateError } from '../errors.js';
import type { Store } from '../store/store.js';
import { compileAdTimeseries } from './compile-ads.js';
import { hasForeignClaims } from './campaign-owned.js';
import { campaignProfile, compileCampaignProfile, compileEmailTimeseries } from './compile-email.js';
import { planReport } from './report-plan.js';
import { parseReportQuery } from './report-query.js';
import type { TimeInterval, Timeseries } from './report-types.js';

const BUCKET_MS: Record<TimeInterval, number> = { hour: 3_600_000, day: 86_400_000 };
/** More buckets than a chart can show legibly; a campaign spanning years is charted by day. */
const MAX_BUCKETS = 5000;

function parseInterval(v: string | null | undefined): TimeInterval {
  if (v === null || v === undefined || v === '' || v === 'day') return 'day';
  if (v === 'hour') return 'hour';
  throw new ClickrateError('CR_ERR_BAD_QUERY', `interval must be hour or day, got '${v}'`, { field: 'interval' });
}

export async function runTimeseries(store: Store, input: { campaign: string; interval?: string | null; window?: string | null }): Promise<Timeseries> {
  const interval = parseInterval(input.interval);
  const query = parseReportQuery({ campaign: input.campaign, window: input.window ?? undefined });
  const window = query.window;
  const [profile] = await store.query(compileCampaignProfile(input.campaign, store.dialect));
  const plan = planReport(query, campaignProfile(profile), store.dialect.layout.capabilities);
  const kind = plan.kind;
  const bucket = BUCKET_MS[interval];
  const q =
    plan.kind === 'email'
      ? compileEmailTimeseries(plan, bucket, store.dialect, profile?.facts_stale !== false, hasForeignClaims(profile))
      : compileAdTimeseries(plan, bucket, store.dialect);
  const rows = await store.query(q);
  const points = rows.map((r) => ({
    t: Number(r.bucket) * bucket,
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
