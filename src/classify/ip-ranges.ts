// Published address ranges (Apple's proxies, mail-security gateways, data centres) and a fast lookup:
// CIDRs become sorted integer intervals (IPv4 as numbers, IPv6 as BigInt) searched by bisection.
import { inPackage } from '../package-root.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ClickrateError } from '../errors.js';
import { parseIp } from './ip-parse.js';

const RANGE_KINDS = ['apple-proxy', 'mail-security', 'datacenter'] as const;
export type RangeKind = (typeof RANGE_KINDS)[number];

/** One range as the data files keep it: where it comes from and when it was read there. */
interface RangeEntry {
  cidr: string;
  owner: string;
  /** The vendor's own name for the region or grid the range serves (hand-kept lists); not used in lookups. */
  region?: string;
  source: string;
  date: string;
  note?: string;
}
export interface RangeFile {
  kind: RangeKind;
  about?: string;
  ranges: RangeEntry[];
}
interface RangeMatch {
  kind: RangeKind;
  owner: string;
  cidr: string;
}
/** The most specific matching range of each kind (an address can be both data-centre and mail-security). */
export type IpMatches = Partial<Record<RangeKind, RangeMatch>>;

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');

/**
 * One owner's own publication as `clickrate ranges update` writes it: every CIDR has the file's owner,
 * source and date (the day it was fetched from the owner).
 */
const ownerListSchema = z.strictObject({
  kind: z.enum(RANGE_KINDS),
  about: z.string().optional(),
  owner: z.string().min(1),
  source: z.string().min(1),
  date: DATE,
  cidrs: z.array(z.string().min(3)),
});
export type OwnerList = z.infer<typeof ownerListSchema>;

/** A hand-kept list (vendors that publish only web pages): each range cites its own page and date. */
const curatedSchema = z.strictObject({
  kind: z.enum(RANGE_KINDS),
  about: z.string().optional(),
  ranges: z.array(
    z.strictObject({
      cidr: z.string().min(3),
      owner: z.string().min(1),
      region: z.string().min(1).optional(),
      source: z.string().min(1),
      date: DATE,
      note: z.string().optional(),
    }),
  ),
});
const rangeFileSchema = z.union([curatedSchema, ownerListSchema]);

/** Sorted intervals of one kind and family; `maxEnd[i]` is the largest end among 0..i (nested ranges). */
interface Intervals<T extends number | bigint> {
  start: T[];
  end: T[];
  maxEnd: T[];
  match: RangeMatch[];
}

function build<T extends number | bigint>(items: { start: T; end: T; match: RangeMatch }[]): Intervals<T> {
  items.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : 1));
  const out: Intervals<T> = { start: [], end: [], maxEnd: [], match: [] };
  for (const it of items) {
    const prev = out.maxEnd[out.maxEnd.length - 1];
    out.start.push(it.start);
    out.end.push(it.end);
    out.maxEnd.push(prev !== undefined && prev > it.end ? prev : it.end);
    out.match.push(it.match);
  }
  return out;
}

function find<T extends number | bigint>(iv: Intervals<T>, x: T): RangeMatch | undefined {
  // Last interval starting at or before x.
  let lo = 0;
  let hi = iv.start.length - 1;
  let i = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((iv.start[mid] as T) <= x) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // TRICKY: with nested ranges (a /24 inside a /16) the interval just before x may end before x while an
  // earlier, wider one still covers it; walk back while some earlier interval reaches x. The sort puts the
  // wider of two same-start ranges first, so the first hit walking back is the most specific.
  for (let j = i; j >= 0 && (iv.maxEnd[j] as T) >= x; j--) {
    if ((iv.end[j] as T) >= x) return iv.match[j];
  }
  return undefined;
}

function parseCidr(cidr: string): { v4: true; start: number; end: number } | { v4: false; start: bigint; end: bigint } {
  const slash = cidr.indexOf('/');
  const addr = slash < 0 ? cidr : cidr.slice(0, slash);
  const ip = parseIp(addr);
  const bits = ip?.v === 4 ? 32 : 128;
  const len = slash < 0 ? bits : Number(cidr.slice(slash + 1));
  if (ip === null || addr.includes('::ffff:') || !Number.isInteger(len) || len < 0 || len > bits) {
    throw new ClickrateError('CR_ERR_CONFIG', `bad CIDR range '${cidr}'`, { cidr });
  }
  if (ip.v === 4) {
    const size = 2 ** (32 - len);
    const start = ip.n - (ip.n % size); // mask host bits; arithmetic, not <<, which is signed 32-bit
    return { v4: true, start, end: start + size - 1 };
  }
  const host = (1n << BigInt(128 - len)) - 1n;
  const start = ip.n & ~host;
  return { v4: false, start, end: start | host };
}

