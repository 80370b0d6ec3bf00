// Step 3 of the report pipeline for email campaigns: the plan as parameter-bound SQL for one dialect.
// Everything is counted at the message grain (SPEC.md "Metric semantics"); the dialect supplies syntax.
import { ParamBag, type CompiledQuery, type SqlDialect, type SubqueryRef } from '../store/dialect.js';
import type { ReportPlan } from './report-plan.js';

type EmailPlan = Extract<ReportPlan, { kind: 'email' }>;

/** The subqueries every email report starts from; bodies refer to them through `ref`. */
type Ctes = ReadonlyArray<readonly [string, (ref: SubqueryRef) => string]>;

/**
 * The campaign's events (`ev`) and messages (`msg`: one row per message with its send time, bounce flag
 * and labels; without the verdict join where verdicts are kept apart). A message belongs to the campaign its sent or delivered event names.
 * TRICKY: no output column is named like a column it is computed from (`anyIf(step, …) AS step`):
 * ClickHouse resolves aliases query-wide, so that would read its own alias.
 */
function messageCtes(d: SqlDialect, bag: ParamBag, campaign: string): Ctes {
  const c = d.param(bag, campaign, 'String');
  const first = (col: string) => d.coalesce(d.anyIf(col, "type = 'sent'"), d.anyIf(col, "type = 'delivered'"));
  return [
    ['ev', () => `SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM ${d.campaignMessageEvents(c)} AS e`],
    [
      'msg',
      (ref) => `SELECT message,
        ${d.coalesce(d.minIf('ts', "type = 'sent'"), d.minIf('ts', "type = 'delivered'"))} AS send_ts,
        ${d.anyTrue("type = 'bounced'")} AS is_bounced,
        ${first('step')} AS m_step,
        ${first('variant')} AS m_variant,
        ${first('segment')} AS m_segment,
        ${first('recipient')} AS m_recipient
      FROM ${d.verdictsApart ? d.campaignMessageEvents(c, false) : ref('ev')} AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message`,
    ],
  ];
}

/**
 * The campaign's events of the given types joined with their message's send time and bounce flag, kept
 * only on delivered messages and, with a window, within it of the send time (SPEC.md).
 */
function engaged(d: SqlDialect, bag: ParamBag, plan: EmailPlan, ref: SubqueryRef, types: string, cols: string): string {
  const parts = ['is_bounced = 0'];
  if (plan.query.window) parts.push(`ts <= send_ts + ${d.param(bag, plan.query.window.ms, 'Int64')}`);
  return `(SELECT ${cols} FROM ${ref('ev')} AS ev WHERE type IN (${types})) AS e
    ${d.innerJoin} (SELECT message, send_ts, is_bounced FROM ${ref('msg')} AS msg) AS m USING (message)
    WHERE ${parts.join(' AND ')}`;
}

function groupKey(d: SqlDialect, plan: EmailPlan): string {
  switch (plan.grouping) {
    case 'variant':
      return 'm_variant';
    case 'segment':
      return 'm_segment';
    case 'step':
      return 'm_step';
    case 'provider':
      // Grouped by domain here; shape maps domains to mailbox providers. Message counts are additive
      // over a partition of messages, so summing domain rows per provider is exact.
      return d.domainOf('m_recipient');
    case 'day':
      // Cohort by send day, so each day's CTR divides that day's clicks by that day's deliveries.
      return d.dayOf('send_ts');
    default:
      return "''";
  }
}

export function compileEmailReport(plan: EmailPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const human = `machine = ${d.false}`;
  const machine = `machine = ${d.true}`;
  const counts: Array<[string, string]> = [
    ['h_opens', d.countIf(`type = 'open' AND ${human}`)],
    ['h_clicks', d.countIf(`type = 'click' AND ${human}`)],
    ['m_opens', d.countIf(`type = 'open' AND ${machine}`)],
    ['m_clicks', d.countIf(`type = 'click' AND ${machine}`)],
    ['r_opens', d.countIf("type = 'open'")],
    ['r_clicks', d.countIf("type = 'click'")],
    ['n_replies', d.countIf("type = 'reply'")],
    ['n_unsubscribes', d.countIf("type = 'unsubscribe'")],
    ['n_complaints', d.countIf("type = 'complaint'")],
    ['n_conversions', d.countIf("type = 'conversion'")],
    ['n_revenue', d.sumIf(d.fixed4('value'), "type = 'conversion'")],
  ];
  const ctes: Ctes = [
    ...messageCtes(d, bag, plan.query.campaign),
    [
      'eng',
      (ref) => `SELECT message, ${counts.map(([name, expr]) => `${expr} AS e_${name}`).join(',\n        ')}
      FROM ${engaged(d, bag, plan, ref, "'open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion'", 'message, type, ts, machine, value')}
      GROUP BY message`,
    ],
    [
      'j',
      (ref) => `SELECT send_ts, is_bounced, m_step, m_variant, m_segment, m_recipient,
        ${counts.map(([name]) => `coalesce(e_${name}, 0) AS ${name}`).join(', ')}
      FROM ${ref('msg')} AS msg ${d.leftJoin} ${ref('eng')} AS eng USING (message)`,
    ],
  ];
  const sql = d.withQuery(
    ctes,
    (ref) => `SELECT ${groupKey(d, plan)} AS key,
      count(*) AS sent,
      ${d.countIf('is_bounced = 1')} AS bounced,
      ${d.countIf('is_bounced = 0')} AS delivered,
      ${d.countIf('h_opens > 0 OR h_clicks > 0')} AS unique_opens,
      ${d.countIf('h_opens = 0 AND h_clicks > 0')} AS implied_opens,
      ${d.countIf('h_clicks > 0')} AS unique_clicks,
      sum(h_clicks) AS total_clicks,
      sum(m_opens) AS machine_opens,
      sum(m_clicks) AS scanner_clicks,
      ${d.countIf('m_opens > 0 AND h_opens = 0 AND h_clicks = 0')} AS privacy_hidden,
      ${d.countIf('n_replies > 0')} AS replies,
      ${d.countIf('n_unsubscribes > 0')} AS unsubscribes,
      ${d.countIf('n_complaints > 0')} AS complaints,
      sum(n_conversions) AS conversions,
      sum(n_revenue) / 10000 AS revenue,
      ${d.countIf('r_opens > 0 OR r_clicks > 0')} AS raw_unique_opens,
      ${d.countIf('r_clicks > 0')} AS raw_unique_clicks,
      sum(r_clicks) AS raw_total_clicks
    FROM ${ref('j')} AS j
    GROUP BY key
    ORDER BY key`,
  );
  return { sql, params: bag.params };
}

