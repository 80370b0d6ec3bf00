// Step 3 of the report pipeline for ad campaigns (SPEC.md "Ads": impressions = impression events,
// clicks = human click events, CTR = clicks ÷ impressions). Ad events have a campaign and no message.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import type { ReportPlan } from './report-plan.js';

type AdPlan = Extract<ReportPlan, { kind: 'ads' }>;

export function compileAdReport(plan: AdPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, plan.query.campaign, 'String');
  // The window is relative to a message's send time; ad events have none, so it does not apply here.
  const key = plan.grouping === 'ad' ? "coalesce(ad, '')" : plan.grouping === 'day' ? d.dayOf('ts') : "''";
  const sql = `
    SELECT ${key} AS key,
      ${d.countIf("type = 'impression'")} AS impressions,
      ${d.countIf(`type = 'click' AND machine = ${d.false}`)} AS clicks,
      ${d.countIf(`type = 'click' AND machine = ${d.true}`)} AS machine_clicks,
      ${d.countIf("type = 'click'")} AS raw_clicks,
      ${d.countIf("type = 'conversion'")} AS conversions,
      ${d.sumIf(d.fixed4('value'), "type = 'conversion'")} / 10000 AS revenue
    FROM ${d.layout.events(`${d.layout.campaignNamed(c)} AND message IS NULL`, 'machine', c)} AS e
    GROUP BY key
    ORDER BY key`;
  return { sql, params: bag.params };
}

export function compileAdMachineReasons(plan: AdPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, plan.query.campaign, 'String');
  const sql = `
    SELECT type, reasons, count(*) AS n FROM ${d.layout.events(`${d.layout.campaignNamed(c)} AND message IS NULL AND type = 'click'`, 'machine', c)} AS e
    WHERE machine = ${d.true}
    GROUP BY type, reasons`;
  return { sql, params: bag.params };
}

/** Impressions and clicks over time (the window is relative to a send, which ad events do not have). */
export function compileAdTimeseries(plan: AdPlan, bucketMs: number, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, plan.query.campaign, 'String');
  const sql = `
    SELECT ${d.bucketOf('ts', bucketMs)} AS bucket,
      ${d.countIf("type = 'impression'")} AS impressions,
      ${d.countIf(`type = 'click' AND machine = ${d.false}`)} AS human_clicks,
      ${d.countIf(`type = 'click' AND machine = ${d.true}`)} AS machine_clicks
    FROM ${d.layout.events(`${d.layout.campaignNamed(c)} AND message IS NULL AND type IN ('impression', 'click')`, 'machine', c)} AS e
    GROUP BY bucket
    ORDER BY bucket`;
  return { sql, params: bag.params };
}
