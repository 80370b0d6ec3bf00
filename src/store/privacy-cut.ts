// What privacy keeps of personal data (docs/privacy.md): an address cut to its network (/24 for IPv4,
// /48 for IPv6), a user agent cut to its family and major version, and the placeholder that replaces an
// erased recipient id. Pure functions, shared by both stores; every cut is idempotent (cutting a cut
// value gives it back), so a retention run that stops half way can simply run again.
import { randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** Why a ClickHouse store makes no backup itself (Store.backupTo), for every place that refuses one. */
export const CLICKHOUSE_BACKUPS = "a ClickHouse store is backed up with the server's own tools (BACKUP … TO Disk, clickhouse-backup): see docs/privacy.md";

/** What one erasure changed, per table and column (rows changed), and which messages it reached. */
export interface ErasureReport {
  recipient: string;
  /** The messages sent to the recipient: their events lost their personal data, not their counts. */
  messages: number;
  erased: Array<{ table: string; what: string; rows: number }>;
}

/**
 * `ip` cut to its /24 (IPv4) or /48 (IPv6) network, written as the network's first address. A value that
 * is no address is cut to nothing ('') rather than kept: it may hold anything a client sent.
 */
export function cutIp(ip: string): string {
  let s = ip.trim();
  if (s.startsWith('[')) s = s.slice(1, s.indexOf(']') < 0 ? s.length : s.indexOf(']'));
  if (s.includes('%')) s = s.slice(0, s.indexOf('%'));
  const v4 = (a: string) => `${a.split('.').slice(0, 3).join('.')}.0`;
  if (isIPv4(s)) return v4(s);
  // An IPv4-mapped IPv6 address (RFC 4291 2.5.5.2) is cut as the IPv4 address it maps, in its own form
  // (as ClickHouse's cutIPv6 writes it).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped && isIPv4(mapped[1]!)) return `::ffff:${v4(mapped[1]!)}`;
  if (!isIPv6(s)) return '';
  // The first three 16-bit groups, then '::' (RFC 5952's form of the rest, all zeros), as ClickHouse's
  // cutIPv6 writes it, so both stores keep the same text.
  const hextets = (part: string | undefined): string[] => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [head, tail] = s.split('::');
  const left = hextets(head);
  const right = hextets(tail);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const kept = groups.slice(0, 3).map((g) => Number.parseInt(g, 16));
  while (kept.length > 0 && kept.at(-1) === 0) kept.pop();
  return kept.length === 0 ? '::' : `${kept.map((g) => g.toString(16)).join(':')}::`;
}

/**
 * Browser and tool families in the order a user agent is tested for them: Chromium's forks name Chrome
 * and Safari too, and Chrome names Safari, so the more specific token comes first (the order of the
 * User-Agent reduction notes: https://www.chromium.org/updates/ua-reduction/).
 */
const FAMILIES: ReadonlyArray<readonly [string, RegExp]> = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\b(?:OPR|Opera)\/(\d+)/],
  ['SamsungBrowser', /\bSamsungBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[^ ]* .*\bSafari\//],
  ['Outlook', /\bMicrosoft Outlook (\d+)/],
  ['Thunderbird', /\bThunderbird\/(\d+)/],
];

/**
 * `ua` cut to its family and major version ("Chrome/120"); an agent of no known family keeps its first
 * product token's name and major version ("curl/8", "Mozilla/5"), and one with none is cut to ''.
 */
export function cutUserAgent(ua: string): string {
  for (const [family, re] of FAMILIES) {
    const m = re.exec(ua);
    if (m) return `${family}/${m[1]}`;
  }
  const first = /^\s*([A-Za-z][\w.-]{0,40})(?:\/v?(\d+))?/.exec(ua);
  if (!first) return '';
  return first[2] === undefined ? first[1]! : `${first[1]}/${first[2]}`;
}

/**
 * The id an erased recipient's sends carry instead: random (so not reversible, unlike a hash of a
 * guessable address), with the recipient's domain kept, since reports group by it (`--by provider`,
 * SqlDialect.domainOf: the part after the first '@').
 */
export function erasedRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  const domain = at < 0 ? null : recipient.slice(at + 1).split('@')[0]!;
  const id = `erased-${randomBytes(12).toString('hex')}`;
  return domain === null ? id : `${id}@${domain}`;
}
