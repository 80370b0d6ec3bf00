// Human or machine (SPEC.md): a verdict with reasons and a probability for every open and click of one
// message, from its user agent, address read with timing, method, browser age, timing after delivery,
// bursts across the message's links, what the rest of the message saw, honeypot hits, clients seen
// clicking many recipients' messages, and provider flags.
import { defaultBrowserReleases, type BrowserReleases } from './browser-age.js';
import type { ClassifiableEvent } from './classifiable-event.js';
import { DEFAULT_CLASSIFIER_CONFIG, type ClassifierConfig } from './config.js';
import type { HoneypotMemory } from './honeypot.js';
import { defaultRangeTable, type IpRangeTable } from './ip-ranges.js';
import { messageSignals } from './message-signals.js';
import { Score, type Verdict } from './reasons.js';
import { requestSignals, type RequestContext } from './request-signals.js';
import { sharedClientsOf, type SharedClientMemory } from './shared-clients.js';

export type { ClassifiableEvent } from './classifiable-event.js';

/** What verdicts are made with besides the events (defaults: this installation's data files, no honeypot hits). */
export interface ClassifyData {
  releases?: BrowserReleases;
  /** Honeypot hits learned across all messages (see honeypot-hits.ts); null: none known. */
  honeypots?: HoneypotMemory | null;
  /**
   * Clients (block and agent) seen clicking many recipients' messages soon after delivery (shared-clients.ts).
   * null: none known; left out in classifyEvents: found in its own batch.
   */
  sharedClients?: SharedClientMemory | null;
}

function context(config: ClassifierConfig, ranges: IpRangeTable, data: ClassifyData, dt: number | null): RequestContext {
  return { config, ranges, releases: data.releases ?? defaultBrowserReleases(), honeypots: data.honeypots ?? null, dt };
}

/**
 * For each click: the most distinct links clicked in any window of `burstWindowMs` that starts at a click
 * and contains it (the earliest such window on ties), when that is 2 or more.
 * TRICKY: linear time on purpose. Scanning forward from every click is quadratic in the clicks of one
 * message, and one link hammered 40,000 times (a load test, an attack) then stalled the server's event
 * loop for seconds on every classification pass. Two pointers count each window's distinct links; a
 * monotonic deque gives each click the best window containing it.
 */
export function bursts(clicks: readonly ClassifiableEvent[], windowMs: number): Map<string, { links: number; spanMs: number }> {
  const out = new Map<string, { links: number; spanMs: number }>();
  const s = [...clicks].sort((a, b) => a.ts - b.ts);
  const n = s.length;
  const links = new Array<number>(n);
  const end = new Array<number>(n);
  const counts = new Map<string, number>();
  let k = 0;
  for (let j = 0; j < n; j++) {
    const start = s[j]!.ts;
    for (; k < n && s[k]!.ts - start <= windowMs; k++) {
      const u = s[k]!.url ?? '';
      counts.set(u, (counts.get(u) ?? 0) + 1);
    }
    links[j] = counts.size;
    end[j] = k;
    const u = s[j]!.url ?? '';
    const c = (counts.get(u) ?? 1) - 1;
    if (c === 0) counts.delete(u);
    else counts.set(u, c);
  }
  // Windows containing click i are those starting at j ≤ i with end[j] > i; ends never decrease with j.
  const deque: number[] = [];
  let head = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    for (; next <= i; next++) {
      while (deque.length > head && links[deque[deque.length - 1]!]! < links[next]!) deque.pop();
      deque.push(next);
    }
    while (head < deque.length && end[deque[head]!]! <= i) head++;
    const best = deque[head]!;
    if (links[best]! >= 2) out.set(s[i]!.id, { links: links[best]!, spanMs: s[end[best]! - 1]!.ts - s[best]!.ts });
  }
  return out;
}

/** When the message reached the inbox: its delivery, else its send (no delivery events from some sources). */
function anchorOf(events: readonly ClassifiableEvent[]): { ts: number; label: 'delivery' | 'send' } | null {
  let delivered = Infinity;
  let sent = Infinity;
  for (const e of events) {
    if (e.type === 'delivered' && e.ts < delivered) delivered = e.ts;
    else if (e.type === 'sent' && e.ts < sent) sent = e.ts;
  }
  if (delivered !== Infinity) return { ts: delivered, label: 'delivery' };
  return sent !== Infinity ? { ts: sent, label: 'send' } : null;
}

/**
 * Verdicts for every open and click of ONE message. Pass all the message's events (sent, delivered, opens,
 * clicks…; any order): timing needs the delivery or send and bursts need the sibling clicks. Verdicts can
 * change as later events arrive (a burst completes, a re-check shows up): recompute on the whole message.
 */
