// Signals that need the rest of the message: a click right after a pixel fetch from the same address,
// and what the message saw later from the client of an early event (the reader again, or someone else).
import type { ClassifiableEvent } from './classifiable-event.js';
import type { ClassifierConfig } from './config.js';
import type { Score } from './reasons.js';

interface Scored {
  e: ClassifiableEvent;
  s: Score;
}

const clientKey = (e: ClassifiableEvent): string | null => (e.ip && e.user_agent ? `${e.ip} ${e.user_agent}` : null);

/**
 * Adds the message-context signals to already scored opens and clicks of one message, given the time of
 * its delivery (or send) when known.
 * - open-then-click: a click from the address that fetched the pixel at most `openThenClickMs` before.
 *   Scanners render the message (fetching the pixel) and follow a link a moment later; a person reads first.
 * - same-client-later / later-other-client: for events inside the scan window only (when gateways and
 *   the fastest readers are both about). A person who engaged at once is usually seen again from the same
 *   address and agent; a gateway's pass comes from a client never seen again while others engage later.
 */
export function messageSignals(scored: readonly Scored[], anchorTs: number | null, cfg: ClassifierConfig): void {
  const w = cfg.weights;
  const opens = scored.filter((x) => x.e.type === 'open' && x.e.ip).sort((a, b) => a.e.ts - b.e.ts);
  for (const x of scored) {
    if (x.e.type !== 'click' || !x.e.ip) continue;
    // Latest open from the same address at or before the click.
    let gap = Infinity;
    for (const o of opens) {
      if (o.e.ts > x.e.ts) break;
      if (o.e.ip === x.e.ip) gap = x.e.ts - o.e.ts;
    }
    if (gap <= cfg.openThenClickMs) x.s.add(`open-then-click:${Math.round(gap)}ms`, w.openThenClick);
  }

  if (anchorTs === null) return;
  const scanEnd = anchorTs + cfg.scanWindowMs;
  const later = scored.filter((x) => x.e.ts >= scanEnd);
  if (later.length === 0) return;
  const laterKeys = new Set(later.map((x) => clientKey(x.e)).filter((k) => k !== null));
  for (const x of scored) {
    if (x.e.ts >= scanEnd) continue;
    const key = clientKey(x.e);
    if (key === null) continue;
    if (laterKeys.has(key)) x.s.add('same-client-later', w.sameClientLater);
    else if (later.some((y) => y.e.ip !== x.e.ip && y.e.user_agent !== x.e.user_agent && y.e.user_agent)) x.s.add('later-other-client', w.laterOtherClient);
  }
}
