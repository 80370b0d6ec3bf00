// `ranges update` against copies of each owner's format served on 127.0.0.1 (HTTP, and DNS for
// Mimecast's SPF netblocks): every format read, the week's Microsoft file found from its page, Mimecast's
// ranges written with their regions, empty and halved lists refused, failures leave files as they were,
// files replaced whole, special-purpose space dropped.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type DnsServer, startDnsServer } from '../../test/support/dns-server.js';
import { inPackage } from '../package-root.js';
import { loadRangeTable } from './ip-ranges.js';
import { updateRanges } from './ranges-update.js';

const TAGS = 'https://download.microsoft.com/download/7/1/D/71D86715-5596-4529-9B13-DA13A5DE5B63/ServiceTags_Public_20261130.json';

/** Copies of each publication's shape, by host and path. */
const FIXTURES: Record<string, string> = {
  '/ip-ranges.amazonaws.com/ip-ranges.json': JSON.stringify({
    syncToken: '1',
    prefixes: [
      { ip_prefix: '3.5.140.0/22', region: 'ap-northeast-2', service: 'AMAZON' },
      { ip_prefix: '52.94.76.0/22', region: 'us-west-2', service: 'EC2' },
      { ip_prefix: '13.34.37.64/27', region: 'ap-southeast-4', service: 'AMAZON' },
    ],
    ipv6_prefixes: [{ ipv6_prefix: '2600:1f14::/35', region: 'us-west-2', service: 'EC2' }],
  }),
  '/www.gstatic.com/ipranges/goog.txt': '8.8.4.0/24\n8.8.8.0/24\n66.249.64.0/19\n2001:4860::/32\n',
  '/www.gstatic.com/ipranges/cloud.json': JSON.stringify({
    prefixes: [{ ipv4Prefix: '34.1.208.0/20', scope: 'africa-south1' }, { ipv6Prefix: '2600:1900:8000::/44' }],
  }),
  '/www.microsoft.com/en-us/download/details.aspx': `<html><a href="${TAGS}">download</a></html>`,
  '/download.microsoft.com/download/7/1/D/71D86715-5596-4529-9B13-DA13A5DE5B63/ServiceTags_Public_20261130.json': JSON.stringify({
    changeNumber: 1,
    values: [
      { name: 'AzureCloud', properties: { addressPrefixes: ['13.64.0.0/11', '20.33.0.0/16'] } },
      { name: 'AzureFrontDoor.Frontend', properties: { addressPrefixes: ['13.107.246.0/24', '2620:1ec:bdf::/48'] } },
    ],
  }),
  '/endpoints.office.com/endpoints/worldwide': JSON.stringify([
    { id: 9, serviceArea: 'Exchange', ips: ['40.92.0.0/15', '40.107.0.0/16', '2a01:111:f400::/48'] },
    { id: 46, serviceArea: 'SharePoint', ips: ['13.107.136.0/22'] },
  ]),
  '/mask-api.icloud.com/egress-ip-ranges.csv':
    '104.28.0.22/31,AE,AE-AZ,Abu Dhabi,\n172.224.226.0/27,US,US-CA,Los Angeles,\n2a02:26f7:b3c0:4000::/64,AE,AE-DU,Dubai,\n',
  '/docs.oracle.com/iaas/tools/public_ip_ranges.json': JSON.stringify({
    regions: [{ region: 'us-phoenix-1', cidrs: [{ cidr: '129.146.0.0/21', tags: ['OCI'] }] }],
  }),
  '/digitalocean.com/geo/google.csv': '5.101.96.0/21,NL,NL-NH,Amsterdam,1098\n192.0.2.0/24,US,,,\n',
  '/geoip.linode.com/': '# Linode geofeed\n45.33.0.0/24,US,US-CA,Fremont,\n',
};

