// Which stored events a campaign's report and export may show, under the rule that a message belongs
// to one campaign (store/message-owner.ts): the owner's. Ingest keeps every new sent to that rule;
// these conditions keep reports right over what it does not check: other events naming a campaign
// that is not their message's (kept, and counted for the owner), and stores holding sents of one
// message under several campaigns from before the rule.
import { CLAIM, OWNER } from '../store/message-owner.js';
import type { SqlDialect } from '../store/dialect.js';

/**
 * A subquery of `message`: messages that an event naming campaign `c` (a bound placeholder) refers to,
 * but that belong to another campaign. Messages nobody claims yet are not among them (their events
 * naming `c` are its orphans). The candidates are looked up through messageIn, which ClickHouse answers
 * from its primary index.
 */
export function disownedMessages(d: SqlDialect, c: string): string {
  const named = `SELECT message FROM events WHERE ${d.campaignNamed(c)} AND message IS NOT NULL`;
  return `SELECT message FROM events WHERE ${CLAIM} AND ${d.messageIn(named)} GROUP BY message HAVING ${OWNER} <> ${c}`;
}

/**
 * A condition on event columns, for events of messages that name campaign `c`: the event belongs to
 * `c`. Its message is not another campaign's, and it is not a sent naming another campaign (one stored
 * before the rule: the store would refuse it now; its recipient and labels are not the message's).
 */
export function ownedBy(d: SqlDialect, c: string): string {
  return `message NOT IN (${disownedMessages(d, c)}) AND (type <> 'sent' OR campaign = ${c})`;
}
