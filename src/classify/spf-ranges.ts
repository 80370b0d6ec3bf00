// Reads an owner's address ranges from its SPF TXT records (RFC 7208): the ip4:/ip6: mechanisms of a
// record and of every record it reaches through include: and redirect=, each range with the record it
// was read in. Vendors such as Mimecast publish their netblocks this way and nowhere machine-readable else.
import { ClickrateError } from '../errors.js';
import { parseIp } from './ip-parse.js';

/** TXT lookup: each record as its strings (node:dns/promises `resolveTxt` shape). */
export type TxtLookup = (name: string) => Promise<string[][]>;

/** One range and the SPF record that lists it. */
export interface SpfRange {
  cidr: string;
  record: string;
}

interface SpfRecord {
  cidrs: string[];
  includes: string[];
  redirect?: string;
}

// RFC 7208 §4.6.4: at most 10 terms that cause DNS lookups (include, redirect, a, mx, ptr, exists) per
// check. Only include and redirect are followed here; they share the same budget.
const MAX_LOOKUPS = 10;
// Published netblock records nest a level or two (Mimecast's: global → region); five is generous and
// stops a chain long before the lookup budget would.
const MAX_DEPTH = 5;

const bad = (record: string, why: string, details: Record<string, unknown> = {}) =>
  new ClickrateError('CR_ERR_BAD_FILE', `SPF record ${record}: ${why}`, { record, ...details });

const DOMAIN = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9_-]{2,63}\.?$/i;

/** `addr[/len]` of an ip4:/ip6: term in canonical form (host bits cleared), or why it is not one. */
function cidrOf(value: string, v: 4 | 6): string | null {
  const slash = value.indexOf('/');
  const addr = slash < 0 ? value : value.slice(0, slash);
  const bits = v === 4 ? 32 : 128;
  const lenText = slash < 0 ? String(bits) : value.slice(slash + 1);
  const ip = parseIp(addr);
  if (ip === null || ip.v !== v || !/^\d{1,3}$/.test(lenText) || Number(lenText) > bits || addr.includes('%')) return null;
  const len = Number(lenText);
  if (ip.v === 4) {
    const size = 2 ** (32 - len);
    const start = ip.n - (ip.n % size);
    return `${[24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.')}/${len}`;
  }
  const host = (1n << BigInt(128 - len)) - 1n;
  if ((ip.n & host) === 0n) return `${addr.toLowerCase()}/${len}`;
  // TRICKY: RFC 7208 §5.6 compares only the first cidr-length bits, so host bits are legal in SPF; the
  // range files keep canonical CIDRs. Written uncompressed: valid text, parsed alike everywhere.
  const start = ip.n & ~host;
  const groups = Array.from({ length: 8 }, (_, i) => ((start >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return `${groups.join(':')}/${len}`;
}

/**
 * The SPF record among one name's TXT records (strings of one record concatenated, RFC 7208 §3.3), read
 * into the ranges it lists and the names it points to. Only pass (`+` or no qualifier) ranges and
 * includes count: `-ip4:` names addresses that are not the owner's. Mechanisms that need a sender
 * (a, mx, ptr, exists), `all`, `exp=` and unknown terms are ignored.
 */
export function parseSpfRecord(txt: readonly (readonly string[])[], record: string): SpfRecord {
  const spf = txt.map((strings) => strings.join('')).filter((t) => /^v=spf1(\s|$)/i.test(t.trim()));
  // RFC 7208 §4.5: none is "no SPF record", more than one is a permanent error.
  if (spf.length === 0) throw bad(record, 'no "v=spf1" TXT record');
  if (spf.length > 1) throw bad(record, `${spf.length} "v=spf1" TXT records (RFC 7208 §4.5 allows one)`);
  const out: SpfRecord = { cidrs: [], includes: [] };
  let hasAll = false;
  let redirect: string | undefined;
  for (const term of (spf[0] as string).trim().split(/\s+/).slice(1)) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term);
    if (modifier) {
      if (modifier[1]?.toLowerCase() === 'redirect') redirect = modifier[2];
      continue;
    }
    const m = /^([+?~-]?)([a-z][a-z0-9_.-]*)(?::(.*))?$/i.exec(term);
    if (!m) continue;
    const [, qualifier = '', name = '', value = ''] = m;
    const mech = name.toLowerCase();
    if (mech === 'all') hasAll = true;
    if (qualifier !== '' && qualifier !== '+') continue;
    if (mech === 'ip4' || mech === 'ip6') {
      const cidr = cidrOf(value, mech === 'ip4' ? 4 : 6);
      if (cidr === null) throw bad(record, `"${term}" is not an ${mech} address or range`, { term });
      out.cidrs.push(cidr);
    } else if (mech === 'include') {
      // A macro (%{i}…) names a record per sender; it lists no fixed ranges.
      if (value.includes('%')) continue;
      if (!DOMAIN.test(value)) throw bad(record, `"${term}" names no domain`, { term });
      out.includes.push(value.toLowerCase().replace(/\.$/, ''));
    }
  }
  // RFC 7208 §6.1: redirect= applies only when the record has no "all" mechanism.
  if (redirect !== undefined && !hasAll && !redirect.includes('%')) {
    if (!DOMAIN.test(redirect)) throw bad(record, `"redirect=${redirect}" names no domain`);
    out.redirect = redirect.toLowerCase().replace(/\.$/, '');
  }
  return out;
}

async function lookup(name: string, resolve: TxtLookup): Promise<string[][]> {
  try {
    return await resolve(name);
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    throw new ClickrateError('CR_ERR_BAD_FILE', `SPF record ${name}: cannot resolve its TXT records (${code})`, { record: name }, { cause: err });
  }
}

/**
 * Every range reachable from `root`, each once, with the record that lists it (the first met, depth
 * first). Refuses, naming the records, an include loop, a chain over MAX_DEPTH or over MAX_LOOKUPS.
 */
export async function resolveSpfRanges(root: string, resolve: TxtLookup): Promise<SpfRange[]> {
  const out = new Map<string, string>();
  const done = new Set<string>();
  let lookups = 0;
  const walk = async (name: string, path: readonly string[]): Promise<void> => {
    if (path.includes(name)) throw bad(root, `include loop ${[...path, name].join(' → ')}`, { chain: [...path, name] });
    if (path.length > MAX_DEPTH) throw bad(root, `includes nest deeper than ${MAX_DEPTH} at ${[...path, name].join(' → ')}`, { chain: [...path, name] });
    // A record reached again by another branch (not a loop) adds nothing new.
    if (done.has(name)) return;
    done.add(name);
    const rec = parseSpfRecord(await lookup(name, resolve), name);
    for (const cidr of rec.cidrs) if (!out.has(cidr)) out.set(cidr, name);
    for (const next of [...rec.includes, ...(rec.redirect ? [rec.redirect] : [])]) {
      lookups++;
      if (lookups > MAX_LOOKUPS) {
        throw bad(root, `more than ${MAX_LOOKUPS} include/redirect lookups (RFC 7208 §4.6.4), at ${name} → ${next}`, { chain: [...path, name, next] });
      }
      await walk(next, [...path, name]);
    }
  };
  await walk(root.toLowerCase(), []);
  return [...out].map(([cidr, record]) => ({ cidr, record }));
}
