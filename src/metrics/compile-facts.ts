// Email reports and time series read from per-message facts, for engines that keep them
// (StoreLayout.messageFacts, chosen by choose-source.ts; DuckDB's in src/store/duckdb/message-facts.ts): one row per message with its
// engagement events as lists, so nothing groups the campaign's events. Written in DuckDB's SQL (lists,
// lambdas); the answers are those of compile-email.ts to the row, which the conformance suite checks.
import { ParamBag, type CompiledParts, type CompiledQuery, type SqlDialect, type SubqueryRef } from '../store/dialect.js';
import type { EmailPlan } from './email-ctes.js';
import { groupKey, MESSAGE_COUNTS, messageCountAggregates, reportPart } from './message-counts.js';

type Ctes = Array<readonly [string, (ref: SubqueryRef) => string]>;
/** A list column cut to the window (see windowed). */
type Cut = (col: string, ts: string) => string;

/**
 * A list column of a facts row cut to the plan's window of the message's send (SPEC.md: the same window
 * for every metric; `ts` is the element's time in the lambda), or as it is without a window.
 */
function windowed(d: SqlDialect, bag: ParamBag, plan: EmailPlan): Cut {
  if (!plan.query.window) return (col) => col;
  const w = d.param(bag, plan.query.window.ms, 'Int64');
  return (col, ts) => `list_filter(${col}, lambda x: ${ts} <= send_ts + ${w})`;
}

/**
 * `j`, the message grain of compile-email.ts from facts: labels and engagement counts within the
 * window, zero on a bounced message (an open or click counts only on a delivered one).
 */
function grainCte(cut: Cut | null, facts: string): readonly [string, (ref: SubqueryRef) => string] {
  const labels = 'send_ts, is_bounced, step AS m_step, variant AS m_variant, segment AS m_segment, domain AS m_domain';
  if (!cut) {
    return [
      'j',
      () => `SELECT ${labels},
      ${STORED_COUNTS.map(([name, expr]) => `CASE WHEN is_bounced = 0 THEN ${expr} ELSE 0 END AS ${name}`).join(',\n      ')}
    FROM ${facts} AS f`,
    ];
  }
  // TRICKY: a list is cut only where it has elements and the message was delivered (CASE evaluates its
  // branch for those rows alone): a lambda per row and list over every message cost twice the time.
  const cuts = windowCounts(cut);
  return [
    'j',
    () => `SELECT *, h_opens + m_opens AS r_opens, h_clicks + m_clicks AS r_clicks
    FROM (SELECT ${labels},
      ${cuts.map(([name, expr, stored]) => `CASE WHEN is_bounced = 0 AND ${stored} > 0 THEN ${expr} ELSE 0 END AS ${name}`).join(',\n      ')}
    FROM ${facts} AS f) AS w`,
  ];
}

/** The engagement counts of the message grain without a window: stored with the facts. */
const STORED_COUNTS: Array<[string, string]> = [
  ['h_opens', 'h_open_n'],
  ['h_clicks', 'h_click_n'],
  ['m_opens', 'm_open_n'],
  ['m_clicks', 'm_click_n'],
  ['r_opens', 'h_open_n + m_open_n'],
  ['r_clicks', 'h_click_n + m_click_n'],
  ['n_replies', 'reply_n'],
  ['n_unsubscribes', 'unsubscribe_n'],
  ['n_complaints', 'complaint_n'],
  ['n_conversions', 'conversion_n'],
  ['n_revenue', 'revenue'],
];

/** The counts within a window, from the lists (r_opens and r_clicks are sums of these): [name, count, stored count]. */
function windowCounts(cut: Cut): Array<[string, string, string]> {
  const n = (col: string, ts: string) => `len(${cut(col, ts)})`;
  return [
    ['h_opens', n('h_opens', 'x'), 'h_open_n'],
    ['h_clicks', n('h_clicks', 'x.ts'), 'h_click_n'],
    ['m_opens', n('m_opens', 'x.ts'), 'm_open_n'],
    ['m_clicks', n('m_clicks', 'x.ts'), 'm_click_n'],
    ['n_replies', n('replies', 'x'), 'reply_n'],
    ['n_unsubscribes', n('unsubscribes', 'x'), 'unsubscribe_n'],
    ['n_complaints', n('complaints', 'x'), 'complaint_n'],
    ['n_conversions', n('conversions', 'x.ts'), 'conversion_n'],
    ['n_revenue', `coalesce(list_sum(list_transform(${cut('conversions', 'x.ts')}, lambda x: x.v)), 0)`, 'conversion_n'],
  ];
}

/** The clicked URLs of each delivered message that has clicks, by people (`hu`) and by machines (`mu`). */
function clicksCte(cut: Cut, facts: string): readonly [string, (ref: SubqueryRef) => string] {
  return [
    'clk',
    () => `SELECT list_transform(${cut('h_clicks', 'x.ts')}, lambda x: x.url) AS hu, list_transform(${cut('m_clicks', 'x.ts')}, lambda x: x.url) AS mu
    FROM ${facts} AS f WHERE is_bounced = 0 AND h_click_n + m_click_n > 0`,
  ];
}

/** Per link without a window: each message's clicks per URL are stored (`links`). */
function storedLinkBody(facts: string): string {
  return `SELECT l.url AS key,
      count(*) FILTER (WHERE l.h > 0) AS unique_clicks,
      sum(l.h) AS total_clicks,
      sum(l.m) AS scanner_clicks,
      count(*) AS raw_unique_clicks,
      sum(l.h + l.m) AS raw_total_clicks
    FROM (SELECT unnest(links) AS l FROM ${facts} AS f WHERE is_bounced = 0 AND h_click_n + m_click_n > 0) AS c
    GROUP BY l.url`;
}

