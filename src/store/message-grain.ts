// The rules of the message grain, written once (docs/metrics.md, "The grain: the message"): where a
// message's send time, bounce flag and labels come from, and which of its events each engagement count
// counts, as tables. Every SQL form is generated from them: grouping a campaign's events per message
// (grain-aggregates.ts, for metrics/email-ctes.ts), building the per-message facts (duckdb/message-facts.ts)
// and reading them (metrics/compile-facts.ts; both through facts-lists.ts). It lives in store/ because
// the store builds facts; it imports nothing, so every module of the store may read it.

/**
 * The claim types, first first: a message belongs to the campaign its claims name (message-owner.ts),
 * and its send time and labels are its sents', else its deliveries'. TRICKY: message-owner.ts spells
 * the same order by hand in OWNER and CLAIM, which ingest shares; change them together.
 */
export const CLAIM_TYPES = ['sent', 'delivered'] as const;

/** Constants of the code as an SQL list of strings (`'a', 'b'`). */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** A condition on event columns: the event is of a claim type (a send, in reports: sent or delivered). */
export const IS_CLAIM_TYPE = `type IN (${sqlList(CLAIM_TYPES)})`;

export type LabelName = 'step' | 'variant' | 'segment' | 'domain';

/**
 * A label of a message and the event column it is read from; `domain`: the label is the lower-cased part
 * after the '@' of that column (SqlDialect.domainOf), '' when it has none.
 */
export const LABELS: ReadonlyArray<{ name: LabelName; column: string; domain?: true }> = [
  { name: 'step', column: 'step' },
  { name: 'variant', column: 'variant' },
  { name: 'segment', column: 'segment' },
  { name: 'domain', column: 'recipient', domain: true },
];

/**
 * A label's column in the message grain (`j`). TRICKY: never the event column's own name (`anyIf(step,
 * …) AS step`): ClickHouse resolves aliases query-wide, so the aggregate would read its own alias.
 */
export function labelColumn(name: LabelName): string {
  return `m_${name}`;
}

type EngagementType = 'open' | 'click' | 'reply' | 'unsubscribe' | 'complaint' | 'conversion';

/** What an element of a facts list keeps besides its time: the URL, the machine reasons, the value. */
export type Kept = 'url' | 'reasons' | 'v';

/** One engagement count of the message grain: the events it counts, and how the facts keep them. */
export interface Engagement {
  /** The count's column in the message grain (`j`). */
  readonly grain: string;
  readonly type: EngagementType;
  /** People's events (machine false), machines' (machine true), or either (null). */
  readonly verdict: 'human' | 'machine' | null;
  /**
   * Only events whose first reason code starts (`true`) or does not start (`false`) with `code`: a
   * machine-marked reply is an opt-out or an auto-reply by its first reason (replies/record-replies.ts).
   */
  readonly firstReason?: { readonly code: string; readonly is: boolean };
  /** The facts' list of these events (`keeps`: what each element keeps; none: it is the time) and its length. */
  readonly list: string;
  readonly keeps: readonly Kept[];
  readonly stored: string;
}

/** The first reason code of an opt-out reply (replies/reply-classify.ts), and its negation. */
const OPT_OUT = { code: 'opt-out', is: true } as const;
const OPT_OUT_NOT = { code: 'opt-out', is: false } as const;

/**
 * Engagement counts only on delivered messages and, with a window, within it (metrics.md). The raw
 * figures are people's and machines' together (metrics/message-counts.ts), so they need no count here.
 * TRICKY: the lists and their columns are those of FACTS_DDL (duckdb/message-facts.ts) and the
 * migrations after it: a new engagement here needs a migration that adds its list and count to stored
 * files (duckdb/migrations.ts, version 7 added the auto-reply and opt-out lists).
 */
export const ENGAGEMENTS: readonly Engagement[] = [
  { grain: 'h_opens', type: 'open', verdict: 'human', list: 'h_opens', keeps: [], stored: 'h_open_n' },
  { grain: 'h_clicks', type: 'click', verdict: 'human', list: 'h_clicks', keeps: ['url'], stored: 'h_click_n' },
  { grain: 'm_opens', type: 'open', verdict: 'machine', list: 'm_opens', keeps: ['reasons'], stored: 'm_open_n' },
  { grain: 'm_clicks', type: 'click', verdict: 'machine', list: 'm_clicks', keeps: ['url', 'reasons'], stored: 'm_click_n' },
  // A reply counts when a person wrote it; one read from a mailbox is set aside (verdict machine) when it
  // is an auto-reply or an opt-out, each counted apart (docs/replies.md). Replies posted as events are people's.
  { grain: 'n_replies', type: 'reply', verdict: 'human', list: 'replies', keeps: [], stored: 'reply_n' },
  { grain: 'n_auto_replies', type: 'reply', verdict: 'machine', firstReason: OPT_OUT_NOT, list: 'auto_replies', keeps: [], stored: 'auto_reply_n' },
  { grain: 'n_opt_out_replies', type: 'reply', verdict: 'machine', firstReason: OPT_OUT, list: 'opt_out_replies', keeps: [], stored: 'opt_out_reply_n' },
  { grain: 'n_unsubscribes', type: 'unsubscribe', verdict: null, list: 'unsubscribes', keeps: [], stored: 'unsubscribe_n' },
  { grain: 'n_complaints', type: 'complaint', verdict: null, list: 'complaints', keeps: [], stored: 'complaint_n' },
  { grain: 'n_conversions', type: 'conversion', verdict: null, list: 'conversions', keeps: ['v'], stored: 'conversion_n' },
];

/** The engagement named `grain` (a constant of the code: a typo fails every report at once). */
export function engagement(grain: string): Engagement {
  const e = ENGAGEMENTS.find((x) => x.grain === grain);
  if (!e) throw new Error(`no engagement ${grain} in the message grain`);
  return e;
}

/** The engagements whose lists keep the classifier's reasons: machine ones, broken down by reason in reports. */
export const REASONED: readonly Engagement[] = ENGAGEMENTS.filter((e) => e.keeps.includes('reasons'));

/** Revenue: the sum of the conversions' values (`v`, whole ten-thousandths: SqlDialect.fixed4). */
export const REVENUE = { grain: 'n_revenue', of: engagement('n_conversions'), stored: 'revenue' } as const;

/** The types ENGAGEMENTS count (or those of `of`), as an SQL list. */
export function typeList(of: readonly Engagement[] = ENGAGEMENTS): string {
  return sqlList([...new Set(of.map((e) => e.type))]);
}

/**
 * A condition on the message grain (or a facts row): the message was delivered, so its engagement
 * counts (metrics.md: engagement counts only on delivered messages).
 */
export const DELIVERED = 'is_bounced = 0';

/**
 * A condition: an event at `ts` falls within the reporting window `w` (a bound placeholder, in ms) of
 * its message's `send_ts`. The end is inclusive and there is no lower bound: an event stamped before its
 * send is clock skew between the sender and the tracker, not an event to drop (metrics.md).
 */
export function inWindow(ts: string, w: string): string {
  return `${ts} <= send_ts + ${w}`;
}

/**
 * A condition on event columns: the event is not a sent naming a campaign other than `owner` (a bound
 * placeholder or column). Such a sent (stored before sents were checked, store/message-owner.ts) lends
 * the message nothing: neither its labels nor its recipient are the message's.
 */
export function notForeignSent(owner: string): string {
  return `(type <> 'sent' OR campaign = ${owner})`;
}
