// Addresses no owner can publish as its own (IANA special-purpose registries, RFC 6890): documentation
// examples, private networks, loopback, link-local, shared CGNAT space. Some owners' feeds carry them by
// mistake (a geofeed listing 192.0.2.0/24); kept, they would mark test traffic and LANs as data centres.
import { IpRangeTable } from './ip-ranges.js';

const SPECIAL = [
  '0.0.0.0/8',
  '10.0.0.0/8', // RFC 1918
  '100.64.0.0/10', // RFC 6598 shared address space (carrier-grade NAT)
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12', // RFC 1918
  '192.0.0.0/24',
  '192.0.2.0/24', // RFC 5737 TEST-NET-1
  '192.168.0.0/16', // RFC 1918
  '198.18.0.0/15', // RFC 2544 benchmarking
  '198.51.100.0/24', // RFC 5737 TEST-NET-2
  '203.0.113.0/24', // RFC 5737 TEST-NET-3
  '224.0.0.0/3', // multicast and reserved
  '::/8',
  '2001:db8::/32', // RFC 3849 documentation
  'fc00::/7', // RFC 4193 unique local
  'fe80::/10',
  'ff00::/8',
];

const table = new IpRangeTable([
  { kind: 'datacenter', ranges: SPECIAL.map((cidr) => ({ cidr, owner: 'IANA special-purpose', source: 'RFC 6890', date: '2013-04-01' })) },
]);

/** True when a CIDR's network address is special-purpose space (never a real owner's). */
export function isSpecialPurpose(cidr: string): boolean {
  const slash = cidr.indexOf('/');
  return table.lookup(slash < 0 ? cidr : cidr.slice(0, slash)).datacenter !== undefined;
}
