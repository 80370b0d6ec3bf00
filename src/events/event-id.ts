// Content digests for events that arrive without an id, so that re-importing a file or re-delivering a
// batch changes nothing (SPEC.md: "an event whose id was already stored is ignored").
import { createHash } from 'node:crypto';
import type { ParsedEvent } from './parse-event.js';

/**
 * The digest of everything an event says. The store turns it into the id `h:<digest>:<n>`, where n is
 * the event's ordinal among identical events of the same batch.
 * TRICKY: the ordinal matters. Two identical rows in one file (two impressions in the same second) are
 * two real events and must both be kept, yet the same file imported twice must map onto the same ids.
 * The ordinal is numbered by the store (a window function), not here: a map of every digest of a 2 GB
 * file would not fit the import's memory bound.
 */
export function contentDigest(e: ParsedEvent): string {
  return createHash('sha256')
    .update(
      JSON.stringify([e.type, e.ts, e.message, e.campaign, e.recipient, e.step, e.variant, e.segment, e.ad, e.url, e.ip, e.user_agent, e.method, e.value]),
    )
    .digest('base64url')
    .slice(0, 22);
}
