// Step 3 of the report pipeline for email campaigns: the plan as parameter-bound SQL for one dialect.
// Everything is counted at the message grain (SPEC.md "Metric semantics"); the dialect supplies syntax.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import type { ReportPlan } from './report-plan.js';

type EmailPlan = Extract<ReportPlan, { kind: 'email' }>;

/**
 * The campaign's messages (`msg`: one row per message with its send time, bounce flag and labels) and
 * their events (`ev`). A message belongs to the campaign its sent or delivered event names.
 */
function messageCtes(d: SqlDialect, bag: ParamBag, campaign: string): string {
  const c = d.param(bag, campaign, 'String');
  const first = (col: string) => d.coalesce(d.anyIf(col, "type = 'sent'"), d.anyIf(col, "type = 'delivered'"));
  return `
    ids AS (
      SELECT DISTINCT message FROM events
      WHERE campaign = ${c} AND message IS NOT NULL AND type IN ('sent', 'delivered')
    ),
    ev AS (
      SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient
      FROM events WHERE message IN (SELECT message FROM ids)
    ),
    msg AS (
      SELECT message,
        ${d.coalesce(d.minIf('ts', "type = 'sent'"), d.minIf('ts', "type = 'delivered'"))} AS send_ts,
        ${d.anyTrue("type = 'bounced'")} AS bounced,
        ${first('step')} AS step,
        ${first('variant')} AS variant,
        ${first('segment')} AS segment,
        ${first('recipient')} AS recipient
      FROM ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message
    )`;
}

/** Engagement counts only on delivered messages and, with a window, within it of the send time. */
function engagementFilter(d: SqlDialect, bag: ParamBag, plan: EmailPlan): string {
  const parts = ['msg.bounced = 0'];
  if (plan.query.window) parts.push(`ev.ts <= msg.send_ts + ${d.param(bag, plan.query.window.ms, 'Int64')}`);
  return parts.join(' AND ');
}

function groupKey(d: SqlDialect, plan: EmailPlan): string {
  switch (plan.grouping) {
    case 'variant':
      return 'variant';
    case 'segment':
      return 'segment';
    case 'step':
      return 'step';
    case 'provider':
      // Grouped by domain here; shape maps domains to mailbox providers. Message counts are additive
      // over a partition of messages, so summing domain rows per provider is exact.
      return d.domainOf('recipient');
    case 'day':
      // Cohort by send day, so each day's CTR divides that day's clicks by that day's deliveries.
      return d.dayOf('send_ts');
    default:
      return "''";
  }
}

export function compileEmailReport(plan: EmailPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const ctes = messageCtes(d, bag, plan.query.campaign);
  const filter = engagementFilter(d, bag, plan);
  const human = 'machine = false';
  const sql = `
    WITH ${ctes},
    eng AS (
      SELECT ev.message AS message,
        ${d.countIf(`type = 'open' AND ${human}`)} AS h_opens,
        ${d.countIf(`type = 'click' AND ${human}`)} AS h_clicks,
        ${d.countIf("type = 'open' AND machine = true")} AS m_opens,
        ${d.countIf("type = 'click' AND machine = true")} AS m_clicks,
        ${d.countIf("type = 'open'")} AS r_opens,
        ${d.countIf("type = 'click'")} AS r_clicks,
        ${d.countIf("type = 'reply'")} AS replies,
        ${d.countIf("type = 'unsubscribe'")} AS unsubscribes,
        ${d.countIf("type = 'complaint'")} AS complaints,
        ${d.countIf("type = 'conversion'")} AS conversions,
        ${d.sumIf('value', "type = 'conversion'")} AS revenue
      FROM ev JOIN msg ON ev.message = msg.message
      WHERE ev.type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion') AND ${filter}
      GROUP BY ev.message
    ),
    j AS (
      SELECT msg.send_ts AS send_ts, msg.bounced AS bounced, msg.step AS step, msg.variant AS variant,
        msg.segment AS segment, msg.recipient AS recipient,
        coalesce(eng.h_opens, 0) AS h_opens, coalesce(eng.h_clicks, 0) AS h_clicks,
        coalesce(eng.m_opens, 0) AS m_opens, coalesce(eng.m_clicks, 0) AS m_clicks,
        coalesce(eng.r_opens, 0) AS r_opens, coalesce(eng.r_clicks, 0) AS r_clicks,
        coalesce(eng.replies, 0) AS replies, coalesce(eng.unsubscribes, 0) AS unsubscribes,
        coalesce(eng.complaints, 0) AS complaints, coalesce(eng.conversions, 0) AS conversions,
        coalesce(eng.revenue, 0) AS revenue
      FROM msg LEFT JOIN eng ON msg.message = eng.message
    )
    SELECT ${groupKey(d, plan)} AS key,
      count(*) AS sent,
      ${d.countIf('bounced = 1')} AS bounced,
      ${d.countIf('bounced = 0')} AS delivered,
      ${d.countIf('h_opens > 0 OR h_clicks > 0')} AS unique_opens,
      ${d.countIf('h_opens = 0 AND h_clicks > 0')} AS implied_opens,
      ${d.countIf('h_clicks > 0')} AS unique_clicks,
      sum(h_clicks) AS total_clicks,
      sum(m_opens) AS machine_opens,
      sum(m_clicks) AS scanner_clicks,
      ${d.countIf('m_opens > 0 AND h_opens = 0 AND h_clicks = 0')} AS privacy_hidden,
      ${d.countIf('replies > 0')} AS replies,
      ${d.countIf('unsubscribes > 0')} AS unsubscribes,
      ${d.countIf('complaints > 0')} AS complaints,
      sum(conversions) AS conversions,
      sum(revenue) AS revenue,
      ${d.countIf('r_opens > 0 OR r_clicks > 0')} AS raw_unique_opens,
      ${d.countIf('r_clicks > 0')} AS raw_unique_clicks,
      sum(r_clicks) AS raw_total_clicks
    FROM j
    GROUP BY key
    ORDER BY key`;
  return { sql, params: bag.params };
}

