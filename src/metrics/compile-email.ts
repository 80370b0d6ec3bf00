// Step 3 of the report pipeline for email campaigns: the plan as parameter-bound SQL for one dialect.
// Everything is counted at the message grain (SPEC.md "Metric semantics"); the dialect supplies syntax.
import { ClickrateError } from '../errors.js';
import { ParamBag, type CompiledParts, type CompiledQuery, type SqlDialect, type SubqueryRef } from '../store/dialect.js';
import { URL_LISTS } from '../store/facts-lists.js';
import { isEngagement } from '../store/grain-aggregates.js';
import { IS_CLAIM_TYPE, REASONED, typeList } from '../store/message-grain.js';
import { engaged, engagedCtes, messageGrainCtes, type EmailPlan } from './email-ctes.js';
import { foreignClaims } from './campaign-owned.js';
import { chooseSource, type CampaignProfile } from './report-plan.js';
import { compileFactsReports, compileFactsTimeseries } from './compile-facts.js';
import { addDelayParts, FIRST_REPLY_TS, firstReplyOfEvents } from './reply-delay.js';
import { groupKey, linkCountsOfEvents, messageCountAggregates, reportPart, SERIES } from './message-counts.js';

export { reportPart };

/** The message-grain counts per group key (`--by link` reports the campaign's totals beside its links). */
function reportBody(d: SqlDialect, grouping: EmailPlan['grouping']) {
  const key = groupKey(d, grouping);
  return (ref: SubqueryRef) => `SELECT ${key} AS key,
      ${messageCountAggregates(d)
        .map(([name, agg]) => `${agg}${name === 'revenue' ? ' / 10000' : ''} AS ${name}`)
        .join(',\n      ')}
    FROM ${ref('j')} AS j
    GROUP BY key`;
}

/** Per link (SPEC.md `--by link`): key = URL, message-grain unique clicks on that link. */
function linkBody(d: SqlDialect, bag: ParamBag, plan: EmailPlan) {
  return (ref: SubqueryRef) => `SELECT url AS key,
      ${linkCountsOfEvents(d)}
    FROM ${engaged(d, bag, plan, ref, typeList(Object.values(URL_LISTS)), 'message, ts, machine, url')}
    GROUP BY url`;
}

/** Machine opens and clicks by the reasons that made them machine (REASONED). */
function reasonsBody(d: SqlDialect, bag: ParamBag, plan: EmailPlan) {
  const types = typeList(REASONED);
  return (ref: SubqueryRef) => `SELECT type, reasons, count(*) AS n
    FROM ${engaged(d, bag, plan, ref, types, 'message, type, ts, machine, reasons')} AND machine = ${d.true}
    GROUP BY type, reasons`;
}

/**
 * Email reports of one campaign and window, as parts over the same message grain: `report_<grouping>`
 * (counts per group key) for each plan, `reasons` (machine events by reason) and, when a plan is by
 * link, `links`. Rows come in no particular order; the shape step orders them. Engines that compute
 * shared subqueries once answer every part in one statement (dialect.withParts): a dashboard page's
 * breakdowns then cost one pass over the campaign's events, not one each.
 */
export function compileEmailReports(plans: readonly EmailPlan[], d: SqlDialect, factsStale = true, foreign = true): CompiledParts {
  const first = plans[0];
  if (!first || plans.some((p) => p.query.campaign !== first.query.campaign || p.query.window?.ms !== first.query.window?.ms)) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', 'reports compiled together must share one campaign and window');
  }
  if (plans.some((p) => p.source !== first.source)) throw new ClickrateError('CR_ERR_BAD_QUERY', 'reports compiled together must read one source');
  if (first.source === 'facts') return compileFactsReports(plans, d, factsStale);
  const bag = new ParamBag();
  const ctes = messageGrainCtes(d, bag, first, foreign, [[FIRST_REPLY_TS, firstReplyOfEvents(d)]]);
  const parts = new Map<string, (ref: SubqueryRef) => string>();
  for (const plan of plans) {
    parts.set(reportPart(plan), reportBody(d, plan.grouping === 'link' ? null : plan.grouping));
    if (plan.grouping === 'link') parts.set('links', linkBody(d, bag, plan));
  }
  addDelayParts(d, plans, parts);
  parts.set('reasons', reasonsBody(d, bag, first));
  return { statements: d.withParts(ctes, [...parts]), params: bag.params };
}

