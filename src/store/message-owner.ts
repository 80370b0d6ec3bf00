// Which campaign a message belongs to, as SQL every store and report shares, and how a store names a
// `sent` it refuses for naming another one. Message ids are global; a message has one campaign.
//
// The rule: a message's *claims* are its `sent` and `delivered` events that name a campaign. Its owner
// is the campaign of its first claim in the order (sent before delivered, earliest ts, smallest id):
// the campaign of its first `sent`, or for a message never sent, of its first `delivered` (SPEC.md
// lets a delivered event alone make a message sent). Ingest keeps the owner once stored: a `sent`
// naming another campaign is refused (not stored); any other event is stored and belongs to the owner,
// whatever campaign it names.
import { ClickrateError } from '../errors.js';
import { ParamBag } from './dialect.js';
import type { RefusedEvent, Store } from './store.js';

/** A condition on event columns: the event is a claim (a sent or delivered event naming a campaign, with a message). */
export const CLAIM = "type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL";

/**
 * The owner, aggregated over one message's claims. TRICKY: the same text in DuckDB and in ClickHouse
 * 18.16 (argMin is DuckDB's arg_min; a parenthesised list is a struct there and a tuple here, and both
 * compare element by element). `type <> 'sent'` puts sents before delivered events (false < true).
 */
export const OWNER = "argMin(campaign, (type <> 'sent', ts, id))";

/** A sent the store refused: `owner` is the campaign its message belongs to, `named` the one it named. */
export interface OwnerConflict {
  id: string;
  message: string;
  owner: string;
  named: string;
}

function refusalReason(c: Pick<OwnerConflict, 'message' | 'owner' | 'named'>): string {
  return `message '${c.message}' belongs to campaign '${c.owner}', so a sent naming campaign '${c.named}' is refused`;
}

export function toRefused(conflicts: readonly OwnerConflict[]): RefusedEvent[] {
  return conflicts.map((c) => ({ id: c.id, reason: refusalReason(c) }));
}

/** Refused events a store lists at most in a strict session's error (the file is failed whole anyway). */
export const STRICT_REFUSALS_LISTED = 20;

/**
 * An ingest session that can be made all or nothing about refusals too: after strict(), a commit that
 * would refuse any event stores nothing and throws ownerConflictError (a file import: SPEC.md "all or
 * nothing per file"). Without it, commit stores the rest and lists the refused in IngestCounts.refused.
 */
export interface StrictIngestSession {
  strict(): void;
}

export function isStrictIngestSession(s: object): s is StrictIngestSession {
  return typeof (s as Partial<StrictIngestSession>).strict === 'function';
}

/** The error of a strict commit that refused events: `details.refused` lists some, `details.count` says how many. */
export function ownerConflictError(refused: readonly RefusedEvent[], count: number): ClickrateError {
  const listed = refused.slice(0, STRICT_REFUSALS_LISTED);
  const more = count > listed.length ? `\n(and ${count - listed.length} more)` : '';
  return new ClickrateError(
    'CR_ERR_CONFLICT',
    `${count} event(s) refused; nothing was stored:\n${listed.map((r) => `event ${r.id}: ${r.reason}`).join('\n')}${more}`,
    {
      refused: listed,
      count,
    },
  );
}

/** The refused events a strict commit's error carries, or null when `err` is not one. */
export function refusalsOf(err: unknown): { refused: RefusedEvent[]; count: number } | null {
  if (!(err instanceof ClickrateError) || err.code !== 'CR_ERR_CONFLICT' || !Array.isArray(err.details.refused)) return null;
  return { refused: err.details.refused as RefusedEvent[], count: Number(err.details.count ?? err.details.refused.length) };
}

/** The campaign `message` belongs to in the store, or null when no claim names one yet. */
export async function messageOwner(store: Store, message: string): Promise<string | null> {
  const d = store.dialect;
  const bag = new ParamBag();
  const m = d.param(bag, message, 'String');
  // messageIn: on ClickHouse the sort key's expression, so the primary index finds the message's granules.
  const [row] = await store.query({
    sql: `SELECT ${OWNER} AS owner FROM events WHERE ${CLAIM} AND ${d.messageIn(`SELECT ${m} AS message`)}`,
    params: bag.params,
  });
  const owner = row?.owner;
  // ClickHouse answers '' (its default) where DuckDB answers NULL for no rows; no campaign is ''.
  return typeof owner === 'string' && owner !== '' ? owner : null;
}

/**
 * Throws CR_ERR_CONFLICT when `message` belongs to a campaign other than `campaign`: what a caller
 * about to record a sent (POST /api/v1/wrap with its own message id) checks first, so it never issues
 * a message whose sent the store would refuse.
 */
export async function assertMessageCampaign(store: Store, message: string, campaign: string): Promise<void> {
  const owner = await messageOwner(store, message);
  if (owner === null || owner === campaign) return;
  throw new ClickrateError(
    'CR_ERR_CONFLICT',
    `message '${message}' belongs to campaign '${owner}'; it cannot be sent under campaign '${campaign}' (give this send its own message id)`,
    {
      message,
      campaign: owner,
    },
  );
}
