// The message grain's rules (message-grain.ts) as aggregates over one message's events, in any dialect:
// what a report that groups a campaign's events per message computes (metrics/email-ctes.ts), and what
// the facts build (duckdb/message-facts.ts) computes before it keeps the engagement events as lists.
import type { SqlDialect } from './dialect.js';
import { CLAIM_TYPES, ENGAGEMENTS, LABELS, REVENUE, type Engagement, type Kept, type LabelName } from './message-grain.js';

/** A condition: the event (its columns prefixed by `x`, e.g. `x.` in a lambda) is one that `e` counts. */
export function isEngagement(d: SqlDialect, e: Engagement, x = ''): string {
  const verdict = e.verdict === null ? '' : ` AND ${x}machine = ${e.verdict === 'machine' ? d.true : d.false}`;
  // Reasons are stored as a JSON array of codes: the first code starts right after `["`.
  const first = e.firstReason === undefined ? '' : ` AND coalesce(${x}reasons, '') ${e.firstReason.is ? '' : 'NOT '}LIKE '["${e.firstReason.code}%'`;
  return `${x}type = '${e.type}'${verdict}${first}`;
}

/** The event expression an element keeps for a field. */
export function keptValue(d: SqlDialect, k: Kept): string {
  return k === 'v' ? d.fixed4('value') : k;
}

/** An aggregate over a message's events: `col` of its first claim type that has one (min or any). */
function ofFirstClaim(d: SqlDialect, agg: 'minIf' | 'anyIf', col: string): string {
  return d.coalesce(...CLAIM_TYPES.map((t) => d[agg](col, `type = '${t}'`)));
}

/** The message's send time and bounce flag, as aggregates over its events: [column, aggregate]. */
export function sendAttributes(d: SqlDialect): Array<[string, string]> {
  return [
    ['send_ts', ofFirstClaim(d, 'minIf', 'ts')],
    ['is_bounced', d.anyTrue("type = 'bounced'")],
  ];
}

/** The message's labels, as aggregates over its events: [label, aggregate]. */
export function labelAggregates(d: SqlDialect): Array<[LabelName, string]> {
  return LABELS.map(({ name, column, domain }) => {
    const first = ofFirstClaim(d, 'anyIf', column);
    return [name, domain ? d.domainOf(first) : first];
  });
}

/** The engagement counts and revenue, as aggregates over a message's events: [grain column, aggregate]. */
export function engagementAggregates(d: SqlDialect): Array<[string, string]> {
  return [
    ...ENGAGEMENTS.map((e): [string, string] => [e.grain, d.countIf(isEngagement(d, e))]),
    [REVENUE.grain, d.sumIf(keptValue(d, 'v'), isEngagement(d, REVENUE.of))],
  ];
}

/** `expr AS name, …`, one a line. */
export function aliased(cols: ReadonlyArray<readonly [string, string]>, indent = '      '): string {
  return cols.map(([name, expr]) => `${expr} AS ${name}`).join(`,\n${indent}`);
}
