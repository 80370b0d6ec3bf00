// `clickrate ranges update`: fetches each owner's own publication (range-sources.ts: files over HTTPS,
// SPF records over DNS), refuses a list that came back empty or shrank by more than half, replaces the
// data file atomically and says what changed. One owner failing leaves its file as it was and does not
// stop the others.
import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClickrateError } from '../errors.js';
import { IpRangeTable, parseRangeFile, type OwnerList, type RangeFile } from './ip-ranges.js';
import { parsePublication, RANGE_SOURCES, type RangeSource } from './range-sources.js';
import { isSpecialPurpose } from './special-purpose.js';
import { resolveSpfRanges, type TxtLookup } from './spf-ranges.js';

export interface UpdateOptions {
  /** The folder of the range files (data/ranges/ of the installation by default). */
  dir: string;
  /** Fetch `${urlBase}/<host><path>` instead of each owner's https URL (tests serve copies on loopback). */
  urlBase?: string;
  /** Resolve SPF TXT records at this `host:port` instead of the system's DNS servers (tests serve copies on loopback). */
  dnsServer?: string;
  /** Only these files (e.g. ['amazon']); all by default. */
  only?: readonly string[];
  /** Today, for the files' date. */
  now?: Date;
  timeoutMs?: number;
  /** The largest publication accepted, bytes (Azure's service tags are ~4 MB). */
  maxBytes?: number;
}

export interface UpdateOutcome {
  file: string;
  owner: string;
  status: 'updated' | 'unchanged' | 'refused' | 'failed';
  before: number;
  after: number;
  added: number;
  removed: number;
  /** Why it was refused or failed. */
  reason?: string;
}

function mapped(url: string, base: string | undefined): string {
  if (!base) return url;
  const u = new URL(url);
  return `${base.replace(/\/+$/, '')}/${u.host}${u.pathname}${u.search}`;
}

async function get(url: string, opts: UpdateOptions): Promise<string> {
  const target = mapped(url, opts.urlBase);
  let res: Response;
  try {
    res = await fetch(target, { signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000), redirect: 'follow' });
  } catch (err) {
    throw new ClickrateError('CR_ERR_BAD_FILE', `cannot fetch ${target}: ${(err as Error).message}`, { url: target }, { cause: err });
  }
  if (!res.ok) throw new ClickrateError('CR_ERR_BAD_FILE', `${target} answered HTTP ${res.status}`, { url: target, status: res.status });
  const body = await res.arrayBuffer();
  const max = opts.maxBytes ?? 32 * 1024 * 1024;
  if (body.byteLength > max) throw new ClickrateError('CR_ERR_TOO_LARGE', `${target} is over ${max} bytes`, { url: target });
  return new TextDecoder().decode(body);
}

/** A fetched range; from an SPF publication also the record it was read in and that record's region. */
interface Fetched {
  cidr: string;
  record?: string;
  region?: string;
}

/** TXT lookups through node:dns, at `dnsServer` when given. */
function txtLookup(opts: UpdateOptions): TxtLookup {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 10_000, tries: 2 });
  if (opts.dnsServer) resolver.setServers([opts.dnsServer]);
  return (name) => resolver.resolveTxt(name);
}

/** Every range of one owner's publications, deduplicated and sorted; the sources it came from. */
async function fetchOwner(src: RangeSource, opts: UpdateOptions): Promise<{ ranges: Fetched[]; source: string }> {
  const all = new Map<string, Fetched>();
  const sources: string[] = [];
  for (const p of src.publications) {
    if (p.format === 'spf-txt') {
      sources.push(`DNS TXT ${p.record}`);
      for (const r of await resolveSpfRanges(p.record, txtLookup(opts))) {
        if (!all.has(r.cidr)) all.set(r.cidr, { cidr: r.cidr, record: r.record, region: src.regions?.[r.record] });
      }
      continue;
    }
    let url = p.url;
    if (p.discover) {
      const link = p.discover.exec(await get(p.url, opts))?.[0];
      if (!link) throw new ClickrateError('CR_ERR_BAD_FILE', `${p.url} no longer links to the list (page changed?)`, { url: p.url });
      url = link;
    }
    sources.push(url);
    for (const c of parsePublication(await get(url, opts), p.format, url)) if (!all.has(c.trim())) all.set(c.trim(), { cidr: c.trim() });
  }
  const ranges = [...all.values()].filter((r) => !isSpecialPurpose(r.cidr)).sort((a, b) => (a.cidr < b.cidr ? -1 : 1));
  try {
    new IpRangeTable([{ kind: src.kind, ranges: ranges.map(({ cidr }) => ({ cidr, owner: src.owner, source: '', date: '2000-01-01' })) }]);
  } catch (err) {
    throw new ClickrateError('CR_ERR_BAD_FILE', `${sources.join(', ')}: ${(err as Error).message}`, { file: src.file }, { cause: err });
  }
  return { ranges, source: sources.join(' + ') };
}

