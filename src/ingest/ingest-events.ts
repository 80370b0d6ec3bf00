// Validates in-memory event objects and ingests them all or nothing: the path for the demo, the HTTP
// API and tests, where events arrive as objects rather than as lines of a file.
import { ClickrateError } from '../errors.js';
import { isStrictIngestSession } from '../store/message-owner.js';
import type { IngestCounts, IngestEvent, RefusedEvent, Store } from '../store/store.js';
import { contentDigest } from '../events/event-id.js';
import { parseEvent } from '../events/parse-event.js';

export interface RejectedEvent {
  /** Position in the input, from 0. */
  index: number;
  reason: string;
}

/**
 * Validates every object; returns the ingestable events, the position of each in the input
 * (`indexes`), and the rejected ones with reasons.
 */
export function validateEvents(raw: readonly unknown[]): { events: IngestEvent[]; indexes: number[]; rejected: RejectedEvent[] } {
  const events: IngestEvent[] = [];
  const indexes: number[] = [];
  const rejected: RejectedEvent[] = [];
  raw.forEach((r, index) => {
    const p = parseEvent(r);
    if (!p.ok) {
      rejected.push({ index, reason: p.reason });
      return;
    }
    const e = p.event as IngestEvent;
    e.digest = e.id === null ? contentDigest(e) : null;
    events.push(e);
    indexes.push(index);
  });
  return { events, indexes, rejected };
}

/**
 * The events a store refused in one batch (IngestCounts.refused), by their position in `events`. An
 * id-less event is named `h:<digest>:<n>` by the store, n its ordinal among identical events of the
 * batch (event-id.ts); identical events share their fate, so any order of them names the right ones.
 */
export function refusedPositions(events: readonly IngestEvent[], refused: readonly RefusedEvent[]): Array<{ position: number; reason: string }> {
  if (refused.length === 0) return [];
  const reasons = new Map(refused.map((r) => [r.id, r.reason]));
  const ordinals = new Map<string, number>();
  const out: Array<{ position: number; reason: string }> = [];
  events.forEach((e, position) => {
    let id = e.id;
    if (id === null) {
      const n = (ordinals.get(e.digest ?? '') ?? 0) + 1;
      ordinals.set(e.digest ?? '', n);
      id = `h:${e.digest}:${n}`;
    }
    const reason = reasons.get(id);
    if (reason !== undefined) out.push({ position, reason });
  });
  return out;
}

const CHUNK = 10_000;

/**
 * Ingests events in one all-or-nothing session; any invalid event rejects the whole batch, and so does
 * any the store refuses (CR_ERR_CONFLICT: a sent naming a message of another campaign).
 */
export async function ingestEvents(store: Store, raw: readonly unknown[]): Promise<IngestCounts> {
  const { events, rejected } = validateEvents(raw);
  if (rejected.length > 0) {
    const first = rejected.slice(0, 5).map((r) => `event ${r.index}: ${r.reason}`);
    throw new ClickrateError('CR_ERR_BAD_EVENT', `${rejected.length} invalid event(s); nothing was stored:\n${first.join('\n')}`, { rejected });
  }
  const session = await store.beginIngest();
  if (isStrictIngestSession(session)) session.strict();
  try {
    for (let i = 0; i < events.length; i += CHUNK) await session.append(events.slice(i, i + CHUNK));
    return await session.commit();
  } catch (err) {
    await session.abort();
    throw err;
  }
}
