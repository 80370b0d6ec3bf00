// The report's counts over the message grain, shared by the compiler that groups events
// (compile-email.ts) and the one that reads per-message facts (compile-facts.ts), so both say the same.
import type { SqlDialect } from '../store/dialect.js';
import type { EmailCountColumn } from './count-columns.js';
import type { EmailPlan } from './email-ctes.js';

/** The key of a grouping over the message grain `j`; `recipientDomain` gives the recipient's domain. */
export function groupKey(d: SqlDialect, grouping: EmailPlan['grouping'], recipientDomain = d.domainOf('m_recipient')): string {
  switch (grouping) {
    case 'variant':
      return 'm_variant';
    case 'segment':
      return 'm_segment';
    case 'step':
      return 'm_step';
    case 'provider':
      // Grouped by domain here; shape maps domains to mailbox providers. Message counts are additive
      // over a partition of messages, so summing domain rows per provider is exact.
      return recipientDomain;
    case 'day':
      // Cohort by send day, so each day's CTR divides that day's clicks by that day's deliveries.
      return d.dayOf('send_ts');
    default:
      return "''";
  }
}

/**
 * Each report count over the message grain `j` (one row per message: is_bounced and its engagement
 * counts, zero on a bounced message): messages meeting a condition (`count`, null: every message) or a
 * sum. All are additive over any partition of messages. Revenue is summed in ten-thousandths.
 */
export const MESSAGE_COUNTS: ReadonlyArray<readonly [EmailCountColumn, { count: string | null } | { sum: string }]> = [
  ['sent', { count: null }],
  ['bounced', { count: 'is_bounced = 1' }],
  ['delivered', { count: 'is_bounced = 0' }],
  ['unique_opens', { count: 'h_opens > 0 OR h_clicks > 0' }],
  ['implied_opens', { count: 'h_opens = 0 AND h_clicks > 0' }],
  ['unique_clicks', { count: 'h_clicks > 0' }],
  ['total_clicks', { sum: 'h_clicks' }],
  ['machine_opens', { sum: 'm_opens' }],
  ['scanner_clicks', { sum: 'm_clicks' }],
  ['privacy_hidden', { count: 'm_opens > 0 AND h_opens = 0 AND h_clicks = 0' }],
  ['replies', { count: 'n_replies > 0' }],
  ['unsubscribes', { count: 'n_unsubscribes > 0' }],
  ['complaints', { count: 'n_complaints > 0' }],
  ['conversions', { sum: 'n_conversions' }],
  ['revenue', { sum: 'n_revenue' }],
  ['raw_unique_opens', { count: 'r_opens > 0 OR r_clicks > 0' }],
  ['raw_unique_clicks', { count: 'r_clicks > 0' }],
  ['raw_total_clicks', { sum: 'r_clicks' }],
];

/** The aggregates of MESSAGE_COUNTS over `j`, revenue still in ten-thousandths. */
export function messageCountAggregates(d: SqlDialect): Array<readonly [EmailCountColumn, string]> {
  return MESSAGE_COUNTS.map(([name, a]) => [name, 'sum' in a ? `sum(${a.sum})` : a.count === null ? 'count(*)' : d.countIf(a.count)] as const);
}

/** The part holding the counts of a plan's grouping (`--by link`: the totals, beside the `links` part). */
export function reportPart(plan: EmailPlan): string {
  return `report_${plan.grouping === 'link' || plan.grouping === null ? 'none' : plan.grouping}`;
}