export function classifyMessage(
  events: readonly ClassifiableEvent[],
  config: ClassifierConfig = DEFAULT_CLASSIFIER_CONFIG,
  ranges: IpRangeTable = defaultRangeTable(),
  data: ClassifyData = {},
): Map<string, Verdict> {
  const w = config.weights;
  const anchor = anchorOf(events);
  const clicks = events.filter((e) => e.type === 'click');
  const burst = bursts(clicks, config.burstWindowMs);
  const scored: { e: ClassifiableEvent; s: Score; hosted: boolean; same: boolean; verdict: Verdict }[] = [];

  for (const e of events) {
    if (e.type !== 'open' && e.type !== 'click') continue;
    const s = new Score();
    const { hosted, client } = requestSignals(e, context(config, ranges, data, anchor ? e.ts - anchor.ts : null), s);
    const b = burst.get(e.id);
    if (b) {
      const secs = Math.max(1, Math.ceil(b.spanMs / 1000));
      // Hours after delivery, unlisted address, a browser's agent: links opened into tabs (config.burstLateMs).
      if (anchor !== null && e.ts - anchor.ts >= config.burstLateMs && !hosted && client) s.add(`late-burst:${b.links}-links-in-${secs}s`, w.burstPair);
      else s.add(`burst:${b.links}-links-in-${secs}s`, b.links >= config.burstStrongLinks ? w.burstStrong : w.burstPair);
    }
    if (anchor) {
      const dt = e.ts - anchor.ts;
      // TRICKY: dt < 0 is real: gateways (Defender) scan before handing the message to the mailbox, and
      // providers' clocks drift. Both count as "no person could have clicked yet".
      if (e.type === 'click' && dt < config.humanMinMs) {
        s.add(`before-human-possible:${Math.max(0, Math.round(dt))}ms-after-${anchor.label}`, w.beforeHumanPossible, true);
      } else if (dt < config.scanWindowMs) {
        s.add(`early:${Math.max(0, Math.round(dt / 1000))}s-after-${anchor.label}`, w.earlyAfterDelivery, true);
      }
      const shared = e.type === 'click' ? data.sharedClients?.match(e.ip, e.user_agent, e.ts, dt) : null;
      // TRICKY: counted as timing (a pattern of clicks soon after delivery, across messages): colleagues
      // behind one NAT with one browser build who read at once show it with `early`, and timing alone
      // never decides (SPEC.md). A gateway's pool decides with any sign of its own (an old browser, a range).
      if (shared) s.add(`shared-client:${shared.recipients}-recipients`, w.sharedClient, true);
    }
    scored.push({ e, s, hosted, same: false, verdict: s.verdict(config.threshold) });
  }
  messageSignals(scored, anchor?.ts ?? null, config);
  for (const x of scored) x.verdict = x.s.verdict(config.threshold);

  // The same machine again: gateways fetch the pixel from the address they click from, and come back
  // hours later to re-check from a fresh sandbox address with the same tooling. An event with the UA
  // of an event already judged machine in this message, and from that event's address, from a data
  // centre or vendor range, or inside a burst, is that machine. TRICKY: the UA alone is not enough (scanners send
  // ordinary browser UAs, which the recipient may share), nor is the address (on-premises gateways
  // share the company's egress with its people). Two rounds: a re-check found can reveal no new UA.
  const out = new Map<string, Verdict>();
  for (let round = 0; round < 2; round++) {
    const machines = new Map<string, Set<string>>(); // UA → addresses it was judged machine from
    for (const x of scored) {
      if (!x.verdict.machine || !x.e.user_agent) continue;
      const ips = machines.get(x.e.user_agent) ?? new Set<string>();
      if (x.e.ip) ips.add(x.e.ip);
      machines.set(x.e.user_agent, ips);
    }
    let changed = false;
    for (const x of scored) {
      const ips = x.e.user_agent ? machines.get(x.e.user_agent) : undefined;
      if (x.verdict.machine || x.same || !ips) continue;
      if (!(x.hosted || burst.has(x.e.id) || (x.e.ip && ips.has(x.e.ip)))) continue;
      x.same = true;
      x.s.add('same-machine', w.sameMachine);
      x.verdict = x.s.verdict(config.threshold);
      changed ||= x.verdict.machine;
    }
    if (!changed) break;
  }
  for (const x of scored) out.set(x.e.id, x.verdict);
  return out;
}

/** Verdict for one ad click (or any open/click without a message): request signals only. */
export function classifyAdEvent(
  event: ClassifiableEvent,
  config: ClassifierConfig = DEFAULT_CLASSIFIER_CONFIG,
  ranges: IpRangeTable = defaultRangeTable(),
  data: ClassifyData = {},
): Verdict {
  const s = new Score();
  requestSignals(event, context(config, ranges, data, null), s);
  return s.verdict(config.threshold);
}

/**
 * Verdicts for a batch of mixed events (email and ads): groups email events by message and classifies
 * each group, ad clicks one by one. For re-classification jobs, evaluation and imports of whole files.
 * Without `sharedClients` in `data`, the clients clicking many recipients' messages are found in the batch.
 */
export function classifyEvents(
  events: readonly (ClassifiableEvent & { message?: string | null; campaign?: string | null; recipient?: string | null })[],
  config: ClassifierConfig = DEFAULT_CLASSIFIER_CONFIG,
  ranges: IpRangeTable = defaultRangeTable(),
  given: ClassifyData = {},
): Map<string, Verdict> {
  const data = given.sharedClients === undefined ? { ...given, sharedClients: sharedClientsOf(events, config) } : given;
  const byMessage = new Map<string, ClassifiableEvent[]>();
  const out = new Map<string, Verdict>();
  for (const e of events) {
    if (e.message) {
      const list = byMessage.get(e.message);
      if (list) list.push(e);
      else byMessage.set(e.message, [e]);
    } else if (e.type === 'click' || e.type === 'open') {
      out.set(e.id, classifyAdEvent(e, config, ranges, data));
    }
  }
  for (const list of byMessage.values()) for (const [id, v] of classifyMessage(list, config, ranges, data)) out.set(id, v);
  return out;
}
