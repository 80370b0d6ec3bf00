// The named subqueries every email report starts from: the campaign's events (`ev`), one row per message
// (`msg`) and the message grain with its engagement counts under the report's rules (`j`).
import type { NamedSubqueries, ParamBag, SqlDialect, SubqueryRef } from '../store/dialect.js';
import type { Verdicts } from '../store/store-layout.js';
import { aliased, engagementAggregates, labelAggregates, sendAttributes } from '../store/grain-aggregates.js';
import { CLAIM_TYPES, DELIVERED, inWindow, labelColumn, LABELS, sqlList, typeList } from '../store/message-grain.js';
import { ownedBy } from './campaign-owned.js';
import type { ReportPlan } from './report-plan.js';

export type EmailPlan = Extract<ReportPlan, { kind: 'email' }>;

/** The message's send time, bounce flag and labels (m_step, …: labelColumn) as aggregates over its events. */
function messageAttributes(d: SqlDialect): Array<[string, string]> {
  return [...sendAttributes(d), ...labelAggregates(d).map(([name, agg]): [string, string] => [labelColumn(name), agg])];
}

/** The event columns a report reads: those the grain is computed from, and the links' and reasons'. */
const EVENT_COLUMNS = ['message', 'type', 'ts', 'machine', 'reasons', 'url', 'value', ...LABELS.map((l) => l.column)].join(', ');

/**
 * A FROM item: the events of the campaign's messages (StoreLayout.campaignMessageEvents) that belong to
 * it (campaign-owned.ts): none of a message another campaign owns, no sent naming another campaign.
 * `foreign` false: the campaign's messages have no claim naming another campaign (the profile's
 * foreign_claims), so every such event is its own and the filter, a second look-up, is left out.
 */
function ownEvents(d: SqlDialect, c: string, verdicts: Verdicts, foreign: boolean): string {
  const events = d.layout.campaignMessageEvents(c, verdicts);
  return foreign ? `(SELECT * FROM ${events} AS o WHERE ${ownedBy(d, c)})` : events;
}

/** `ev` and `msg` (one row per message with its send time, bounce flag and labels); `c` is the campaign's placeholder. */
function messageCtes(d: SqlDialect, c: string, foreign: boolean): NamedSubqueries {
  return [
    ['ev', () => `SELECT ${EVENT_COLUMNS} FROM ${ownEvents(d, c, 'machine', foreign)} AS e`],
    [
      'msg',
      (ref) => `SELECT message, ${aliased(messageAttributes(d), '        ')}
      FROM ${d.layout.capabilities.verdictsApart ? ownEvents(d, c, false, foreign) : ref('ev')} AS ev WHERE type IN (${sqlList([...CLAIM_TYPES, 'bounced'])})
      GROUP BY message`,
    ],
  ];
}

/**
 * The campaign's events of the given types on delivered messages and, with a window, within it of the
 * message's send time (SPEC.md). A FROM item and its WHERE clause (callers may add `AND …`).
 * Without a window only bounced messages must be left out: an anti-join against the few bounced
 * messages (`bounced`) instead of a join of every event to its message (`msg`, with send_ts and
 * is_bounced), which the window needs.
 */
export function engaged(d: SqlDialect, bag: ParamBag, plan: EmailPlan, ref: SubqueryRef, types: string, cols: string): string {
  if (!plan.query.window) {
    return `(SELECT ${cols} FROM ${ref('ev')} AS ev WHERE type IN (${types})) AS e
    WHERE message NOT IN (SELECT message FROM ${ref('bounced')} AS b)`;
  }
  return `(SELECT ${cols} FROM ${ref('ev')} AS ev WHERE type IN (${types})) AS e
    ${d.innerJoin} (SELECT message, send_ts, is_bounced FROM ${ref('msg')} AS msg) AS m USING (message)
    WHERE ${DELIVERED} AND ${inWindow('ts', d.param(bag, plan.query.window.ms, 'Int64'))}`;
}

