// Validates in-memory event objects and ingests them all or nothing: the path for the demo, the HTTP
// API and tests, where events arrive as objects rather than as lines of a file.
import { ClickrateError } from '../errors.js';
import type { IngestCounts, IngestEvent, Store } from '../store/store.js';
import { contentDigest } from './event-id.js';
import { parseEvent } from './parse-event.js';

export interface RejectedEvent {
  /** Position in the input, from 0. */
  index: number;
  reason: string;
}

/** Validates every object; returns the ingestable events and the rejected ones with reasons. */
export function validateEvents(raw: readonly unknown[]): { events: IngestEvent[]; rejected: RejectedEvent[] } {
  const events: IngestEvent[] = [];
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
  });
  return { events, rejected };
}

const CHUNK = 10_000;

/** Ingests events in one all-or-nothing session; any invalid event rejects the whole batch. */
export async function ingestEvents(store: Store, raw: readonly unknown[]): Promise<IngestCounts> {
  const { events, rejected } = validateEvents(raw);
  if (rejected.length > 0) {
    const first = rejected.slice(0, 5).map((r) => `event ${r.index}: ${r.reason}`);
    throw new ClickrateError('CR_ERR_BAD_EVENT', `${rejected.length} invalid event(s); nothing was stored:\n${first.join('\n')}`, { rejected });
  }
  const session = await store.beginIngest();
  try {
    for (let i = 0; i < events.length; i += CHUNK) await session.append(events.slice(i, i + CHUNK));
    return await session.commit();
  } catch (err) {
    await session.abort();
    throw err;
  }
}
