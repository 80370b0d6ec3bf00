// Tests for address parsing and range lookups: IPv4, IPv6, IPv4-mapped IPv6, nested ranges, the
// repository's data files (every range sourced and dated) and the simulator's scanner addresses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClickrateError } from '../errors.js';
import { parseIp } from './ip-parse.js';
import { IpRangeTable, defaultRangeTable, loadRangeTable, parseRangeFile, type RangeFile } from './ip-ranges.js';

const entry = (cidr: string, owner: string) => ({ cidr, owner, source: 'test', date: '2024-06-01' });
const files: RangeFile[] = [
  { kind: 'mail-security', ranges: [entry('40.92.0.0/15', 'Microsoft'), entry('2a01:111:f400::/48', 'Microsoft'), entry('148.163.128.0/19', 'Proofpoint')] },
  {
    kind: 'datacenter',
    ranges: [entry('40.64.0.0/10', 'Azure'), entry('10.0.0.0/8', 'Wide'), entry('10.1.2.0/24', 'Narrow'), entry('10.200.0.0/16', 'Later')],
  },
  { kind: 'apple-proxy', ranges: [entry('17.0.0.0/8', 'Apple'), entry('2620:149::/32', 'Apple')] },
];
const table = new IpRangeTable(files);

describe('parseIp', () => {
  const cases: [string, string | null][] = [
    ['1.2.3.4', 'v4:16909060'],
    ['255.255.255.255', 'v4:4294967295'],
    ['0.0.0.0', 'v4:0'],
    ['::ffff:1.2.3.4', 'v4:16909060'],
    ['::FFFF:0102:0304', 'v4:16909060'],
    ['[::ffff:1.2.3.4]', 'v4:16909060'],
    ['::1', 'v6:1'],
    ['::', 'v6:0'],
    ['2001:db8::1', `v6:${(0x20010db8n << 96n) | 1n}`],
    ['fe80::1%eth0', `v6:${(0xfe80n << 112n) | 1n}`],
    ['64:ff9b::1.2.3.4', `v6:${(0x64ff9bn << 96n) | 0x01020304n}`],
    ['1:2:3:4:5:6:7:8', `v6:${0x00010002000300040005000600070008n}`],
    ['256.1.1.1', null],
    ['1.2.3', null],
    ['1.2.3.4.5', null],
    ['1..2.3', null],
    ['example.com', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1::2::3', null],
    ['12345::1', null],
    ['', null],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${want}`, () => {
      const p = parseIp(input);
      assert.equal(p === null ? null : `v${p.v}:${p.n}`, want);
    });
  }
});

describe('IpRangeTable.lookup', () => {
  const cases: [string, string, string | undefined][] = [
    ['40.92.0.1', 'mail-security', 'Microsoft'],
    ['40.93.255.255', 'mail-security', 'Microsoft'],
    ['40.94.0.0', 'mail-security', undefined],
    ['40.92.0.1', 'datacenter', 'Azure'], // a vendor range inside its owner's data-centre space: both kinds
    ['148.163.159.200', 'mail-security', 'Proofpoint'],
    ['148.163.160.1', 'mail-security', undefined],
    ['::ffff:148.163.130.7', 'mail-security', 'Proofpoint'], // IPv4-mapped IPv6 matches the IPv4 range
    ['2a01:111:f400:7e00::12', 'mail-security', 'Microsoft'],
    ['2a01:111:f401::1', 'mail-security', undefined],
    ['2620:149:a:1::5', 'apple-proxy', 'Apple'],
    ['17.58.101.9', 'apple-proxy', 'Apple'],
    ['10.1.2.77', 'datacenter', 'Narrow'], // nested: the most specific range wins
    ['10.1.3.1', 'datacenter', 'Wide'], // after a nested range ends, the wider one still covers
    ['10.255.0.1', 'datacenter', 'Wide'],
    ['10.200.9.9', 'datacenter', 'Later'],
    ['11.0.0.0', 'datacenter', undefined],
    ['73.12.44.9', 'mail-security', undefined],
    ['not-an-ip', 'datacenter', undefined],
  ];
  for (const [ip, kind, owner] of cases) {
    it(`${ip} ${kind} → ${owner ?? 'no match'}`, () => {
      assert.equal(table.lookup(ip)[kind as 'datacenter']?.owner, owner);
    });
  }
  it('null and empty addresses match nothing', () => {
    assert.deepEqual(table.lookup(null), {});
    assert.deepEqual(table.lookup(''), {});
  });
});

describe('range files', () => {
  it('refuses a bad CIDR and a missing date with a ClickrateError', () => {
    assert.throws(() => new IpRangeTable([{ kind: 'datacenter', ranges: [entry('1.2.3.4/33', 'x')] }]), ClickrateError);
    assert.throws(() => parseRangeFile({ kind: 'datacenter', ranges: [{ cidr: '1.2.3.0/24', owner: 'x', source: 'y' }] }, 't.json'), ClickrateError);
    assert.throws(() => loadRangeTable('/nonexistent/ranges'), ClickrateError);
  });

  it('loads the repository data files: every range has an owner, a source and a date', () => {
    const t = defaultRangeTable();
    assert.ok(t.size > 100, `only ${t.size} ranges`);
  });

  // The published ranges the simulator's scanners and proxies draw from (src/demo/profiles.ts).
  const published: [string, string, string][] = [
    ['17.1.2.3', 'apple-proxy', 'Apple'],
    ['104.28.40.2', 'apple-proxy', 'Apple Private Relay'],
    ['40.92.10.1', 'mail-security', 'Microsoft'], // EOP
    ['52.101.4.5', 'mail-security', 'Microsoft'], // EOP 52.100.0.0/14
    ['52.97.4.5', 'mail-security', 'Microsoft'], // Exchange Online 52.96.0.0/14
    ['40.94.3.3', 'datacenter', 'Microsoft'], // 40.64.0.0/10
    ['13.70.1.1', 'datacenter', 'Microsoft'], // 13.64.0.0/11
    ['148.163.140.2', 'mail-security', 'Proofpoint'],
    ['205.139.110.20', 'mail-security', 'Mimecast'],
    ['207.211.30.20', 'mail-security', 'Mimecast'],
    ['209.222.83.1', 'mail-security', 'Barracuda'],
    ['68.232.140.1', 'mail-security', 'Cisco'],
  ];
  for (const [ip, kind, owner] of published) {
    it(`data files: ${ip} is ${owner} (${kind})`, () => assert.equal(defaultRangeTable().lookup(ip)[kind as 'datacenter']?.owner, owner));
  }
  // Google's own list holds Gmail's image proxy: the address says Google, the agent says a person opened
  // (classify.test.ts). Yahoo publishes no list.
  for (const ip of ['66.249.84.10', '74.125.210.3']) {
    it(`data files: image-proxy address ${ip} is Google's and nothing more`, () =>
      assert.deepEqual(Object.keys(defaultRangeTable().lookup(ip)), ['datacenter']));
  }
  it('data files: no special-purpose space (documentation, private) in any list', () => {
    for (const ip of ['192.0.2.1', '198.51.100.20', '203.0.113.9', '10.1.2.3', '2001:db8::1']) assert.deepEqual(defaultRangeTable().lookup(ip), {}, ip);
  });
  it("hand-kept lists: a range's region is kept and does not change the match; unknown fields are refused", () => {
    const f = parseRangeFile({ kind: 'mail-security', ranges: [{ ...entry('41.74.192.0/22', 'Mimecast'), region: 'South Africa' }] }, 'r.json');
    assert.equal(f.ranges[0]?.region, 'South Africa');
    assert.deepEqual(new IpRangeTable([f]).lookup('41.74.193.9'), { 'mail-security': { kind: 'mail-security', owner: 'Mimecast', cidr: '41.74.192.0/22' } });
    assert.throws(() => parseRangeFile({ kind: 'mail-security', ranges: [{ ...entry('41.74.192.0/22', 'M'), grid: 'x' }] }, 'g.json'), /g\.json is invalid/);
  });
  it("owner lists: every CIDR carries the file's owner, source and date", () => {
    const f = parseRangeFile({ kind: 'datacenter', owner: 'X', source: 'https://x.example/list', date: '2026-01-02', cidrs: ['1.2.3.0/24'] }, 'x.json');
    assert.deepEqual(f.ranges, [{ cidr: '1.2.3.0/24', owner: 'X', source: 'https://x.example/list', date: '2026-01-02' }]);
    assert.throws(() => parseRangeFile({ kind: 'datacenter', owner: 'X', source: 's', cidrs: [] }, 'y.json'), /y\.json is invalid: date/);
  });
});