/** All ranges of all kinds, ready for lookups. Immutable once built. */
export class IpRangeTable {
  private readonly v4 = new Map<RangeKind, Intervals<number>>();
  private readonly v6 = new Map<RangeKind, Intervals<bigint>>();
  readonly size: number;

  constructor(files: readonly RangeFile[]) {
    const v4: Record<string, { start: number; end: number; match: RangeMatch }[]> = {};
    const v6: Record<string, { start: bigint; end: bigint; match: RangeMatch }[]> = {};
    let n = 0;
    for (const f of files) {
      for (const r of f.ranges) {
        const c = parseCidr(r.cidr);
        const match: RangeMatch = { kind: f.kind, owner: r.owner, cidr: r.cidr };
        if (c.v4) {
          v4[f.kind] ??= [];
          v4[f.kind]!.push({ start: c.start, end: c.end, match });
        } else {
          v6[f.kind] ??= [];
          v6[f.kind]!.push({ start: c.start, end: c.end, match });
        }
        n++;
      }
    }
    for (const k of RANGE_KINDS) {
      if (v4[k]) this.v4.set(k, build(v4[k]));
      if (v6[k]) this.v6.set(k, build(v6[k]));
    }
    this.size = n;
  }

  /** Matches of every kind for an address (IPv4, IPv6, IPv4-mapped IPv6); {} for unparsable input. */
  lookup(ip: string | null | undefined): IpMatches {
    const out: IpMatches = {};
    if (!ip) return out;
    const p = parseIp(ip);
    if (p === null) return out;
    for (const k of RANGE_KINDS) {
      const m = p.v === 4 ? this.v4.get(k) && find(this.v4.get(k) as Intervals<number>, p.n) : this.v6.get(k) && find(this.v6.get(k) as Intervals<bigint>, p.n);
      if (m) out[k] = m;
    }
    return out;
  }
}

/** Validates one data file's JSON (either shape); `name` is used in the error. */
export function parseRangeFile(json: unknown, name: string): RangeFile {
  const res = rangeFileSchema.safeParse(json);
  if (!res.success) {
    // TRICKY: a union reports every branch's issues; name those of the shape the file tried to have.
    const branch = typeof json === 'object' && json !== null && 'cidrs' in json ? ownerListSchema : curatedSchema;
    const issues = branch.safeParse(json).error?.issues ?? res.error.issues;
    const why = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ClickrateError('CR_ERR_CONFIG', `range file ${name} is invalid: ${why}`, { file: name });
  }
  const f = res.data;
  if ('ranges' in f) return f;
  return { kind: f.kind, about: f.about, ranges: f.cidrs.map((cidr) => ({ cidr, owner: f.owner, source: f.source, date: f.date })) };
}

/** The address-range folder: $CLICKRATE_RANGES_DIR, else data/ranges/ of this installation. */
export function rangesDir(): string {
  return process.env.CLICKRATE_RANGES_DIR || inPackage(import.meta.url, 'data', 'ranges');
}

/** Reads every *.json of a directory (sorted, so the table is the same on every machine). */
export function loadRangeTable(dir: string = rangesDir()): IpRangeTable {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (err) {
    throw new ClickrateError('CR_ERR_CONFIG', `cannot read address ranges from ${dir}`, { dir }, { cause: err });
  }
  const files = names.map((name) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (err) {
      throw new ClickrateError('CR_ERR_CONFIG', `range file ${name} is not readable JSON`, { file: name }, { cause: err });
    }
    return parseRangeFile(json, name);
  });
  return new IpRangeTable(files);
}

let shared: IpRangeTable | null = null;
/** The repository's ranges, loaded once per process. */
export function defaultRangeTable(): IpRangeTable {
  shared ??= loadRangeTable();
  return shared;
}
