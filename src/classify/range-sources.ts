// Where each owner publishes its own address list and how to read it: AWS ip-ranges.json, Google's
// goog.txt and cloud.json, Microsoft's Azure service tags and Microsoft 365 endpoints, Apple's Private
// Relay egress CSV, Oracle's public_ip_ranges.json, geofeeds (RFC 8805) of smaller clouds, and
// Mimecast's SPF netblocks in DNS.
import { ClickrateError } from '../errors.js';
import type { RangeKind } from './ip-ranges.js';

type Format = 'aws-json' | 'cidr-lines' | 'google-json' | 'azure-service-tags' | 'm365-endpoints' | 'csv-first-column' | 'oracle-json';

interface WebPublication {
  /** The list itself, or with `discover` the page that links to it. */
  url: string;
  format: Format;
  /** The link to the list on the page at `url` (Microsoft renames its service-tags file every week). */
  discover?: RegExp;
}

/** Ranges published as SPF TXT records in DNS (spf-ranges.ts reads them, following include:). */
interface SpfPublication {
  format: 'spf-txt';
  record: string;
}

type Publication = WebPublication | SpfPublication;

export interface RangeSource {
  /** The data file, data/ranges/<file>.json. */
  file: string;
  kind: RangeKind;
  owner: string;
  publications: readonly Publication[];
  /** The vendor's region for the ranges of each SPF record; the file then keeps a `region` per range. */
  regions?: Readonly<Record<string, string>>;
  /** The file's `about`, when the owner's list needs more said than where it came from. */
  about?: string;
}

/** An owner with one publication. */
const single = (file: string, kind: RangeKind, owner: string, url: string, format: Format): RangeSource => ({
  file,
  kind,
  owner,
  publications: [{ url, format }],
});
const MIMECAST_ABOUT =
  "Mimecast's address ranges, each with the Mimecast region it serves. `clickrate ranges update --only mimecast` reads them from " +
  "Mimecast's own SPF netblocks in DNS: _netblocks.mimecast.com (which includes eu, us, za, de, au and ca._netblocks.mimecast.com) " +
  'and usb._netblocks.mimecast.com (United States B grid); each range names the record or page it was read in. These are mostly ' +
  "Mimecast's mail relays; URL Protect checks a clicked link's destination itself (https://community.mimecast.com/docs/DOC-1027), usually from the same regional data centres, " +
  'but Mimecast lists no scanning hosts apart, so a scanner may also come from addresses not here.';

/** Every owner list `ranges update` keeps fresh. Vendors that publish only web pages are hand-kept (mail-security.json). */
// Mimecast: `_netblocks.mimecast.com` includes every region's record ("Global (includes all the above)"
// in its Implementing SPF for Outbound Email Delivery table, https://community.mimecast.com/docs/DOC-2010);
// the United States B grid's record stands apart (same article on mimecastsupport.zendesk.com,
// /hc/en-us/articles/34000792642963, "United States of America (USB)"). Region names as in
// mail-security-ranges.test.ts ("Identifying Mimecast Regions").
const MIMECAST_REGIONS: Record<string, string> = {
  'eu._netblocks.mimecast.com': 'Europe (excluding Germany)',
  'us._netblocks.mimecast.com': 'United States (A grid)',
  'usb._netblocks.mimecast.com': 'United States (B grid)',
  'za._netblocks.mimecast.com': 'South Africa',
  'de._netblocks.mimecast.com': 'Germany',
  'au._netblocks.mimecast.com': 'Australia',
  'ca._netblocks.mimecast.com': 'Canada',
};

