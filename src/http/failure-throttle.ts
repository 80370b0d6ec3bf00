// Holds off a client that keeps failing to authenticate (wrong API keys at /login or as Bearer keys):
// OWASP Authentication Cheat Sheet, "Login Throttling", and NIST SP 800-63B §5.2.2, which asks a
// verifier to limit the failed attempts it allows on an account; here, per client address.
import { parseIp } from '../classify/ip-parse.js';

export interface ThrottleOptions {
  /** Failures within the window after which the client is held off (default 5). */
  max?: number;
  /** The window, ms (default 15 minutes). */
  windowMs?: number;
  /** Clients tracked at most; past it, the one whose last failure is oldest is forgotten (default 10,000). */
  capacity?: number;
  now?: () => number;
}

/**
 * Who a failure is counted against: the address, or for IPv6 its /64. TRICKY: one IPv6 subscriber is
 * usually given a whole /64 (RFC 6177), so counting single addresses would give them 2^64 fresh starts.
 */
export function throttleKey(ip: string | null): string {
  if (ip === null) return 'unknown';
  const p = parseIp(ip);
  if (p === null) return ip;
  return p.v === 4
    ? ip
    : `${(p.n >> 64n)
        .toString(16)
        .padStart(16, '0')
        .replace(/(.{4})(?=.)/g, '$1:')}::/64`;
}

export class FailureThrottle {
  /**
   * Per client, the times of its last `max` failures, oldest first. The map's own order is that of the
   * latest failure, least recent first, so the first key is the one to forget when over capacity.
   */
  private readonly failures = new Map<string, number[]>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(opts: ThrottleOptions = {}) {
    this.max = opts.max ?? 5;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.capacity = opts.capacity ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Whole seconds until `client` may try again (for Retry-After); 0: it may try now. */
  retryAfter(client: string): number {
    const times = this.failures.get(client);
    if (!times || times.length < this.max) return 0;
    // Held off until the oldest of its last `max` failures leaves the window.
    const wait = times[0]! + this.windowMs - this.now();
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  /** Counts a failed attempt of `client`. */
  fail(client: string): void {
    const t = this.now();
    const times = (this.failures.get(client) ?? []).filter((at) => t - at < this.windowMs);
    times.push(t);
    if (times.length > this.max) times.shift();
    this.failures.delete(client);
    this.failures.set(client, times);
    if (this.failures.size > this.capacity) this.failures.delete(this.failures.keys().next().value as string);
  }

  /** A success starts the client's count again. */
  succeed(client: string): void {
    this.failures.delete(client);
  }

  /** Clients tracked now (bounded by the capacity). */
  get size(): number {
    return this.failures.size;
  }
}
