// The median time to first reply (docs/metrics.md, "Time to first reply"): for each delivered message
// with a person's reply, the time from its send to its first such reply; per group, the lower median of
// those. TRICKY: a median is not additive as the counts are (provider rows are sums of domain rows,
// facts reports sum a cube), so it is a part of its own per grouping, computed over the message grain.
import type { SqlDialect, SubqueryRef } from '../store/dialect.js';
import { isEngagement } from '../store/grain-aggregates.js';
import { DELIVERED, engagement, labelColumn } from '../store/message-grain.js';
import type { EmailPlan } from './email-ctes.js';
import { providerOfSql } from './mailbox-provider.js';
import { groupKey } from './message-counts.js';

/** What stops the clock: a person's reply (auto-replies and opt-outs read from a mailbox do not). */
export const FIRST_REPLY = engagement('n_replies');

/** The message grain's column holding the time of the message's first counted reply (NULL: none). */
export const FIRST_REPLY_TS = 'first_reply_ts';

/** The first counted reply's time, as an aggregate over a message's events (email-ctes.ts). */
export function firstReplyOfEvents(d: SqlDialect): string {
  return d.minIf('ts', isEngagement(d, FIRST_REPLY));
}

type Grouping = EmailPlan['grouping'];

/** The part holding the medians of a grouping (`null`: the totals; links have none). */
export function delayPart(grouping: Grouping): string {
  return `reply_delay_${grouping ?? 'none'}`;
}

/** The groupings whose medians the plans need: the totals' and each breakdown's but links'. */
function delayGroupings(plans: readonly EmailPlan[]): Grouping[] {
  return [...new Set<Grouping>([null, ...plans.map((p) => (p.grouping === 'link' ? null : p.grouping))])];
}

/**
 * Per group key, the lower median (SqlDialect.lowerMedian) of the delivered messages' first-reply delays,
 * in seconds. Providers are named in SQL, since domains' medians cannot be merged into a provider's.
 * A reply stamped before its send is clock skew (metrics.md, the reporting window): it counts as 0 s.
 * TRICKY: ClickHouse drops a constant GROUP BY key (the totals' '') and answers one row of defaults for
 * no rows at all, a median of 0; HAVING keeps "nobody replied" null on every engine.
 */
function delayBody(d: SqlDialect, grouping: Grouping, grain: string): (ref: SubqueryRef) => string {
  const key = grouping === 'provider' ? providerOfSql(labelColumn('domain')) : groupKey(d, grouping);
  const delay = `CASE WHEN ${FIRST_REPLY_TS} > send_ts THEN ${FIRST_REPLY_TS} - send_ts ELSE 0 END`;
  return (ref) => `SELECT ${key} AS key, ${d.lowerMedian(delay)} / 1000 AS median_time_to_reply_s
    FROM ${ref(grain)} AS j
    WHERE ${DELIVERED} AND ${FIRST_REPLY_TS} IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0`;
}

/**
 * Adds the median parts of the plans' groupings to a compiler's parts. `grain`: the named subquery with a
 * row per message (at least per delivered message with a reply), its labels, send_ts, is_bounced and FIRST_REPLY_TS.
 */
export function addDelayParts(d: SqlDialect, plans: readonly EmailPlan[], parts: Map<string, (ref: SubqueryRef) => string>, grain = 'j'): void {
  for (const g of delayGroupings(plans)) parts.set(delayPart(g), delayBody(d, g, grain));
}
