// The shipped mail-security lists with a range per entry (data/ranges/mail-security.json, hand-kept, and
// mimecast.json, kept by `ranges update`) are well-formed: every range sourced and dated, canonical
// CIDRs, no special-purpose space, no overlap within an owner, one file per owner, and every Mimecast
// region whose netblocks were read is present. The same check run on broken copies shows it fails on
// each kind of malformed entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inPackage } from '../package-root.js';
import { parseIp } from './ip-parse.js';
import { parseRangeFile } from './ip-ranges.js';
import { isSpecialPurpose } from './special-purpose.js';

type Curated = { kind: string; about?: string; ranges: Record<string, unknown>[] };
const shipped = (name: 'mail-security' | 'mimecast'): Curated => JSON.parse(readFileSync(inPackage(import.meta.url, 'data', 'ranges', `${name}.json`), 'utf8'));

/** The span of a canonical CIDR (no host bits set), or why it is not one. */
function span(cidr: string): { v: 4 | 6; start: bigint; end: bigint } | string {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const ip = m ? parseIp(m[1] as string) : null;
  if (!m || ip === null || (m[1] as string).includes('::ffff:')) return `${cidr}: not a CIDR`;
  const bits = ip.v === 4 ? 32 : 128;
  const len = Number(m[2]);
  if (len > bits) return `${cidr}: prefix longer than ${bits}`;
  const n = BigInt(ip.n);
  const host = (1n << BigInt(bits - len)) - 1n;
  if ((n & host) !== 0n) return `${cidr}: host bits set`;
  return { v: ip.v, start: n, end: n | host };
}

/** Every problem of a hand-kept range file, as text; [] when it is well-formed. */
function problems(json: { kind: string; ranges: Record<string, unknown>[] }, today: string): string[] {
  const out: string[] = [];
  try {
    parseRangeFile(json, 'mail-security.json');
  } catch (err) {
    out.push((err as Error).message);
  }
  const seen = new Map<string, { v: 4 | 6; start: bigint; end: bigint; cidr: string }[]>();
  for (const r of json.ranges) {
    const cidr = String(r.cidr);
    // A vendor page, or the vendor's DNS record `ranges update` read it in.
    const cites = /https:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/|\s|$)|^DNS TXT [a-z0-9_.-]+\.[a-z]{2,}(\s|$)/i;
    if (typeof r.source !== 'string' || !cites.test(r.source)) out.push(`${cidr}: source names no vendor URL or DNS record`);
    if (typeof r.date === 'string' && r.date > today) out.push(`${cidr}: date ${r.date} is in the future`);
    const s = span(cidr);
    if (typeof s === 'string') {
      out.push(s);
      continue;
    }
    if (isSpecialPurpose(cidr)) out.push(`${cidr}: special-purpose space`);
    const owner = String(r.owner);
    const mine = seen.get(owner) ?? [];
    const clash = mine.find((o) => o.v === s.v && o.start <= s.end && s.start <= o.end);
    if (clash) out.push(`${cidr}: overlaps ${clash.cidr} of ${owner}`);
    mine.push({ ...s, cidr });
    seen.set(owner, mine);
  }
  return out;
}

const TODAY = new Date().toISOString().slice(0, 10);
const good = { cidr: '41.74.192.0/22', owner: 'Mimecast', region: 'South Africa', source: 'https://vendor.example.com/ranges', date: '2026-01-02' };

describe('mail-security.json and mimecast.json', () => {
  for (const name of ['mail-security', 'mimecast'] as const) {
    it(`${name}.json is well-formed: sourced, dated, canonical, no special-purpose space, no overlap within an owner`, () => {
      assert.deepEqual(problems(shipped(name), TODAY), []);
    });
  }

  it('Mimecast has one home: every range of mimecast.json is Mimecast with a region, none in mail-security.json', () => {
    assert.deepEqual(
      shipped('mimecast').ranges.filter((r) => r.owner !== 'Mimecast' || typeof r.region !== 'string'),
      [],
    );
    assert.deepEqual(
      shipped('mail-security').ranges.filter((r) => r.owner === 'Mimecast'),
      [],
    );
  });

  // Mimecast's regions (its "Identifying Mimecast Regions" article) and a range read for each. The
  // United States B grid is listed there too; its ranges come from usb._netblocks.mimecast.com with
  // `ranges update`, and the shipped copy has none of them yet: a known gap.
  const regions: [string, string][] = [
    ['United States (A grid)', '205.139.110.20'],
    ['Europe (excluding Germany)', '185.58.85.10'],
    ['Germany', '194.104.109.7'],
    ['Canada', '170.10.145.3'],
    ['South Africa', '41.74.193.9'],
    ['Australia', '103.96.21.4'],
  ];
  for (const [region, ip] of regions) {
    it(`Mimecast ${region}: present, and ${ip} falls in one of its ranges`, () => {
      const mine = shipped('mimecast').ranges.filter((r) => r.region === region);
      assert.ok(mine.length > 0, `no Mimecast range for ${region}`);
      const x = BigInt(parseIp(ip)?.n ?? -1);
      assert.ok(
        mine.some((r) => {
          const s = span(String(r.cidr));
          return typeof s !== 'string' && s.start <= x && x <= s.end;
        }),
        `${ip} is in no ${region} range`,
      );
    });
  }

  const broken: [string, Record<string, unknown>[], RegExp][] = [
    ['a missing date', [{ ...good, date: undefined }], /invalid: ranges\.0\.date/],
    ['a missing owner', [{ ...good, owner: undefined }], /invalid: ranges\.0\.owner/],
    ['an empty region', [{ ...good, region: '' }], /invalid: ranges\.0\.region/],
    ['a source with no URL', [{ ...good, source: 'vendor page' }], /source names no vendor URL or DNS record/],
    ['a DNS source naming no record', [{ ...good, source: 'DNS TXT' }], /source names no vendor URL or DNS record/],
    ['a date in the future', [{ ...good, date: '2999-01-01' }], /in the future/],
    ['an unparsable CIDR', [{ ...good, cidr: '41.74.300.0/22' }], /not a CIDR/],
    ['an IPv4 prefix over 32', [{ ...good, cidr: '41.74.192.0/33' }], /prefix longer than 32/],
    ['host bits set', [{ ...good, cidr: '41.74.193.0/22' }], /host bits set/],
    ['documentation space', [{ ...good, cidr: '198.51.100.0/24' }], /special-purpose/],
    ['IPv6 documentation space', [{ ...good, cidr: '2001:db8::/48' }], /special-purpose/],
    ['a duplicate', [good, { ...good }], /overlaps 41\.74\.192\.0\/22 of Mimecast/],
    ['an overlap', [good, { ...good, cidr: '41.74.194.0/24' }], /overlaps/],
  ];
  for (const [what, ranges, want] of broken) {
    it(`the check fails on ${what}`, () => {
      assert.match(problems({ kind: 'mail-security', ranges }, TODAY).join('\n'), want);
    });
  }
  it('the same range under two owners is no overlap; IPv6 ranges are checked alike; a DNS record is a source', () => {
    const other = { ...good, owner: 'Other' };
    const v6 = { ...good, cidr: '2a00:1450:4864::/56' };
    const dns = { ...good, cidr: '41.74.200.0/23', source: 'DNS TXT za._netblocks.mimecast.com' };
    assert.deepEqual(problems({ kind: 'mail-security', ranges: [good, other, v6, dns] }, TODAY), []);
  });
});
