// Addresses for the outside sample: the owners' own lists in ../shared/ranges when present, else a
// small built-in set of the same owners' published blocks (sources below), so the sample runs alone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Addresses: the owners' own lists in ../shared/ranges (a dated snapshot; see its README) when present,
// else a small built-in set of the same owners' published blocks, so the script runs in a clone alone.
// Vendors not in those lists, from their own documentation: Mimecast's "Data Centers and URLs" (US and UK
// grids), Proofpoint's support page and Essentials set-up guide (67.231.144.0/20, 148.163.128.0/19),
// Barracuda's ranges as Act-On's false-click guide lists them, Zscaler's published hub ranges, Yahoo's
// own blocks. Exchange Online Protection: Microsoft 365 "URLs and IP address ranges", IDs 9 and 10;
// Exchange Online (Outlook on the web), ID 1. Gmail's image proxy: 66.249.64.0/19 (shared/ranges README).
const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'ranges');
const FIXED = {
  google: ['66.249.80.0/20', '66.249.64.0/20'],
  'microsoft-eop': ['40.92.0.0/15', '40.107.0.0/16', '52.100.0.0/14', '104.47.0.0/17'],
  'microsoft-exo': ['52.96.0.0/14', '40.104.0.0/15'],
  yahoo: ['98.136.0.0/14', '74.6.0.0/16', '66.196.64.0/18'],
  mimecast: ['205.139.110.0/24', '207.211.30.0/24', '91.220.42.0/24', '195.130.217.0/24'],
  proofpoint: ['67.231.144.0/20', '148.163.128.0/19'],
  barracuda: ['64.235.144.0/20', '209.222.80.0/21'],
  zscaler: ['165.225.0.0/17', '136.226.0.0/16', '147.161.128.0/17'],
  // Hosting not in any of the lists above (Hetzner, OVH): scanners "may also run from cloud or unlisted hosting".
  'hosting-unlisted': ['5.9.0.0/16', '88.198.0.0/16', '51.68.0.0/16', '54.36.0.0/16'],
  // Consumer broadband (Comcast, Deutsche Telekom, BT, Orange), mobile carriers (T-Mobile US, Verizon
  // Wireless), business lines (AT&T, Deutsche Telekom business): where people are, owned by no cloud.
  residential: ['73.0.0.0/8', '79.192.0.0/10', '86.128.0.0/10', '90.0.0.0/9'],
  mobile: ['172.56.0.0/14', '174.192.0.0/10'],
  corporate: ['12.0.0.0/8', '62.153.0.0/16', '80.147.0.0/16'],
};
const FROM_SHARED = {
  'apple-relay': ['apple-proxy', ['104.28.0.0/16', '172.224.0.0/16']],
  amazon: ['amazon', ['3.0.0.0/9', '52.0.0.0/11']],
  microsoft: ['microsoft', ['20.0.0.0/11', '40.64.0.0/10']],
  oracle: ['oracle', ['129.146.0.0/16', '132.145.0.0/16']],
  linode: ['linode', ['45.33.0.0/17', '172.104.0.0/15']],
};
const listCache = new Map();
function sharedList(file, fallback, v6) {
  const key = `${file}-${v6 ? 'ipv6' : 'ipv4'}`;
  if (!listCache.has(key)) {
    let cidrs = [];
    try {
      cidrs = fs
        .readFileSync(path.join(SHARED, `${key}.txt`), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
    } catch {
      // no ../shared next to this clone: the built-in set
    }
    listCache.set(key, cidrs.length ? cidrs : v6 ? [] : fallback);
  }
  return listCache.get(key);
}

/** A random address of the given owner (IPv6 for about a third of Apple's, as MPP fetches over both). */
export function pickAddress(r, who) {
  if (who in FIXED) return randomIn(r, r.pick(FIXED[who]));
  const [file, fallback] = FROM_SHARED[who];
  const v6 = who === 'apple-relay' && r.chance(0.3) ? sharedList(file, fallback, true) : [];
  return randomIn(r, r.pick(v6.length ? v6 : sharedList(file, fallback, false)));
}

function randomIn(r, cidr) {
  const [base, lenText] = cidr.split('/');
  const len = Number(lenText);
  if (!base.includes(':')) {
    const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    const size = 2 ** (32 - len);
    const host = size > 2 ? 1 + Math.floor(r.next() * (size - 2)) : 0;
    const v = n - (n % size) + host;
    return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
  }
  const [head, tail = ''] = base.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
  for (let bit = len; bit < 128; bit++) {
    if (r.chance(0.5)) groups[Math.floor(bit / 16)] |= 1 << (15 - (bit % 16));
  }
  return groups.map((g) => g.toString(16)).join(':');
}