/** `bounced`: the campaign's messages with a bounce (what engaged() leaves out without a window). */
function bouncedCte(d: SqlDialect, c: string, foreign: boolean): readonly [string, (ref: SubqueryRef) => string] {
  return [
    'bounced',
    (ref) => `SELECT DISTINCT message FROM ${d.layout.capabilities.verdictsApart ? ownEvents(d, c, false, foreign) : ref('ev')} AS ev WHERE type = 'bounced'`,
  ];
}

/** What engaged() needs: `ev` and `bounced` without a window; `ev` and `msg` with one. `foreign`: see ownEvents. */
export function engagedCtes(d: SqlDialect, bag: ParamBag, plan: EmailPlan, foreign = true): NamedSubqueries {
  const c = d.param(bag, plan.query.campaign, 'String');
  const base = messageCtes(d, c, foreign);
  return plan.query.window ? base : [base[0]!, bouncedCte(d, c, foreign)];
}

/**
 * `ev`, `msg` and `j`: one row per message with send_ts, is_bounced, the labels (m_step, m_variant,
 * m_segment, m_domain) and its engagement counts (h_opens, h_clicks, m_opens, …, n_revenue:
 * store/message-grain.ts), which are zero on a bounced message (an open or click counts only on a
 * delivered one, SPEC.md). `foreign`: see ownEvents. `times`: [column, aggregate] of event times kept
 * beside the counts (reply-delay.ts: the first counted reply's), under the same rules, NULL on a bounced message.
 *
 * Without a window, one GROUP BY over the campaign's events gives both the message's attributes and its
 * counts. With one, an event counts only within the window of its message's send time, which is itself
 * an aggregate of the message's events, so the counts need a second pass joined to `msg`. The single
 * pass is what makes the default report fast: it groups each event once instead of grouping sends and
 * engagement apart and joining them (on a million-message campaign, about half the time).
 */
export function messageGrainCtes(
  d: SqlDialect,
  bag: ParamBag,
  plan: EmailPlan,
  foreign = true,
  times: ReadonlyArray<readonly [string, string]> = [],
): NamedSubqueries {
  const counts = engagementAggregates(d);
  const c = d.param(bag, plan.query.campaign, 'String');
  const base = messageCtes(d, c, foreign);
  const labels = messageAttributes(d)
    .map(([name]) => name)
    .join(', ');
  const aggregates = aliased(
    [...counts, ...times].map(([name, agg]): [string, string] => [`e_${name}`, agg]),
    '        ',
  );
  if (!plan.query.window) {
    const [ev] = base;
    return [
      ev!,
      bouncedCte(d, c, foreign),
      [
        'msg',
        (ref) => `SELECT message, ${aliased(messageAttributes(d), '        ')},
        ${aggregates}
      FROM ${ref('ev')} AS ev
      GROUP BY message`,
      ],
      [
        'j',
        (ref) => `SELECT message, ${labels},
        ${[
          ...counts.map(([name]) => `CASE WHEN ${DELIVERED} THEN e_${name} ELSE 0 END AS ${name}`),
          ...times.map(([name]) => `CASE WHEN ${DELIVERED} THEN e_${name} END AS ${name}`),
        ].join(', ')}
      FROM ${ref('msg')} AS msg`,
      ],
    ];
  }
  return [
    ...base,
    [
      'eng',
      (ref) => `SELECT message, ${aggregates}
      FROM ${engaged(d, bag, plan, ref, typeList(), 'message, type, ts, machine, reasons, value')}
      GROUP BY message`,
    ],
    [
      'j',
      (ref) => `SELECT message, ${labels},
        ${[...counts.map(([name]) => `coalesce(e_${name}, 0) AS ${name}`), ...times.map(([name]) => `e_${name} AS ${name}`)].join(', ')}
      FROM ${ref('msg')} AS msg ${d.leftJoin} ${ref('eng')} AS eng USING (message)`,
    ],
  ];
}
