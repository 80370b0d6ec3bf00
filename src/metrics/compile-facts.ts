// Email reports and time series read from per-message facts (StoreLayout.messageFacts, when the plan's
// chooseSource picks them; DuckDB's are built in src/store/duckdb/message-facts.ts): one row per message
// with its engagement events as lists, so nothing groups the campaign's events. Written in DuckDB's SQL
// (lists, lambdas) and generated from the message grain (store/message-grain.ts), as compile-email.ts
// is; the answers are the same to the row, which the conformance suite checks.
import { ParamBag, type CompiledParts, type CompiledQuery, type NamedSubqueries, type SqlDialect, type SubqueryRef } from '../store/dialect.js';
import { cutToWindow, elementTs, linksOf, listRevenue, URL_LISTS } from '../store/facts-lists.js';
import { DELIVERED, ENGAGEMENTS, LABELS, labelColumn, REASONED, REVENUE, type Engagement } from '../store/message-grain.js';
import type { EmailPlan } from './email-ctes.js';
import { addDelayParts, FIRST_REPLY, FIRST_REPLY_TS } from './reply-delay.js';
import { groupKey, linkCountsOfFacts, MESSAGE_COUNTS, messageCountAggregates, reportPart, SERIES } from './message-counts.js';

/** An engagement's list of a facts row, cut to the window (see windowed). */
type Cut = (e: Engagement) => string;

/**
 * An engagement's list of a facts row cut to the plan's window of the message's send (SPEC.md: the same
 * window for every metric), or as it is without a window.
 */
function windowed(d: SqlDialect, bag: ParamBag, plan: EmailPlan): Cut {
  if (!plan.query.window) return (e) => e.list;
  const w = d.param(bag, plan.query.window.ms, 'Int64');
  return (e) => cutToWindow(e, w);
}

/**
 * The counts of the message grain from a facts row: [column, as stored (without a window), the stored
 * count that is 0 when its list is empty, within the window].
 */
function grainCounts(cut: Cut): Array<[string, string, string, string]> {
  return [
    ...ENGAGEMENTS.map((e): [string, string, string, string] => [e.grain, e.stored, e.stored, `len(${cut(e)})`]),
    [REVENUE.grain, REVENUE.stored, REVENUE.of.stored, listRevenue(cut(REVENUE.of))],
  ];
}

/** The message's send time, bounce flag and labels, as compile-email.ts's message grain names them. */
const GRAIN_LABELS = `send_ts, is_bounced, ${LABELS.map(({ name }) => `${name} AS ${labelColumn(name)}`).join(', ')}`;

/**
 * `j`, the message grain of compile-email.ts from facts: labels and engagement counts within the
 * window, zero on a bounced message (an open or click counts only on a delivered one).
 */
function grainCte(cut: Cut | null, facts: string): readonly [string, (ref: SubqueryRef) => string] {
  // TRICKY: with a window, a list is cut only where it has elements and the message was delivered (CASE
  // evaluates its branch for those rows alone): a lambda per row and list over every message cost twice the time.
  const counts = grainCounts(cut ?? ((e) => e.list)).map(([name, stored, nonEmpty, inWindow]) =>
    cut ? `CASE WHEN ${DELIVERED} AND ${nonEmpty} > 0 THEN ${inWindow} ELSE 0 END AS ${name}` : `CASE WHEN ${DELIVERED} THEN ${stored} ELSE 0 END AS ${name}`,
  );
  return [
    'j',
    () => `SELECT ${GRAIN_LABELS},
      ${counts.join(',\n      ')}
    FROM ${facts} AS f`,
  ];
}

/**
 * `replied`: the delivered messages with a counted reply, their labels and first reply's time within the
 * window (reply-delay.ts). TRICKY: apart from `j`, which only the cube reads, so DuckDB inlines it
 * rather than materializing a row per message for the medians.
 */
function repliedCte(cut: Cut, facts: string): readonly [string, (ref: SubqueryRef) => string] {
  return [
    'replied',
    () => `SELECT ${GRAIN_LABELS}, list_min(${cut(FIRST_REPLY)}) AS ${FIRST_REPLY_TS}
    FROM ${facts} AS f WHERE ${DELIVERED} AND ${FIRST_REPLY.stored} > 0`,
  ];
}

/** The facts rows of delivered messages with a click: the only ones a link part reads. */
function clicked(facts: string): string {
  return `${facts} AS f WHERE ${DELIVERED} AND ${URL_LISTS.h.stored} + ${URL_LISTS.m.stored} > 0`;
}

/**
 * Per link: one row per message and URL it clicked (`l`, linksOf: the stored `links` without a window,
 * the same from the click lists cut to the window with one), counted by linkCountsOfFacts.
 */
function linkBody(d: SqlDialect, cut: Cut | null, facts: string): string {
  const { h, m } = URL_LISTS;
  const rows = cut
    ? `SELECT unnest(${linksOf(h.list, m.list)}) AS l FROM (SELECT ${cut(h)} AS ${h.list}, ${cut(m)} AS ${m.list} FROM ${clicked(facts)}) AS w`
    : `SELECT unnest(links) AS l FROM ${clicked(facts)}`;
  return `SELECT l.url AS key,
      ${linkCountsOfFacts(d)}
    FROM (${rows}) AS c
    GROUP BY l.url`;
}

/** Machine events by reason (REASONED), within the window, on delivered messages. */
function reasonsBody(cut: Cut, facts: string): string {
  const rows = REASONED.map(
    (e) => `SELECT '${e.type}' AS type, unnest(${cut(e)}).reasons AS reasons FROM ${facts} AS f WHERE ${DELIVERED} AND ${e.stored} > 0`,
  );
  return `SELECT type, reasons, count(*) AS n
    FROM (${rows.join('\n      UNION ALL ')}) AS r
    GROUP BY type, reasons`;
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
  const ctes: NamedSubqueries = [
    grainCte(window, facts),
    repliedCte(cut, facts),
    [
      'cube',
      (ref) => `SELECT ${groupings.map((g) => `${groupKey(d, g)} AS ${keyName(g)}`).join(', ')},
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
    if (plan.grouping === 'link') parts.set('links', () => linkBody(d, window, facts));
  }
  addDelayParts(d, plans, parts, 'replied');
  parts.set('reasons', () => reasonsBody(cut, facts));
  return { statements: d.withParts(ctes, [...parts]), params: bag.params };
}

/** compileEmailTimeseries from facts: the opens and clicks of delivered messages within the window, by bucket. */
export function compileFactsTimeseries(plan: EmailPlan, bucketMs: number, d: SqlDialect, stale: boolean): CompiledQuery {
  const bag = new ParamBag();
  const facts = d.layout.messageFacts(d.param(bag, plan.query.campaign, 'String'), stale);
  const cut = windowed(d, bag, plan);
  const sql = `SELECT ${d.bucketOf('t', bucketMs)} AS bucket,
      ${SERIES.map(([name], i) => `${d.countIf(`k = ${i}`)} AS ${name}`).join(',\n      ')}
    FROM (${SERIES.map(([, e], i) => `SELECT ${elementTs(e, `unnest(${cut(e)})`)} AS t, ${i} AS k FROM ${facts} AS f WHERE ${DELIVERED} AND ${e.stored} > 0`).join('\n      UNION ALL ')}) AS e
    GROUP BY bucket
    ORDER BY bucket`;
  return { sql, params: bag.params };
}
