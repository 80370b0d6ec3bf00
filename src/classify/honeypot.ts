// The honeypot link: one link per message that no person can see or reach, so any request to it is a
// machine by construction. This names its destination, and remembers each hit's address block (/24 or
// /48) and agent for a while so the same tooling is known on every other message.
import { parseIp } from './ip-parse.js';

/**
 * The path of the honeypot link's destination on the tracking origin. A path of its own, so a click's
 * recorded destination says it was the honeypot without any other column.
 */
export const HONEYPOT_PATH = '/clickrate-honeypot';

/** True for the destination of a honeypot link (any tracking origin). */
export function isHoneypotUrl(url: string | null | undefined): boolean {
  if (!url?.endsWith(HONEYPOT_PATH)) return false;
  try {
    return new URL(url).pathname === HONEYPOT_PATH;
  } catch {
    return false;
  }
}

/** The /24 of an IPv4 address or the /48 of an IPv6 one (the unit providers hand to one customer), or null. */
export function addressBlock(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const p = parseIp(ip);
  if (p === null) return null;
  if (p.v === 4) {
    const n = p.n - (p.n % 256);
    return `${Math.floor(n / 16777216)}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.0/24`;
  }
  const top = p.n >> 80n;
  const groups = [top >> 32n, (top >> 16n) & 0xffffn, top & 0xffffn].map((g) => g.toString(16));
  return `${groups.join(':')}::/48`;
}

/** One request to a honeypot link. */
export interface HoneypotHit {
  ip: string | null;
  user_agent: string | null;
  /** Epoch ms. */
  ts: number;
}

/**
 * Honeypot hits by address block and agent. An event matches when a hit came from its block with exactly
 * its agent within `ttlMs` either side: the scanner's pool works before and after the one hit we saw.
 */
export class HoneypotMemory {
  private readonly byKey = new Map<string, number[]>();

  constructor(
    hits: readonly HoneypotHit[],
    private readonly ttlMs: number,
  ) {
    for (const h of hits) {
      const block = addressBlock(h.ip);
      if (block === null || !h.user_agent) continue;
      const key = `${block} ${h.user_agent}`;
      const list = this.byKey.get(key);
      if (list) list.push(h.ts);
      else this.byKey.set(key, [h.ts]);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The block learned as machine that this request matches, or null. */
  match(ip: string | null | undefined, ua: string | null | undefined, ts: number): string | null {
    if (this.byKey.size === 0 || !ua) return null;
    const block = addressBlock(ip);
    if (block === null) return null;
    const times = this.byKey.get(`${block} ${ua}`);
    return times?.some((t) => Math.abs(ts - t) <= this.ttlMs) ? block : null;
  }
}