/** Per link (SPEC.md `--by link`): key = URL, message-grain unique clicks on that link. */
export function compileLinkReport(plan: EmailPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const sql = d.withQuery(
    messageCtes(d, bag, plan.query.campaign),
    (ref) => `SELECT url AS key,
      ${d.countDistinctIf('message', `machine = ${d.false}`)} AS unique_clicks,
      ${d.countIf(`machine = ${d.false}`)} AS total_clicks,
      ${d.countIf(`machine = ${d.true}`)} AS scanner_clicks,
      ${d.countDistinct('message')} AS raw_unique_clicks,
      count(*) AS raw_total_clicks
    FROM ${engaged(d, bag, plan, ref, "'click'", 'message, ts, machine, url')}
    GROUP BY url
    ORDER BY unique_clicks DESC, raw_unique_clicks DESC, key`,
  );
  return { sql, params: bag.params };
}

/**
 * Opens and clicks over time (bucket = whole `bucketMs` since the epoch, by event time), people and
 * machines apart, under the report's own rules: delivered messages only, within the window of the send.
 */
export function compileEmailTimeseries(plan: EmailPlan, bucketMs: number, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const sql = d.withQuery(
    messageCtes(d, bag, plan.query.campaign),
    (ref) => `SELECT ${d.bucketOf('ts', bucketMs)} AS bucket,
      ${d.countIf(`type = 'open' AND machine = ${d.false}`)} AS human_opens,
      ${d.countIf(`type = 'open' AND machine = ${d.true}`)} AS machine_opens,
      ${d.countIf(`type = 'click' AND machine = ${d.false}`)} AS human_clicks,
      ${d.countIf(`type = 'click' AND machine = ${d.true}`)} AS machine_clicks
    FROM ${engaged(d, bag, plan, ref, "'open', 'click'", 'message, type, ts, machine')}
    GROUP BY bucket
    ORDER BY bucket`,
  );
  return { sql, params: bag.params };
}

/** Machine opens and clicks by the reasons that made them machine (issue #4: "a breakdown by reason"). */
export function compileEmailMachineReasons(plan: EmailPlan, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const sql = d.withQuery(
    messageCtes(d, bag, plan.query.campaign),
    (ref) => `SELECT type, reasons, count(*) AS n
    FROM ${engaged(d, bag, plan, ref, "'open', 'click'", 'message, type, ts, machine, reasons')} AND machine = ${d.true}
    GROUP BY type, reasons`,
  );
  return { sql, params: bag.params };
}

/**
 * What a report needs to know before planning: how many messages the campaign sent, how many ad events
 * it has, and its orphans (events naming the campaign whose message was never sent, SPEC.md).
 */
export function compileCampaignProfile(campaign: string, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const sql = d.withQuery(
    [
      ['own', () => `SELECT message, type FROM events WHERE ${d.campaignNamed(c)}`],
      ['sent_here', (ref) => `SELECT DISTINCT message FROM ${ref('own')} AS o WHERE message IS NOT NULL AND type IN ('sent', 'delivered')`],
      [
        'candidates',
        (ref) => `SELECT message FROM ${ref('own')} AS o
        WHERE message IS NOT NULL AND type NOT IN ('sent', 'delivered') AND message NOT IN (SELECT message FROM ${ref('sent_here')} AS s)`,
      ],
    ],
    (ref) => `SELECT
      (SELECT count(*) FROM ${ref('sent_here')} AS s) AS messages,
      (SELECT count(*) FROM ${ref('own')} AS o WHERE message IS NULL) AS ad_events,
      (SELECT count(*) FROM ${ref('candidates')} AS c
        WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND message IN (SELECT message FROM ${ref('candidates')} AS c2))
      ) AS orphans`,
  );
  return { sql, params: bag.params };
}
