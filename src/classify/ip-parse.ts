// Parses client addresses as the tracking edge and providers' webhooks give them: IPv4, IPv6 (with
// `::`, zone ids, brackets, an embedded IPv4 tail) and IPv4-mapped IPv6, into integers for range lookups.

/** An address as an integer: IPv4 as an unsigned 32-bit value, IPv6 as a 128-bit BigInt. */
export type ParsedIp = { v: 4; n: number } | { v: 6; n: bigint };

/** Dotted quad → unsigned 32-bit number, or -1. Hand-rolled: this runs on every open and click. */
function parseIpv4(s: string, from = 0, to = s.length): number {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return -1;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      if (dots > 3) return -1;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255 || digits > 3) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return n * 256 + octet;
}

function parseHextets(part: string, out: number[]): boolean {
  if (part === '') return true;
  for (const h of part.split(':')) {
    if (h.length === 0 || h.length > 4 || !/^[0-9a-fA-F]+$/.test(h)) return false;
    out.push(parseInt(h, 16));
  }
  return true;
}

const MAPPED_TOP = 0xffffn; // ::ffff:0:0/96, the IPv4-mapped block, shifted right 32 bits

/** Any address form → integer, or null when it is not an IP address (hostnames, garbage). */
export function parseIp(raw: string): ParsedIp | null {
  const v4 = parseIpv4(raw);
  if (v4 >= 0) return { v: 4, n: v4 };
  let s = raw.trim();
  if (s.startsWith('[')) s = s.slice(1, s.indexOf(']') < 0 ? s.length : s.indexOf(']'));
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) {
    const t = parseIpv4(s);
    return t >= 0 ? { v: 4, n: t } : null;
  }
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) stands for the last two hextets.
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    const q = parseIpv4(s, lastColon + 1);
    if (q < 0) return null;
    tail = [Math.floor(q / 65536), q % 65536];
    // Keep a '::' that ends right before the tail ("::1.2.3.4"), drop the single separating ':' otherwise.
    s = s[lastColon - 1] === ':' ? s.slice(0, lastColon + 1) : s.slice(0, lastColon);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head: number[] = [];
  const rest: number[] = [];
  if (!parseHextets(halves[0] as string, head)) return null;
  if (halves.length === 2 && !parseHextets(halves[1] as string, rest)) return null;
  rest.push(...tail);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  let n = 0n;
  for (const w of words) n = (n << 16n) | BigInt(w);
  // TRICKY: dual-stack servers log IPv4 clients as ::ffff:a.b.c.d; they must match the IPv4 ranges.
  if (n >> 32n === MAPPED_TOP) return { v: 4, n: Number(n & 0xffffffffn) };
  return { v: 6, n };
}
