// The report's counts over the message grain, its links' counts and its time series', each declared
// once and compiled both by the compiler that groups events (compile-email.ts) and by the one that reads
// per-message facts (compile-facts.ts), so both say the same.
import type { SqlDialect } from '../store/dialect.js';
import { DELIVERED, engagement, labelColumn, type Engagement, type LabelName } from '../store/message-grain.js';
import type { EmailCountColumn, LinkCountColumn } from './count-columns.js';
import type { EmailPlan } from './email-ctes.js';

/** The label each breakdown groups messages by; `provider` groups by domain here (see groupKey). */
const LABEL_OF: Partial<Record<NonNullable<EmailPlan['grouping']>, LabelName>> = { variant: 'variant', segment: 'segment', step: 'step', provider: 'domain' };

/** The key of a grouping over the message grain `j` (its labels: store/message-grain.ts). */
export function groupKey(d: SqlDialect, grouping: EmailPlan['grouping']): string {
  // Cohort by send day, so each day's CTR divides that day's clicks by that day's deliveries.
  if (grouping === 'day') return d.dayOf('send_ts');
  // By provider: grouped by domain here; shape maps domains to mailbox providers. Message counts are
  // additive over a partition of messages, so summing domain rows per provider is exact.
  const label = grouping === null ? undefined : LABEL_OF[grouping];
  return label ? labelColumn(label) : "''";
}

/**
 * Each report count over the message grain `j` (one row per message: is_bounced and its engagement
 * counts, zero on a bounced message): messages meeting a condition (`count`, null: every message) or a
 * sum. All are additive over any partition of messages. Revenue is summed in ten-thousandths. The raw
 * figures count people's and machines' opens and clicks together.
 */
export const MESSAGE_COUNTS: ReadonlyArray<readonly [EmailCountColumn, { count: string | null } | { sum: string }]> = [
  ['sent', { count: null }],
  ['bounced', { count: 'is_bounced = 1' }],
  ['delivered', { count: DELIVERED }],
  ['unique_opens', { count: 'h_opens > 0 OR h_clicks > 0' }],
  ['implied_opens', { count: 'h_opens = 0 AND h_clicks > 0' }],
  ['unique_clicks', { count: 'h_clicks > 0' }],
  ['total_clicks', { sum: 'h_clicks' }],
  ['machine_opens', { sum: 'm_opens' }],
  ['scanner_clicks', { sum: 'm_clicks' }],
  ['privacy_hidden', { count: 'm_opens > 0 AND h_opens = 0 AND h_clicks = 0' }],
  ['replies', { count: 'n_replies > 0' }],
  ['auto_replies', { count: 'n_auto_replies > 0' }],
  ['opt_out_replies', { count: 'n_opt_out_replies > 0' }],
  ['unsubscribes', { count: 'n_unsubscribes > 0' }],
  ['complaints', { count: 'n_complaints > 0' }],
  ['conversions', { sum: 'n_conversions' }],
  ['revenue', { sum: 'n_revenue' }],
  ['raw_unique_opens', { count: 'h_opens > 0 OR m_opens > 0 OR h_clicks > 0 OR m_clicks > 0' }],
  ['raw_unique_clicks', { count: 'h_clicks > 0 OR m_clicks > 0' }],
  ['raw_total_clicks', { sum: 'h_clicks + m_clicks' }],
];

/** The aggregates of MESSAGE_COUNTS over `j`, revenue still in ten-thousandths. */
export function messageCountAggregates(d: SqlDialect): Array<readonly [EmailCountColumn, string]> {
  return MESSAGE_COUNTS.map(([name, a]) => [name, 'sum' in a ? `sum(${a.sum})` : a.count === null ? 'count(*)' : d.countIf(a.count)] as const);
}

/**
 * Each count of a link (metrics.md "Links"): of the messages that clicked it (`messages`) or of its
 * clicks, by people, by machines or by either (raw). Not additive over links: a message counts once
 * under each link it clicked.
 */
const LINK_COUNTS: ReadonlyArray<readonly [LinkCountColumn, { messages: boolean; whose: 'human' | 'machine' | 'any' }]> = [
  ['unique_clicks', { messages: true, whose: 'human' }],
  ['total_clicks', { messages: false, whose: 'human' }],
  ['scanner_clicks', { messages: false, whose: 'machine' }],
  ['raw_unique_clicks', { messages: true, whose: 'any' }],
  ['raw_total_clicks', { messages: false, whose: 'any' }],
];

/** LINK_COUNTS over click events (message, machine), grouped by URL. */
export function linkCountsOfEvents(d: SqlDialect): string {
  return LINK_COUNTS.map(([name, { messages, whose }]) => {
    const cond = whose === 'any' ? null : `machine = ${whose === 'machine' ? d.true : d.false}`;
    const agg = messages ? (cond ? d.countDistinctIf('message', cond) : d.countDistinct('message')) : cond ? d.countIf(cond) : 'count(*)';
    return `${agg} AS ${name}`;
  }).join(',\n      ');
}

/** LINK_COUNTS over one row per message and URL clicked (`l`: its people's clicks `l.h`, machines' `l.m`), grouped by URL. */
export function linkCountsOfFacts(d: SqlDialect): string {
  return LINK_COUNTS.map(([name, { messages, whose }]) => {
    const clicks = whose === 'human' ? 'l.h' : whose === 'machine' ? 'l.m' : 'l.h + l.m';
    return `${messages ? d.countIf(`${clicks} > 0`) : `sum(${clicks})`} AS ${name}`;
  }).join(',\n      ');
}

/** The time series' counts: the events of these engagements of the message grain, per bucket of their time. */
export const SERIES: ReadonlyArray<readonly [string, Engagement]> = [
  ['human_opens', engagement('h_opens')],
  ['machine_opens', engagement('m_opens')],
  ['human_clicks', engagement('h_clicks')],
  ['machine_clicks', engagement('m_clicks')],
];

/** The part holding the counts of a plan's grouping (`--by link`: the totals, beside the `links` part). */
export function reportPart(plan: EmailPlan): string {
  return `report_${plan.grouping === 'link' || plan.grouping === null ? 'none' : plan.grouping}`;
}