/** Per link (SPEC.md `--by link`): key = URL, message-grain unique clicks on that link. */
export function compileLinkReport(plan: EmailPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const ctes = messageCtes(d, bag, plan.query.campaign);
  const filter = engagementFilter(d, bag, plan);
  const sql = `
    WITH ${ctes}
    SELECT ev.url AS key,
      ${d.countDistinctIf('ev.message', 'ev.machine = false')} AS unique_clicks,
      ${d.countIf('ev.machine = false')} AS total_clicks,
      ${d.countIf('ev.machine = true')} AS scanner_clicks,
      count(DISTINCT ev.message) AS raw_unique_clicks,
      count(*) AS raw_total_clicks
    FROM ev JOIN msg ON ev.message = msg.message
    WHERE ev.type = 'click' AND ${filter}
    GROUP BY ev.url
    ORDER BY unique_clicks DESC, raw_unique_clicks DESC, key`;
  return { sql, params: bag.params };
}

/** Machine opens and clicks by the reasons that made them machine (issue #4: "a breakdown by reason"). */
export function compileEmailMachineReasons(plan: EmailPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const ctes = messageCtes(d, bag, plan.query.campaign);
  const filter = engagementFilter(d, bag, plan);
  const sql = `
    WITH ${ctes}
    SELECT ev.type AS type, ev.reasons AS reasons, count(*) AS n
    FROM ev JOIN msg ON ev.message = msg.message
    WHERE ev.machine = true AND ev.type IN ('open', 'click') AND ${filter}
    GROUP BY ev.type, ev.reasons`;
  return { sql, params: bag.params };
}

/**
 * What a report needs to know before planning: how many messages the campaign sent, how many ad events
 * it has, and its orphans (events naming the campaign whose message was never sent, SPEC.md).
 */
export function compileCampaignProfile(campaign: string, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const sql = `
    WITH own AS (
      SELECT message, type FROM events WHERE campaign = ${c}
    ),
    sent_here AS (
      SELECT DISTINCT message FROM own WHERE message IS NOT NULL AND type IN ('sent', 'delivered')
    ),
    candidates AS (
      SELECT message FROM own
      WHERE message IS NOT NULL AND type NOT IN ('sent', 'delivered') AND message NOT IN (SELECT message FROM sent_here)
    )
    SELECT
      (SELECT count(*) FROM sent_here) AS messages,
      (SELECT count(*) FROM own WHERE message IS NULL) AS ad_events,
      (SELECT count(*) FROM candidates
        WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND message IN (SELECT message FROM candidates))
      ) AS orphans`;
  return { sql, params: bag.params };
}