export const RANGE_SOURCES: readonly RangeSource[] = [
  single('amazon', 'datacenter', 'Amazon', 'https://ip-ranges.amazonaws.com/ip-ranges.json', 'aws-json'),
  {
    file: 'google',
    kind: 'datacenter',
    owner: 'Google',
    publications: [
      { url: 'https://www.gstatic.com/ipranges/goog.txt', format: 'cidr-lines' },
      { url: 'https://www.gstatic.com/ipranges/cloud.json', format: 'google-json' },
    ],
  },
  {
    file: 'microsoft',
    kind: 'datacenter',
    owner: 'Microsoft',
    publications: [
      {
        // "Azure IP Ranges and Service Tags – Public Cloud": the download link carries the week's date.
        url: 'https://www.microsoft.com/en-us/download/details.aspx?id=56519',
        format: 'azure-service-tags',
        discover: /https:\/\/download\.microsoft\.com\/download\/[^"'\s<>]+\/ServiceTags_Public_\d+\.json/,
      },
    ],
  },
  // Microsoft 365 endpoints web service: Exchange Online's and Exchange Online Protection's addresses.
  single(
    'microsoft-365-exchange',
    'mail-security',
    'Microsoft',
    'https://endpoints.office.com/endpoints/worldwide?clientrequestid=b10c5ed1-bad1-445f-b386-b919946339a7',
    'm365-endpoints',
  ),
  single('apple-private-relay', 'apple-proxy', 'Apple Private Relay', 'https://mask-api.icloud.com/egress-ip-ranges.csv', 'csv-first-column'),
  single('oracle', 'datacenter', 'Oracle Cloud', 'https://docs.oracle.com/iaas/tools/public_ip_ranges.json', 'oracle-json'),
  single('digitalocean', 'datacenter', 'DigitalOcean', 'https://digitalocean.com/geo/google.csv', 'csv-first-column'),
  single('linode', 'datacenter', 'Akamai Linode', 'https://geoip.linode.com/', 'csv-first-column'),
  {
    file: 'mimecast',
    kind: 'mail-security',
    owner: 'Mimecast',
    publications: ['_netblocks.mimecast.com', 'usb._netblocks.mimecast.com'].map((record) => ({ format: 'spf-txt', record }) as const),
    regions: MIMECAST_REGIONS,
    about: MIMECAST_ABOUT,
  },
];

const bad = (url: string, why: string) => new ClickrateError('CR_ERR_BAD_FILE', `the list at ${url} is not in its expected format: ${why}`, { url });

function json(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw bad(url, 'not JSON');
  }
}

const strings = (xs: unknown): string[] => (Array.isArray(xs) ? xs.filter((x): x is string => typeof x === 'string') : []);
const records = (xs: unknown): Record<string, unknown>[] =>
  Array.isArray(xs) ? xs.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
const field = (o: unknown, k: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined);

/** The CIDRs of one publication's text (not yet checked: the caller validates every one). */
export function parsePublication(text: string, format: Format, url: string): string[] {
  switch (format) {
    case 'aws-json': {
      const j = json(text, url);
      const v4 = records(field(j, 'prefixes')).map((p) => p.ip_prefix);
      const v6 = records(field(j, 'ipv6_prefixes')).map((p) => p.ipv6_prefix);
      if (!Array.isArray(field(j, 'prefixes'))) throw bad(url, 'no "prefixes" array');
      return strings([...v4, ...v6]);
    }
    case 'google-json': {
      const j = json(text, url);
      if (!Array.isArray(field(j, 'prefixes'))) throw bad(url, 'no "prefixes" array');
      return strings(records(field(j, 'prefixes')).map((p) => p.ipv4Prefix ?? p.ipv6Prefix));
    }
    case 'oracle-json': {
      const j = json(text, url);
      if (!Array.isArray(field(j, 'regions'))) throw bad(url, 'no "regions" array');
      return strings(records(field(j, 'regions')).flatMap((r) => records(r.cidrs).map((c) => c.cidr)));
    }
    case 'azure-service-tags': {
      const j = json(text, url);
      if (!Array.isArray(field(j, 'values'))) throw bad(url, 'no "values" array');
      return records(field(j, 'values')).flatMap((v) => strings(field(v.properties, 'addressPrefixes')));
    }
    case 'm365-endpoints': {
      const j = json(text, url);
      if (!Array.isArray(j)) throw bad(url, 'not an array of endpoint sets');
      return records(j)
        .filter((e) => e.serviceArea === 'Exchange')
        .flatMap((e) => strings(e.ips));
    }
    case 'cidr-lines':
    case 'csv-first-column':
      // Geofeeds (RFC 8805) and Apple's egress CSV: `prefix,country,region,city,`; '#' starts a comment.
      return text
        .split(/\r?\n/)
        .map((l) => l.replace(/#.*/, '').split(',')[0]?.trim() ?? '')
        .filter((l) => l !== '');
  }
}
