// One client acting on many recipients' messages: a gateway scanning a company's inbound mail, or a
// vendor's shared pool, clicks each message soon after its own delivery from the same address block with
// the same agent. A person clicks their own mail. This remembers, per block (/24, /48) and exact agent,
// the spans of time in which it clicked the messages of several distinct recipients that way.
import type { ClassifierConfig } from './config.js';
import { addressBlock } from './honeypot.js';

/** One click with what the rule reads of it: whose message, from where, and when against its delivery. */
export interface PoolClick {
  /** The message's recipient; null: unknown, and the message then stands for its recipient. */
  recipient: string | null;
  message: string;
  ip: string | null;
  user_agent: string | null;
  /** Epoch ms of the click. */
  ts: number;
  /** Epoch ms of the message's delivery (else its send). */
  anchor: number;
}

/** A span in which one block and agent clicked `recipients` distinct recipients' messages soon after delivery. */
interface PoolSpan {
  from: number;
  to: number;
  recipients: number;
}

/**
 * Caps on what a memory keeps. TRICKY: the input is whatever reached the tracking edge; a hostile client
 * hammering 100k messages from one address must not grow the memory with it. Spans of one client merge
 * when they overlap (one hammering client is one span), and at most `MAX_KEYS` clients and
 * `MAX_SPANS_PER_KEY` spans each are kept: later ones are dropped (the signal then stays silent on them).
 */
export const MAX_KEYS = 50_000;
const MAX_SPANS_PER_KEY = 1_000;

export type SharedClientRule = Pick<ClassifierConfig, 'sharedClientWindowMs' | 'sharedClientRecipients' | 'sharedClientSpanMs'>;

/** The shared clients found in a set of clicks (any order). Linear after one sort per client. */
export class SharedClientMemory {
  private readonly byKey = new Map<string, PoolSpan[]>();

  constructor(
    clicks: Iterable<PoolClick>,
    private readonly rule: SharedClientRule,
  ) {
    const groups = new Map<string, { ts: number; who: string }[]>();
    for (const c of clicks) {
      if (!c.user_agent || c.ts - c.anchor > rule.sharedClientWindowMs) continue;
      const block = addressBlock(c.ip);
      if (block === null) continue;
      const key = `${block} ${c.user_agent}`;
      let list = groups.get(key);
      if (!list) {
        if (groups.size >= MAX_KEYS * 4) continue; // hostile variety: most keys never reach a pool
        list = [];
        groups.set(key, list);
      }
      list.push({ ts: c.ts, who: c.recipient ?? `message ${c.message}` });
    }
    for (const [key, list] of groups) {
      if (this.byKey.size >= MAX_KEYS) break;
      const spans = poolSpans(list, rule.sharedClientSpanMs, rule.sharedClientRecipients);
      if (spans.length > 0) this.byKey.set(key, spans.slice(0, MAX_SPANS_PER_KEY));
    }
  }

  /** Clients (block and agent) found acting on several recipients' messages. */
  get size(): number {
    return this.byKey.size;
  }

  /** Spans kept over all clients (bounded by the caps above). */
  get spans(): number {
    let n = 0;
    for (const s of this.byKey.values()) n += s.length;
    return n;
  }

  /**
   * The block and recipient count when this click, made `dt` ms after its message's delivery, comes from
   * a shared client at that time; null otherwise (a click later than the window is a person's pace).
   */
  match(ip: string | null | undefined, ua: string | null | undefined, ts: number, dt: number): { block: string; recipients: number } | null {
    if (this.byKey.size === 0 || !ua || dt > this.rule.sharedClientWindowMs) return null;
    const block = addressBlock(ip);
    if (block === null) return null;
    const spans = this.byKey.get(`${block} ${ua}`);
    if (!spans) return null;
    // Binary search: the last span starting at or before ts.
    let lo = 0;
    let hi = spans.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.from <= ts) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const s = at < 0 ? undefined : spans[at];
    return s && ts <= s.to ? { block, recipients: s.recipients } : null;
  }
}

/**
 * The merged spans of one client's clicks in which some window of `spanMs` holds clicks on `min` or more
 * distinct recipients' messages, each with the most recipients any such window held. Two pointers over
 * the clicks sorted by time, with a count per recipient: linear after the sort.
 */
function poolSpans(list: { ts: number; who: string }[], spanMs: number, min: number): PoolSpan[] {
  list.sort((a, b) => a.ts - b.ts);
  const out: PoolSpan[] = [];
  const counts = new Map<string, number>();
  let k = 0;
  for (let i = 0; i < list.length; i++) {
    const start = list[i]!.ts;
    for (; k < list.length && list[k]!.ts - start <= spanMs; k++) counts.set(list[k]!.who, (counts.get(list[k]!.who) ?? 0) + 1);
    if (counts.size >= min) {
      const to = list[k - 1]!.ts;
      const last = out[out.length - 1];
      if (last && start <= last.to) {
        last.to = Math.max(last.to, to);
        last.recipients = Math.max(last.recipients, counts.size);
      } else out.push({ from: start, to, recipients: counts.size });
    }
    const who = list[i]!.who;
    const c = (counts.get(who) ?? 1) - 1;
    if (c === 0) counts.delete(who);
    else counts.set(who, c);
  }
  return out;
}

/** An event of a batch as sharedClientsOf reads it. */
interface BatchEvent {
  type: string;
  ts: number;
  message?: string | null;
  recipient?: string | null;
  ip?: string | null;
  user_agent?: string | null;
}

/**
 * The shared clients of a batch of events holding whole messages (a file imported at once, the
 * evaluation's campaigns): each message's delivery (else send) and recipient from its own events, as
 * classifyMessage reads them.
 */
export function sharedClientsOf(events: readonly BatchEvent[], rule: SharedClientRule): SharedClientMemory {
  const msgs = new Map<string, { delivered: number; sent: number; recipient: string | null }>();
  for (const e of events) {
    if (!e.message || (e.type !== 'delivered' && e.type !== 'sent')) continue;
    let m = msgs.get(e.message);
    if (!m) {
      m = { delivered: Infinity, sent: Infinity, recipient: null };
      msgs.set(e.message, m);
    }
    if (e.type === 'delivered') m.delivered = Math.min(m.delivered, e.ts);
    else if (e.type === 'sent') m.sent = Math.min(m.sent, e.ts);
    if (e.type === 'sent') m.recipient ??= e.recipient ?? null;
  }
  const clicks: PoolClick[] = [];
  for (const e of events) {
    const m = e.type === 'click' && e.message ? msgs.get(e.message) : undefined;
    const anchor = m ? (m.delivered !== Infinity ? m.delivered : m.sent) : Infinity;
    if (!m || anchor === Infinity) continue;
    clicks.push({ recipient: m.recipient, message: e.message!, ip: e.ip ?? null, user_agent: e.user_agent ?? null, ts: e.ts, anchor });
  }
  return new SharedClientMemory(clicks, rule);
}
