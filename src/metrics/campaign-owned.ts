// Which stored events a campaign's report and export may show, under the rule that a message belongs
// to one campaign (store/message-owner.ts): the owner's. Ingest keeps every new sent to that rule;
// these conditions keep reports right over what it does not check: other events naming a campaign
// that is not their message's (kept, and counted for the owner), and stores holding sents of one
// message under several campaigns from before the rule.
import { CLAIM, OWNER } from '../store/message-owner.js';
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import { notForeignSent } from '../store/message-grain.js';
import type { Row } from '../store/store.js';

/**
 * A subquery of `message`: the messages that an event naming campaign `c` (a bound placeholder) refers
 * to and that a claim names another campaign for (one row per such claim). Only these can belong to
 * another campaign, or have a sent naming another: none, usually, in a store that checked every sent,
 * so reports count them first (the profile's `foreign_claims`) and filter only when there are any.
 * Messages go through messageIn, which ClickHouse answers from its primary index.
 */
export function foreignClaims(d: SqlDialect, c: string): string {
  const named = `SELECT message FROM events WHERE ${d.layout.campaignNamed(c)} AND message IS NOT NULL`;
  return `SELECT message FROM events WHERE ${CLAIM} AND campaign <> ${c} AND ${d.layout.messageIn(named)}`;
}

/**
 * A subquery of `message`: messages that an event naming campaign `c` refers to, but that belong to
 * another campaign. Messages nobody claims yet are not among them (their events naming `c` are its
 * orphans).
 */
function disownedMessages(d: SqlDialect, c: string): string {
  return `SELECT message FROM events WHERE ${CLAIM} AND ${d.layout.messageIn(foreignClaims(d, c))} GROUP BY message HAVING ${OWNER} <> ${c}`;
}

/** False when the profile (compile-email.ts) found no claim naming another campaign: ownedBy can be left out. */
export function hasForeignClaims(profile: Row | undefined): boolean {
  const n = profile?.foreign_claims;
  return n === undefined || n === null || Number(n) > 0;
}

/** How many claims name another campaign for messages of `campaign` (see foreignClaims); 0: ownedBy can be left out. */
export function compileForeignClaims(campaign: string, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  return { sql: `SELECT count(*) AS n FROM (${foreignClaims(d, d.param(bag, campaign, 'String'))}) AS f`, params: bag.params };
}

/**
 * A condition on event columns, for events of messages that name campaign `c`: the event belongs to
 * `c` (always true when foreignClaims is empty). Its message is not another campaign's, and it is not a sent naming another campaign (one stored
 * before the rule: the store would refuse it now; its recipient and labels are not the message's).
 */
export function ownedBy(d: SqlDialect, c: string): string {
  return `message NOT IN (${disownedMessages(d, c)}) AND ${notForeignSent(c)}`;
}