/** Copies of Mimecast's SPF netblock records (ranges as in data/ranges/mimecast.json; usb's is a test value). */
const MIMECAST: Record<string, string[][]> = {
  '_netblocks.mimecast.com': [
    [
      'v=spf1 include:eu._netblocks.mimecast.com include:us._netblocks.mimecast.com include:za._netblocks.mimecast.com ',
      'include:de._netblocks.mimecast.com include:au._netblocks.mimecast.com include:ca._netblocks.mimecast.com ~all',
    ],
  ],
  'eu._netblocks.mimecast.com': [['v=spf1 ip4:185.58.85.0/24 ip4:185.58.86.0/24 ~all']],
  'us._netblocks.mimecast.com': [['v=spf1 ip4:63.128.21.0/24 ip4:207.211.41.113 ~all']],
  'za._netblocks.mimecast.com': [['v=spf1 ip4:41.74.192.0/22 ~all']],
  'de._netblocks.mimecast.com': [['v=spf1 ip4:194.104.109.0/24 ~all']],
  'au._netblocks.mimecast.com': [['v=spf1 ip4:103.96.21.0/24 ip4:192.0.2.0/24 ~all']],
  'ca._netblocks.mimecast.com': [['v=spf1 ip4:170.10.145.0/24 ~all']],
  'usb._netblocks.mimecast.com': [['v=spf1 ip4:207.211.31.0/25 ~all']],
};

let server: Server;
let dns: DnsServer;
let base: string;
let dir: string;
/** Paths answering 500, and bodies replaced for one test. */
const broken = new Set<string>();
const override = new Map<string, string>();

before(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const body = override.get(path) ?? FIXTURES[path];
    if (broken.has(path) || body === undefined) {
      res.writeHead(broken.has(path) ? 500 : 404).end();
      return;
    }
    res.writeHead(200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dns = await startDnsServer();
});
after(async () => {
  server.close();
  await dns.close();
});
beforeEach(() => {
  broken.clear();
  override.clear();
  dns.zone.clear();
  for (const [name, recs] of Object.entries(MIMECAST)) dns.zone.set(name, recs);
  dir = mkdtempSync(join(tmpdir(), 'clickrate-ranges-'));
});

const read = (file: string) => JSON.parse(readFileSync(join(dir, `${file}.json`), 'utf8')) as { owner: string; source: string; date: string; cidrs: string[] };
const seed = (file: string, cidrs: string[]) =>
  writeFileSync(join(dir, `${file}.json`), JSON.stringify({ kind: 'datacenter', owner: 'Amazon', source: 'old', date: '2026-01-01', cidrs }));
const now = new Date('2026-12-05T10:00:00Z');

