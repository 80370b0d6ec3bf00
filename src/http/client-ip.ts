// The client address of a request. X-Forwarded-For is honoured only when the direct peer is a
// configured trusted proxy; otherwise anyone could forge the address the classifier weighs.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { ClickrateError } from '../errors.js';

/**
 * The proxies whose X-Forwarded-For is believed; null: trust nobody (no --trust-proxy), so the edge
 * skips the BlockList lookup, a native call on every click (hot path).
 */
export type TrustedProxies = BlockList | null;

/** Parses a comma-separated list of addresses and CIDRs, e.g. "127.0.0.1, 10.0.0.0/8, ::1"; none: null. */
export function parseTrustedProxies(spec: string | undefined, what = 'trusted proxy'): TrustedProxies {
  const list = new BlockList();
  for (const raw of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, bits] = raw.split('/');
    const family = isIP(addr ?? '');
    if (family === 0) throw new ClickrateError('CR_ERR_CONFIG', `${what} '${raw}' is not an IP address or CIDR`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr!, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        throw new ClickrateError('CR_ERR_CONFIG', `${what} '${raw}' has a bad prefix length`);
      list.addSubnet(addr!, prefix, type);
    }
  }
  return list.rules.length === 0 ? null : list;
}

function normalize(addr: string): string {
  return addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
}

function trusted(list: BlockList, addr: string): boolean {
  const family = isIP(addr);
  return family !== 0 && list.check(addr, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Walks X-Forwarded-For from the right, skipping trusted proxies: the first untrusted hop is the client.
 * TRICKY: the left-most entry is whatever the client wrote; only hops our proxies appended are true.
 */
export function clientIp(req: IncomingMessage, proxies: TrustedProxies): string | null {
  const remote = req.socket.remoteAddress;
  const peer = remote ? normalize(remote) : null;
  if (peer === null || proxies === null || !trusted(proxies, peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => normalize(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return peer;
    if (!trusted(proxies, hop)) return hop;
  }
  return hops[0] ?? peer;
}