/**
 * Per link as compile-email.ts counts it: one row per click (h, m) and one per message and URL clicked
 * by a person (u) or by anyone (r). TRICKY: list_distinct drops NULLs; email clicks always carry a URL
 * (event-rules.ts), so no click is lost.
 */
function linkBody(ref: SubqueryRef): string {
  return `SELECT url AS key,
      count(*) FILTER (WHERE k = 'u') AS unique_clicks,
      count(*) FILTER (WHERE k = 'h') AS total_clicks,
      count(*) FILTER (WHERE k = 'm') AS scanner_clicks,
      count(*) FILTER (WHERE k = 'r') AS raw_unique_clicks,
      count(*) FILTER (WHERE k IN ('h', 'm')) AS raw_total_clicks
    FROM (SELECT unnest(hu) AS url, 'h' AS k FROM ${ref('clk')} AS c
      UNION ALL SELECT unnest(mu) AS url, 'm' AS k FROM ${ref('clk')} AS c
      UNION ALL SELECT unnest(list_distinct(hu)) AS url, 'u' AS k FROM ${ref('clk')} AS c
      UNION ALL SELECT unnest(list_distinct(list_concat(hu, mu))) AS url, 'r' AS k FROM ${ref('clk')} AS c) AS c
    GROUP BY url`;
}

/**
 * The reports of compileEmailReports from facts (`stale`: some facts may need building, as the profile
 * said; StoreLayout.messageFacts). The message grain is grouped once by every key the plans need (`cube`: a few
 * hundred rows) and each report sums that: its counts are additive over messages, so this is exact and
 * costs one pass over the messages instead of one per breakdown.
 */
export function compileFactsReports(plans: readonly EmailPlan[], d: SqlDialect, stale: boolean): CompiledParts {
  const first = plans[0]!;
  const bag = new ParamBag();
  const facts = d.layout.messageFacts(d.param(bag, first.query.campaign, 'String'), stale);
  const cut = windowed(d, bag, first);
  const window = first.query.window ? cut : null;
  const groupings = [...new Set(plans.map((p) => (p.grouping === 'link' ? null : p.grouping)))];
  const keyName = (g: EmailPlan['grouping']) => `k_${g ?? 'none'}`;
  const ctes: Ctes = [
    grainCte(window, facts),
    [
      'cube',
      (ref) => `SELECT ${groupings.map((g) => `${groupKey(d, g, 'm_domain')} AS ${keyName(g)}`).join(', ')},
      ${messageCountAggregates(d)
        .map(([name, agg]) => `${agg} AS ${name}`)
        .join(', ')}
    FROM ${ref('j')} AS j
    GROUP BY ALL`,
    ],
  ];
  const parts = new Map<string, (ref: SubqueryRef) => string>();
  for (const plan of plans) {
    const g = plan.grouping === 'link' ? null : plan.grouping;
    parts.set(
      reportPart(plan),
      (ref) => `SELECT ${keyName(g)} AS key, ${MESSAGE_COUNTS.map(([name]) => `sum(${name})${name === 'revenue' ? ' / 10000' : ''} AS ${name}`).join(', ')}
    FROM ${ref('cube')} AS cube GROUP BY key`,
    );
    if (plan.grouping === 'link' && !parts.has('links')) {
      if (window) ctes.push(clicksCte(window, facts));
      parts.set('links', window ? linkBody : () => storedLinkBody(facts));
    }
  }
  parts.set(
    'reasons',
    () => `SELECT type, reasons, count(*) AS n
    FROM (SELECT 'open' AS type, unnest(${cut('m_opens', 'x.ts')}).reasons AS reasons FROM ${facts} AS f WHERE is_bounced = 0 AND m_open_n > 0
      UNION ALL SELECT 'click' AS type, unnest(${cut('m_clicks', 'x.ts')}).reasons AS reasons FROM ${facts} AS f WHERE is_bounced = 0 AND m_click_n > 0) AS r
    GROUP BY type, reasons`,
  );
  return { statements: d.withParts(ctes, [...parts]), params: bag.params };
}

/** compileEmailTimeseries from facts: the opens and clicks of delivered messages within the window, by bucket. */
export function compileFactsTimeseries(plan: EmailPlan, bucketMs: number, d: SqlDialect, stale: boolean): CompiledQuery {
  const bag = new ParamBag();
  const facts = d.layout.messageFacts(d.param(bag, plan.query.campaign, 'String'), stale);
  const cut = windowed(d, bag, plan);
  const kinds: Array<[string, string, string]> = [
    ['human_opens', `unnest(${cut('h_opens', 'x')})`, 'h_open_n'],
    ['machine_opens', `unnest(${cut('m_opens', 'x.ts')}).ts`, 'm_open_n'],
    ['human_clicks', `unnest(${cut('h_clicks', 'x.ts')}).ts`, 'h_click_n'],
    ['machine_clicks', `unnest(${cut('m_clicks', 'x.ts')}).ts`, 'm_click_n'],
  ];
  const sql = `SELECT ${d.bucketOf('t', bucketMs)} AS bucket,
      ${kinds.map(([name], i) => `${d.countIf(`k = ${i}`)} AS ${name}`).join(',\n      ')}
    FROM (${kinds.map(([, expr, n], i) => `SELECT ${expr} AS t, ${i} AS k FROM ${facts} AS f WHERE is_bounced = 0 AND ${n} > 0`).join('\n      UNION ALL ')}) AS e
    GROUP BY bucket
    ORDER BY bucket`;
  return { sql, params: bag.params };
}