describe('ranges update', () => {
  it("reads every owner's format and writes one dated list per owner", async () => {
    const outcomes = await updateRanges({ dir, urlBase: base, dnsServer: dns.address, now });
    assert.deepEqual(
      outcomes.map((o) => [o.file, o.status, o.after]),
      [
        ['amazon', 'updated', 4],
        ['google', 'updated', 6],
        ['microsoft', 'updated', 4],
        ['microsoft-365-exchange', 'updated', 3],
        ['apple-private-relay', 'updated', 3],
        ['oracle', 'updated', 1],
        ['digitalocean', 'updated', 1], // 192.0.2.0/24 is documentation space: dropped
        ['linode', 'updated', 1],
        ['mimecast', 'updated', 9], // 192.0.2.0/24 in au's record: dropped
      ],
    );
    assert.equal(read('microsoft').source, TAGS);
    assert.equal(read('google').source, 'https://www.gstatic.com/ipranges/goog.txt + https://www.gstatic.com/ipranges/cloud.json');
    assert.equal(read('amazon').date, '2026-12-05');
    const t = loadRangeTable(dir);
    assert.equal(t.lookup('40.107.3.4')['mail-security']?.owner, 'Microsoft');
    assert.equal(t.lookup('172.224.226.9')['apple-proxy']?.owner, 'Apple Private Relay');
    assert.equal(t.lookup('129.146.1.1').datacenter?.owner, 'Oracle Cloud');
    assert.deepEqual(t.lookup('192.0.2.7'), {});
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
    rmSync(dir, { recursive: true });
  });

  it('the same list again is unchanged; a grown one says what was added and removed', async () => {
    await updateRanges({ dir, urlBase: base, dnsServer: dns.address, only: ['amazon'], now });
    assert.equal((await updateRanges({ dir, urlBase: base, dnsServer: dns.address, only: ['amazon'], now }))[0]?.status, 'unchanged');
    override.set(
      '/ip-ranges.amazonaws.com/ip-ranges.json',
      JSON.stringify({ prefixes: [{ ip_prefix: '3.5.140.0/22' }, { ip_prefix: '52.94.76.0/22' }, { ip_prefix: '18.0.0.0/15' }] }),
    );
    const [o] = await updateRanges({ dir, urlBase: base, dnsServer: dns.address, only: ['amazon'], now });
    assert.deepEqual([o?.status, o?.before, o?.after, o?.added, o?.removed], ['updated', 4, 3, 1, 2]);
  });

  it('refuses an empty list and one that shrank by more than half, leaving the file byte for byte', async () => {
    seed('amazon', ['3.5.140.0/22', '52.94.76.0/22', '13.34.37.64/27', '18.0.0.0/15', '18.2.0.0/15']);
    const before = readFileSync(join(dir, 'amazon.json'), 'utf8');
    override.set('/ip-ranges.amazonaws.com/ip-ranges.json', JSON.stringify({ prefixes: [], ipv6_prefixes: [] }));
    let [o] = await updateRanges({ dir, urlBase: base, dnsServer: dns.address, only: ['amazon'], now });
    assert.deepEqual([o?.status, o?.reason], ['refused', 'the list came back empty']);
    override.set('/ip-ranges.amazonaws.com/ip-ranges.json', JSON.stringify({ prefixes: [{ ip_prefix: '3.5.140.0/22' }, { ip_prefix: '52.94.76.0/22' }] }));
    [o] = await updateRanges({ dir, urlBase: base, dnsServer: dns.address, only: ['amazon'], now });
    assert.equal(o?.status, 'refused');
    assert.match(o?.reason ?? '', /shrank from 5 to 2/);
    assert.equal(readFileSync(join(dir, 'amazon.json'), 'utf8'), before);
  });

  it('an HTTP error, a page without the link, bad JSON or a bad CIDR fails that owner only', async () => {
    broken.add('/ip-ranges.amazonaws.com/ip-ranges.json');
    override.set('/www.microsoft.com/en-us/download/details.aspx', '<html>moved</html>');
    override.set('/docs.oracle.com/iaas/tools/public_ip_ranges.json', '<html>not json</html>');
    override.set('/geoip.linode.com/', '45.33.0.0/33,US,,,\n');
    dns.zone.delete('ca._netblocks.mimecast.com');
    const outcomes = await updateRanges({ dir, urlBase: base, dnsServer: dns.address, now });
    const by = new Map(outcomes.map((o) => [o.file, o]));
    assert.match(by.get('amazon')?.reason ?? '', /HTTP 500/);
    assert.match(by.get('microsoft')?.reason ?? '', /no longer links to the list/);
    assert.match(by.get('oracle')?.reason ?? '', /not JSON/);
    assert.match(by.get('linode')?.reason ?? '', /bad CIDR/);
    assert.match(by.get('mimecast')?.reason ?? '', /SPF record ca\._netblocks\.mimecast\.com: cannot resolve its TXT records \(ENOTFOUND\)/);
    for (const f of ['amazon', 'microsoft', 'oracle', 'linode', 'mimecast']) assert.equal(by.get(f)?.status, 'failed', f);
    assert.equal(by.get('google')?.status, 'updated');
    assert.deepEqual(readdirSync(dir).sort(), ['apple-private-relay.json', 'digitalocean.json', 'google.json', 'microsoft-365-exchange.json']);
  });

  it('mimecast: its SPF netblocks read through DNS, each range with its region and record', async () => {
    const [o] = await updateRanges({ dir, dnsServer: dns.address, only: ['mimecast'], now });
    assert.deepEqual([o?.file, o?.status, o?.before, o?.after, o?.added], ['mimecast', 'updated', 0, 9, 9]);
    const f = JSON.parse(readFileSync(join(dir, 'mimecast.json'), 'utf8')) as { kind: string; about: string; ranges: Record<string, string>[] };
    assert.equal(f.kind, 'mail-security');
    assert.match(f.about, /_netblocks\.mimecast\.com.*usb\._netblocks\.mimecast\.com/);
    const net = (r: string) => `DNS TXT ${r}._netblocks.mimecast.com`;
    assert.deepEqual(
      f.ranges.map((r) => [r.cidr, r.region, r.source, r.owner, r.date]),
      [
        ['103.96.21.0/24', 'Australia', net('au'), 'Mimecast', '2026-12-05'],
        ['170.10.145.0/24', 'Canada', net('ca'), 'Mimecast', '2026-12-05'],
        ['185.58.85.0/24', 'Europe (excluding Germany)', net('eu'), 'Mimecast', '2026-12-05'],
        ['185.58.86.0/24', 'Europe (excluding Germany)', net('eu'), 'Mimecast', '2026-12-05'],
        ['194.104.109.0/24', 'Germany', net('de'), 'Mimecast', '2026-12-05'],
        ['207.211.31.0/25', 'United States (B grid)', net('usb'), 'Mimecast', '2026-12-05'],
        ['207.211.41.113/32', 'United States (A grid)', net('us'), 'Mimecast', '2026-12-05'],
        ['41.74.192.0/22', 'South Africa', net('za'), 'Mimecast', '2026-12-05'],
        ['63.128.21.0/24', 'United States (A grid)', net('us'), 'Mimecast', '2026-12-05'],
      ],
    );
    assert.equal(loadRangeTable(dir).lookup('41.74.193.9')['mail-security']?.owner, 'Mimecast');
    assert.equal((await updateRanges({ dir, dnsServer: dns.address, only: ['mimecast'], now }))[0]?.status, 'unchanged');
    // A range that moved region is a change, though none came or went.
    dns.zone.set('za._netblocks.mimecast.com', [['v=spf1 ~all']]);
    dns.zone.set('de._netblocks.mimecast.com', [['v=spf1 ip4:194.104.109.0/24 ip4:41.74.192.0/22 ~all']]);
    const [moved] = await updateRanges({ dir, dnsServer: dns.address, only: ['mimecast'], now });
    assert.deepEqual([moved?.status, moved?.added, moved?.removed], ['updated', 0, 0]);
    assert.equal(
      JSON.parse(readFileSync(join(dir, 'mimecast.json'), 'utf8')).ranges.find((r: { cidr: string }) => r.cidr === '41.74.192.0/22').region,
      'Germany',
    );
  });

  it('mimecast: an empty or halved netblock list, or an include loop, leaves the shipped file byte for byte', async () => {
    const shipped = readFileSync(inPackage(import.meta.url, 'data', 'ranges', 'mimecast.json'), 'utf8');
    writeFileSync(join(dir, 'mimecast.json'), shipped);
    const run = async () => (await updateRanges({ dir, dnsServer: dns.address, only: ['mimecast'], now }))[0];
    // The shipped list holds far more than the nine copies here.
    assert.match((await run())?.reason ?? '', /shrank from \d{2,} to 9 ranges/);
    for (const r of Object.keys(MIMECAST)) if (r !== '_netblocks.mimecast.com') dns.zone.set(r, [['v=spf1 ~all']]);
    assert.deepEqual([(await run())?.status, (await run())?.reason], ['refused', 'the list came back empty']);
    dns.zone.set('ca._netblocks.mimecast.com', [['v=spf1 include:_netblocks.mimecast.com']]);
    const looped = await run();
    assert.equal(looped?.status, 'failed');
    assert.match(looped?.reason ?? '', /include loop _netblocks\.mimecast\.com → ca\._netblocks\.mimecast\.com → _netblocks\.mimecast\.com/);
    assert.equal(readFileSync(join(dir, 'mimecast.json'), 'utf8'), shipped);
  });

  it('an unknown list name is a typed error naming the known ones', async () => {
    await assert.rejects(
      updateRanges({ dir, urlBase: base, dnsServer: dns.address, only: ['amazn'] }),
      /CR_ERR_BAD_INPUT|unknown range list amazn; known: amazon/,
    );
  });
});