/**
 * Opens and clicks over time (bucket = whole `bucketMs` since the epoch, by event time), people and
 * machines apart, under the report's own rules: delivered messages only, within the window of the send.
 */
export function compileEmailTimeseries(plan: EmailPlan, bucketMs: number, d: SqlDialect, factsStale = true, foreign = true): CompiledQuery {
  if (plan.source === 'facts') return compileFactsTimeseries(plan, bucketMs, d, factsStale);
  const bag = new ParamBag();
  const sql = d.withQuery(
    engagedCtes(d, bag, plan, foreign),
    (ref) => `SELECT ${d.bucketOf('ts', bucketMs)} AS bucket,
      ${SERIES.map(([name, e]) => `${d.countIf(isEngagement(d, e))} AS ${name}`).join(',\n      ')}
    FROM ${engaged(d, bag, plan, ref, typeList(SERIES.map(([, e]) => e)), 'message, type, ts, machine')}
    GROUP BY bucket
    ORDER BY bucket`,
  );
  return { sql, params: bag.params };
}

/**
 * What a report needs to know before planning: whether the campaign sent messages (`sends`: its sent
 * and delivered events, not a distinct count, which would cost a hash of every message id), how many ad
 * events it has, and its orphans (events naming the campaign whose message was never sent, SPEC.md).
 * An orphan's message has no sent or delivered event anywhere; checking that for the few events that
 * name the campaign but are not sends keeps the check small. Engines without per-message facts also
 * count `foreign_claims` (campaign-owned.ts): when 0, as in any store that checked every sent, the
 * reports leave out the filter that keeps other campaigns' messages out.
 */
/** The counts of a profile row (compileCampaignProfile) that plan a report; no row counts as no campaign. */
export function campaignProfile(row: Record<string, unknown> | undefined): CampaignProfile {
  return { sends: Number(row?.sends ?? 0), adEvents: Number(row?.ad_events ?? 0), events: Number(row?.events ?? 0) };
}

export function compileCampaignProfile(campaign: string, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  // Email reports of a store with facts read them (report-plan.ts, chooseSource): then ask whether any need building;
  // otherwise whether the events need the filter that keeps other campaigns' messages out.
  const facts = chooseSource({ kind: 'email' }, d.layout.capabilities) === 'facts';
  const c = d.param(bag, campaign, 'String');
  const sql = d.withQuery(
    [
      ['own', () => `SELECT message, type FROM events WHERE ${d.layout.campaignNamed(c)}`],
      ['candidates', (ref) => d.layout.orphanCandidates(ref('own'), c)],
    ],
    (ref) => `SELECT
      (SELECT count(*) FROM ${ref('own')} AS o WHERE message IS NOT NULL AND ${IS_CLAIM_TYPE}) AS sends,
      (SELECT count(*) FROM ${ref('own')} AS o WHERE message IS NULL) AS ad_events,
      (SELECT count(*) FROM ${ref('own')} AS o) AS events,
      (SELECT count(*) FROM ${ref('candidates')} AS c
        WHERE message NOT IN (SELECT message FROM events WHERE ${IS_CLAIM_TYPE} AND ${d.layout.messageIn(`SELECT message FROM ${ref('candidates')} AS c2`)})
      ) AS orphans${
        facts
          ? `,
      ${d.layout.factsStale()} AS facts_stale`
          : `,
      (SELECT count(*) FROM (${foreignClaims(d, c)}) AS f) AS foreign_claims`
      }`,
  );
  return { sql, params: bag.params };
}
