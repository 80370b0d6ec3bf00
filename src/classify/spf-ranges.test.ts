// SPF netblocks read through the real node:dns resolver from a DNS server on 127.0.0.1: ip4/ip6 terms
// with and without a prefix, qualifiers, ignored mechanisms, multi-string TXT, include chains,
// redirect=, and loops, deep chains, too many lookups and bad records refused naming the record.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type DnsServer, startDnsServer } from '../../test/support/dns-server.js';
import { parseSpfRecord, resolveSpfRanges, type TxtLookup } from './spf-ranges.js';

let dns: DnsServer;
let lookup: TxtLookup;
before(async () => {
  dns = await startDnsServer();
  const r = new Resolver({ timeout: 2000, tries: 2 });
  r.setServers([dns.address]);
  lookup = (name) => r.resolveTxt(name);
});
after(() => dns.close());
beforeEach(() => {
  dns.zone.clear();
  dns.asked.length = 0;
});

/** Serves each name's records; a record given as one string is cut into strings of 255 bytes, the most one holds. */
const serve = (zone: Record<string, (string | string[])[]>) => {
  for (const [name, recs] of Object.entries(zone))
    dns.zone.set(
      name,
      recs.map((r) => (typeof r === 'string' ? (r.match(/[\s\S]{1,255}/g) ?? []) : r)),
    );
};

describe('parseSpfRecord', () => {
  const cases: [string, string[][], string[], string[]][] = [
    ['ip4 with and without a prefix', [['v=spf1 ip4:41.74.192.0/22 ip4:194.104.110.21 ~all']], ['41.74.192.0/22', '194.104.110.21/32'], []],
    ['ip6 with and without a prefix', [['v=spf1 ip6:2a01:111:f400::/48 ip6:2001:4860:4864::1 -all']], ['2a01:111:f400::/48', '2001:4860:4864::1/128'], []],
    [
      'host bits cleared (RFC 7208 §5.6 compares the prefix only)',
      [['v=spf1 ip4:41.74.193.9/22 ip6:2a01:111:f400::1/48']],
      ['41.74.192.0/22', '2a01:111:f400:0:0:0:0:0/48'],
      [],
    ],
    [
      'one record in several strings, joined with nothing between',
      [['v=spf1 ip4:207.82.80.0/24 ip4:185.58', '.85.0/24 include:eu._netblocks.mimecast.com ~all']],
      ['207.82.80.0/24', '185.58.85.0/24'],
      ['eu._netblocks.mimecast.com'],
    ],
    [
      'other TXT records beside the SPF one',
      [['google-site-verification=abc'], ['v=spf1 ip4:170.10.145.0/24 ~all'], ['v=spf10 ip4:1.2.3.0/24']],
      ['170.10.145.0/24'],
      [],
    ],
    [
      'a/mx/ptr/exists/all/exp= and unknown terms ignored',
      [['v=spf1 a mx ptr exists:%{i}.x.example.com a:mail.example.com exp=why.example.com foo=bar x-junk +all']],
      [],
      [],
    ],
    [
      'only pass qualifiers count',
      [['v=spf1 +ip4:103.96.21.0/24 -ip4:103.96.23.0/24 ~ip4:103.13.69.0/24 ?include:x.example.com include:y.example.com ~all']],
      ['103.96.21.0/24'],
      ['y.example.com'],
    ],
    [
      'include names case-folded, macros skipped',
      [['V=SPF1 INCLUDE:EU._NETBLOCKS.MIMECAST.COM. include:%{d}.example.com ~all']],
      [],
      ['eu._netblocks.mimecast.com'],
    ],
  ];
  for (const [what, txt, cidrs, includes] of cases) {
    it(what, () => {
      const rec = parseSpfRecord(txt, 'r.example.com');
      assert.deepEqual([rec.cidrs, rec.includes], [cidrs, includes]);
    });
  }

  const redirects: [string, string, string | undefined][] = [
    ['redirect= followed when there is no "all"', 'v=spf1 ip4:41.74.192.0/22 redirect=_spf.example.com', '_spf.example.com'],
    ['redirect= ignored beside "all" (RFC 7208 §6.1)', 'v=spf1 redirect=_spf.example.com ~all', undefined],
  ];
  for (const [what, txt, want] of redirects) it(what, () => assert.equal(parseSpfRecord([[txt]], 'r.example.com').redirect, want));

  const refused: [string, string[][], RegExp][] = [
    ['no SPF record', [['some other text']], /^SPF record r\.example\.com: no "v=spf1" TXT record$/],
    ['two SPF records', [['v=spf1 ip4:1.1.1.0/24'], ['v=spf1 ip4:8.8.8.0/24']], /r\.example\.com: 2 "v=spf1" TXT records/],
    ['an ip4 term with an IPv6 address', [['v=spf1 ip4:2a01::/32']], /r\.example\.com: "ip4:2a01::\/32" is not an ip4 address/],
    ['an ip4 prefix over 32', [['v=spf1 ip4:41.74.192.0/33']], /is not an ip4 address or range/],
    ['an ip6 term with garbage', [['v=spf1 ip6:zz::/48']], /"ip6:zz::\/48" is not an ip6 address/],
    ['an include with no domain', [['v=spf1 include:']], /"include:" names no domain/],
  ];
  for (const [what, txt, want] of refused) {
    it(`refuses ${what}, naming the record`, () => {
      assert.throws(
        () => parseSpfRecord(txt, 'r.example.com'),
        (err: Error & { code?: string }) => err.code === 'CR_ERR_BAD_FILE' && want.test(err.message),
      );
    });
  }
});