/** The file's contents: one owner list, or with regions a range each naming its record and region. */
function fileOf(src: RangeSource, fresh: { ranges: Fetched[]; source: string }, date: string): OwnerList | RangeFile {
  const about = src.about ?? `${src.owner}'s own published list, fetched by \`clickrate ranges update\`.`;
  if (!src.regions) return { kind: src.kind, about, owner: src.owner, source: fresh.source, date, cidrs: fresh.ranges.map((r) => r.cidr) };
  return {
    kind: src.kind,
    about,
    ranges: fresh.ranges.map((r) => ({
      cidr: r.cidr,
      owner: src.owner,
      ...(r.region ? { region: r.region } : {}),
      source: r.record ? `DNS TXT ${r.record}` : fresh.source,
      date,
    })),
  };
}

function current(path: string): Fetched[] {
  if (!existsSync(path)) return [];
  return parseRangeFile(JSON.parse(readFileSync(path, 'utf8')), path).ranges;
}

const key = (r: Fetched) => `${r.cidr} ${r.region ?? ''}`;

/** Writes next to the target and renames over it: readers see the old file or the new one, never half. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

async function updateOne(src: RangeSource, opts: UpdateOptions): Promise<UpdateOutcome> {
  const path = join(opts.dir, `${src.file}.json`);
  const old = current(path);
  const base: UpdateOutcome = { file: src.file, owner: src.owner, status: 'failed', before: old.length, after: old.length, added: 0, removed: 0 };
  let fresh: { ranges: Fetched[]; source: string };
  try {
    fresh = await fetchOwner(src, opts);
  } catch (err) {
    return { ...base, reason: (err as Error).message };
  }
  const n = fresh.ranges.length;
  // TRICKY: a truncated download, an error page served as 200 or a renamed field all look like a short
  // list; owners grow their lists, they do not halve them overnight.
  if (n === 0) return { ...base, status: 'refused', reason: 'the list came back empty' };
  if (n * 2 < old.length) return { ...base, status: 'refused', reason: `the list shrank from ${old.length} to ${n} ranges (more than half)` };
  const was = new Set(old.map((r) => r.cidr));
  const now = new Set(fresh.ranges.map((r) => r.cidr));
  const added = fresh.ranges.filter((r) => !was.has(r.cidr)).length;
  const removed = old.filter((r) => !now.has(r.cidr)).length;
  // A range that moved to another region is a change too, though no range came or went.
  const oldKeys = new Set(old.map(key));
  const moved = fresh.ranges.some((r) => !oldKeys.has(key(r)));
  if (added === 0 && removed === 0 && !moved) return { ...base, status: 'unchanged', after: n };
  const file = fileOf(src, fresh, (opts.now ?? new Date()).toISOString().slice(0, 10));
  writeAtomically(path, `${JSON.stringify(file, null, 1)}\n`);
  return { ...base, status: 'updated', after: n, added, removed };
}

/** Updates every owner's list (or `only`), one after the other. */
export async function updateRanges(opts: UpdateOptions): Promise<UpdateOutcome[]> {
  const unknown = (opts.only ?? []).filter((f) => !RANGE_SOURCES.some((s) => s.file === f));
  if (unknown.length > 0) {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `unknown range list ${unknown.join(', ')}; known: ${RANGE_SOURCES.map((s) => s.file).join(', ')}`);
  }
  const out: UpdateOutcome[] = [];
  for (const src of RANGE_SOURCES) if (!opts.only || opts.only.includes(src.file)) out.push(await updateOne(src, opts));
  return out;
}