describe('resolveSpfRanges', () => {
  it('follows includes and redirect= through DNS, each range with the record that lists it, each once', async () => {
    serve({
      '_netblocks.mimecast.com': [['v=spf1 include:eu._netblocks.mimecast.com ', 'include:za._netblocks.mimecast.com ~all']],
      'eu._netblocks.mimecast.com': ['v=spf1 ip4:185.58.85.0/24 ip4:185.58.86.0/24 include:za._netblocks.mimecast.com ~all'],
      'za._netblocks.mimecast.com': ['v=spf1 ip4:41.74.192.0/22 ip4:185.58.86.0/24 redirect=za2.example.com'],
      'za2.example.com': ['v=spf1 ip6:2a01:111:f400::/48 -all'],
    });
    assert.deepEqual(await resolveSpfRanges('_netblocks.mimecast.com', lookup), [
      { cidr: '185.58.85.0/24', record: 'eu._netblocks.mimecast.com' },
      { cidr: '185.58.86.0/24', record: 'eu._netblocks.mimecast.com' },
      { cidr: '41.74.192.0/22', record: 'za._netblocks.mimecast.com' },
      { cidr: '2a01:111:f400::/48', record: 'za2.example.com' },
    ]);
    // za is reached from the root and from eu (no loop) but asked once.
    assert.equal(dns.asked.filter((n) => n === 'za._netblocks.mimecast.com').length, 1);
  });

  const chain = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}.example.com`, [`v=spf1 ip4:10.${i}.0.0/16 include:l${i + 1}.example.com`]]));
  const fan = (n: number) => ({
    'root.example.com': [`v=spf1 ${Array.from({ length: n }, (_, i) => `include:f${i}.example.com`).join(' ')} ~all`],
    ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}.example.com`, [`v=spf1 ip4:41.74.${i}.0/24`]])),
  });
  const refused: [string, string, Record<string, string[]>, RegExp][] = [
    [
      'a loop',
      'a.example.com',
      { 'a.example.com': ['v=spf1 include:b.example.com'], 'b.example.com': ['v=spf1 include:A.example.com'] },
      /SPF record a\.example\.com: include loop a\.example\.com → b\.example\.com → a\.example\.com/,
    ],
    [
      'a record including itself',
      'a.example.com',
      { 'a.example.com': ['v=spf1 ip4:41.74.192.0/22 redirect=a.example.com'] },
      /include loop a\.example\.com → a\.example\.com/,
    ],
    [
      'a chain deeper than five',
      'l0.example.com',
      { ...chain(6), 'l6.example.com': ['v=spf1 ip4:41.74.192.0/22'] },
      /SPF record l0\.example\.com: includes nest deeper than 5 at l0\.example\.com → .* → l6\.example\.com/,
    ],
    [
      'more than ten lookups',
      'root.example.com',
      fan(11),
      /SPF record root\.example\.com: more than 10 include\/redirect lookups \(RFC 7208 §4\.6\.4\), at root\.example\.com → f10\.example\.com/,
    ],
    [
      'an include that does not resolve',
      'root.example.com',
      { 'root.example.com': ['v=spf1 include:gone.example.com'] },
      /SPF record gone\.example\.com: cannot resolve its TXT records \(ENOTFOUND\)/,
    ],
    [
      'a bad record down the chain',
      'root.example.com',
      { 'root.example.com': ['v=spf1 include:bad.example.com'], 'bad.example.com': ['v=spf1 ip4:300.1.1.0/24'] },
      /SPF record bad\.example\.com: "ip4:300\.1\.1\.0\/24"/,
    ],
  ];
  for (const [what, root, zone, want] of refused) {
    it(`refuses ${what} with CR_ERR_BAD_FILE naming the record`, async () => {
      serve(zone);
      await assert.rejects(resolveSpfRanges(root, lookup), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'CR_ERR_BAD_FILE');
        assert.match(err.message, want);
        return true;
      });
    });
  }

  it('five levels and ten lookups are within the limits', async () => {
    serve({ ...chain(5), 'l5.example.com': ['v=spf1 ip4:41.74.192.0/22'] });
    assert.equal((await resolveSpfRanges('l0.example.com', lookup)).length, 6);
    serve(fan(10));
    assert.equal((await resolveSpfRanges('root.example.com', lookup)).length, 10);
  });
});
