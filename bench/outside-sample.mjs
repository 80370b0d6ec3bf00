// A seeded sample of labelled email traffic written from public descriptions of how people and machines
// reach tracked email (sources cited where each behaviour is modelled), kept apart from the classifier's
// own rules and simulator so it can show where they fit the world and where they only fit each other.
// Usage: node bench/outside-sample.mjs --seed 1 --out DIR   (writes DIR/events.jsonl and DIR/truth.jsonl)
// The events are in the import format (../shared/SPEC.md); the truth (id → human|machine, kind, address
// owner, seconds after delivery) is in its own file, never in the events.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

// Addresses: the owners' own lists in ../shared/ranges (a dated snapshot; see its README) when present,
// else a small built-in set of the same owners' published blocks, so the script runs in a clone alone.
// Vendors not in those lists, from their own documentation: Mimecast's "Data Centers and URLs" (US and UK
// grids), Proofpoint's support page and Essentials set-up guide (67.231.144.0/20, 148.163.128.0/19),
// Barracuda's ranges as Act-On's false-click guide lists them, Zscaler's published hub ranges, Yahoo's
// own blocks. Exchange Online Protection: Microsoft 365 "URLs and IP address ranges", IDs 9 and 10;
// Exchange Online (Outlook on the web), ID 1. Gmail's image proxy: 66.249.64.0/19 (shared/ranges README).
const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'ranges');
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
function pickAddress(r, who) {
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

const BASE = Date.parse('2026-11-03T14:00:00Z');
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

/** mulberry32: small, fast and the same on every machine, so a seed names one sample. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    chance: (p) => next() < p,
    between: (lo, hi) => lo + next() * (hi - lo),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    /** One of the keys of a { key: weight } table. */
    weighted: (table) => {
      const total = Object.values(table).reduce((s, w) => s + w, 0);
      let x = next() * total;
      for (const [k, w] of Object.entries(table)) {
        x -= w;
        if (x < 0) return k;
      }
      return Object.keys(table)[0];
    },
    /** Log-normal with the given median: reading delays have a long tail (hours to days). */
    lognormal: (median, sigma) => {
      const u = Math.max(next(), 1e-12);
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * z);
    },
  };
  return r;
}

// User agents, as published. Gmail's proxy: ua-parser/uap-core pull request #170, browscap issue #1108,
// ua-parser-js issue #494 (which also gives Yahoo's). Apple: uap-core issue #509 (MPP's bare agent),
// medama-io/go-useragent issue #10 and uap-core issue #528 (Apple Mail's WebKit agent without Safari).
const UA = {
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
  mppBare: 'Mozilla/5.0',
  webkitStripped: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  iosMail: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  outlookDesktop: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18925; Pro)',
  thunderbird: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Thunderbird/140.4.0',
  // A managed kiosk or long-term-support desktop a company has not updated: a person on an old browser.
  chromeWin7Old: 'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
};
// Browsers as current at the sample's date (November 2026): Chrome 146 was current at the end of March 2026
// (resend-node issue #901) and Chrome, Edge and Firefox release every four weeks; Safari takes the year's
// number (26 in 2025, 27 in 2026) while iOS and macOS versions in the agent stay frozen. People lag a
// version or two; a few run far older builds (devices left on iOS 18, machines nobody updates).
const CHROME_NOW = 154;
const FIREFOX_NOW = 156;
function browserUa(r, family) {
  const lag = r.weighted({ 0: 60, 1: 22, 3: 13, 8: 5 });
  const c = CHROME_NOW - Number(lag);
  const safari = lag === '8' ? '18.7' : lag === '0' ? '27.0' : '26.6';
  const win = 'Windows NT 10.0; Win64; x64';
  const webkit = 'AppleWebKit/537.36 (KHTML, like Gecko)';
  switch (family) {
    case 'chromeWin':
      return `Mozilla/5.0 (${win}) ${webkit} Chrome/${c}.0.0.0 Safari/537.36`;
    case 'edgeWin':
      return `Mozilla/5.0 (${win}) ${webkit} Chrome/${c}.0.0.0 Safari/537.36 Edg/${c}.0.0.0`;
    case 'chromeMac':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${webkit} Chrome/${c}.0.0.0 Safari/537.36`;
    case 'chromeAndroid':
      return `Mozilla/5.0 (Linux; Android 10; K) ${webkit} Chrome/${c}.0.0.0 Mobile Safari/537.36`;
    case 'firefoxWin':
      return `Mozilla/5.0 (${win}; rv:${FIREFOX_NOW - Number(lag)}.0) Gecko/20100101 Firefox/${FIREFOX_NOW - Number(lag)}.0`;
    case 'safariMac':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Safari/605.1.15`;
    case 'safariIos':
      return `Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Mobile/15E148 Safari/604.1`;
    default: // the Gmail app's in-app browser on iOS: WebKit with no Safari token
      return UA.iosMail;
  }
}
// Scanner agents: "old browser versions; scripted agents" (Dub issue #2309, lemlist/Smartlead help pages);
// craft-campaign issue #546 saw "Python Requests"; Barracuda "does not identify itself" (Act-On's guide).
// The far-behind builds above (eight releases back, iOS 18, the Windows 7 kiosk), named apart in the truth.
const OLD_BUILD = new RegExp(`Chrome/(109|${CHROME_NOW - 8})\\.|Version/18\\.7|Firefox/${FIREFOX_NOW - 8}\\.`);
const SCANNER_UA = {
  oldChrome: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.116 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36',
  ],
  ie11: 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
  scripted: ['python-requests/2.31.0', 'curl/8.5.0', 'Go-http-client/1.1', 'Java/17.0.8'],
};
// resend-node issue #901: a scanner following a person's click 12 s later, with the then-current Chrome on Windows.
const modernScannerUa = (r) => browserUa(r, r.chance(0.5) ? 'chromeWin' : 'edgeWin');

/** Campaign shapes (what the sender controls: pixel, links, steps, variants, audience). */
const CAMPAIGNS = [
  {
    id: 'outreach-q4',
    kind: 'outreach',
    audience: 'b2b',
    recipients: 500,
    steps: 3,
    pixel: false, // plain text cold outreach: no image, so no open can be seen at all
    links: (step) => (step === 1 ? ['https://meet.vendor.example/30min', 'https://vendor.example/case-study'] : ['https://meet.vendor.example/30min']),
    clickRate: { 1: 0.05, 2: 0.035, 3: 0.025 },
    bounce: 0.04,
  },
  {
    id: 'promo-nov',
    kind: 'promotional',
    audience: 'consumer',
    recipients: 2400,
    steps: 1,
    variants: { A: 0.1, B: 0.15 }, // click rate among openers, per variant
    pixel: true,
    links: () => [
      'https://shop.example/view-in-browser',
      'https://shop.example/',
      ...[1, 2, 3, 4, 5, 6].map((n) => `https://shop.example/p/${n}`),
      'https://instagram.com/shop.example',
      'https://shop.example/unsubscribe',
    ],
    openRate: 0.3,
    bounce: 0.015,
  },
  {
    id: 'receipts',
    kind: 'transactional',
    audience: 'consumer',
    recipients: 1200,
    steps: 1,
    pixel: true,
    links: () => ['https://shop.example/orders/status', 'https://shop.example/help'],
    openRate: 0.6,
    clickGivenOpen: 0.14,
    bounce: 0.005,
  },
  {
    id: 'b2b-digest',
    kind: 'newsletter',
    audience: 'b2b',
    recipients: 1500,
    steps: 1,
    pixel: true,
    links: () => [
      'https://vendor.example/digest/web-version',
      'https://vendor.example/blog/zero-trust',
      'https://vendor.example/blog/pricing-update',
      'https://vendor.example/webinar/register',
      'https://vendor.example/report.pdf',
      'https://linkedin.com/company/vendor-example',
      'https://vendor.example/preferences',
    ],
    openRate: 0.28,
    clickGivenOpen: 0.16,
    bounce: 0.02,
  },
];

// Consumer mailboxes. Gmail's image proxy fetches when the person opens (Gmail's 2013 announcement; uap-core
// #170). Apple Mail Privacy Protection prefetches near delivery with `Mozilla/5.0` (uap-core #509). Outlook's
// image proxy fetches through Microsoft when the person downloads images (warmbly pull request #569).
// Yahoo's proxy fetches at open (ua-parser-js #494). Shares are rough public market-share figures.
const CONSUMER_MAILBOX = { gmail: 42, appleMpp: 28, outlookCom: 14, yahoo: 9, other: 7 };
// Businesses: Microsoft 365 with Defender Safe Links (detonation from EOP addresses soon after delivery:
// Microsoft 365 "URLs and IP address ranges" IDs 9/10, Safe Links docs), Google Workspace, and gateways in
// front (Mimecast, Proofpoint, Barracuda: mautic issue #16263, resend-node #901, Act-On's false-click guide).
const B2B_MAILBOX = { m365: 42, workspace: 24, mimecast: 13, proofpoint: 12, barracuda: 9 };
// How the person's browser reaches the web from work: secure web gateways (Zscaler), browser isolation
// (Menlo, on cloud hosts), cloud desktops (Azure Virtual Desktop / Windows 365, on Microsoft addresses),
// one company NAT with the same managed browser for everyone (shared/signals README, "people behind vendors").
const B2B_NETWORK = { corpNat: 44, zscaler: 15, menlo: 5, cloudDesktop: 7, home: 19, mobile: 10 };

/** Builds the labelled sample: { events, truth, campaigns } for one seed. */
export function buildSample(seed, { scale = 1 } = {}) {
  const r = rng(seed);
  const events = [];
  const truth = [];
  let n = 0;
  const nextId = () => `s${seed}-${String(++n).padStart(7, '0')}`;
  const iso = (t) => new Date(Math.round(t)).toISOString();
  const campaigns = [];
  // Delivery events are the sender's own records: neither a person's nor a machine's request ('none').
  const record = (e, kind) => {
    events.push(e);
    truth.push({ id: e.id, label: 'none', kind, message: e.message });
  };

  /** An open or click with its truth: label, kind, who owns the address, seconds after delivery. */
  const engage = (msg, type, t, { label, kind, who, ua, url, method = 'GET' }) => {
    const id = nextId();
    const ip = pickAddress(r, who);
    const e = { type, ts: iso(t), message: msg.id, id, ip, method };
    if (ua !== undefined) e.user_agent = ua;
    if (url !== undefined) e.url = url;
    events.push(e);
    truth.push({ id, label, kind, owner: who, after_s: Math.round((t - msg.deliveredAt) / S), campaign: msg.campaign, message: msg.id });
  };

  // Companies for the B2B audiences: each has one mail set-up, one NAT address and one managed browser.
  const companies = Array.from({ length: Math.ceil(400 * scale) }, (_, i) => ({
    name: `co${i}`,
    mailbox: r.weighted(B2B_MAILBOX),
    natIp: pickAddress(r, 'corporate'),
    managedUa: r.chance(0.97) ? browserUa(r, r.chance(0.7) ? 'edgeWin' : 'chromeWin') : UA.chromeWin7Old,
    safeLinksToo: r.chance(0.5), // a gateway in front of Microsoft 365 still has Safe Links behind it
    teamReadAt: r.between(1, 30) * HOUR, // colleagues often read the same digest in the same hour
  }));

  for (const c of CAMPAIGNS) {
    const count = Math.ceil(c.recipients * scale);
    const meta = { id: c.id, kind: c.kind, delivered: 0 };
    campaigns.push(meta);
    const sendStart = BASE + r.between(0, 6) * HOUR;
    for (let i = 0; i < count; i++) {
      const person = makePerson(r, c.audience, companies);
      const variant = c.variants ? (i % 2 === 0 ? 'A' : 'B') : undefined;
      let sentAt = sendStart + i * r.between(0.5, 2.5) * S; // sending is throttled across the batch
      for (let step = 1; step <= c.steps; step++) {
        const msg = { id: `${c.id}:r${i}:s${step}`, campaign: c.id, deliveredAt: 0 };
        const sent = { type: 'sent', ts: iso(sentAt), message: msg.id, campaign: c.id, recipient: `${c.id}-r${i}`, id: nextId() };
        if (c.steps > 1) sent.step = step;
        if (variant) sent.variant = variant;
        sent.segment = person.mailbox;
        record(sent, 'sent');
        if (step === 1 && r.chance(c.bounce)) {
          record({ type: 'bounced', ts: iso(sentAt + r.between(2, 40) * S), message: msg.id, id: nextId() }, 'bounce');
          break;
        }
        msg.deliveredAt = sentAt + r.between(1, 25) * S;
        record({ type: 'delivered', ts: iso(msg.deliveredAt), message: msg.id, id: nextId() }, 'delivery');
        meta.delivered++;
        const links = c.links(step);
        simulateMachines(r, engage, msg, person, links, c.pixel);
        simulatePerson(r, engage, msg, person, links, c, step, variant);
        sentAt += 3 * 24 * HOUR + r.between(0, 4) * HOUR; // next step three days later
      }
    }
  }
  return { events, truth, campaigns };
}

function makePerson(r, audience, companies) {
  if (audience === 'consumer') {
    const mailbox = r.weighted(CONSUMER_MAILBOX);
    // Where clicks come from: the person's own phone or computer; iCloud+ users partly via Private Relay,
    // whose egress Apple shares with MPP (shared/ranges README).
    const network = mailbox === 'appleMpp' && r.chance(0.25) ? 'privateRelay' : r.chance(0.55) ? 'mobile' : 'home';
    const family =
      mailbox === 'appleMpp'
        ? network === 'home'
          ? 'safariMac'
          : 'safariIos'
        : network === 'mobile'
          ? r.pick(['chromeAndroid', 'safariIos', 'gmailIosWebview'])
          : r.pick(['chromeWin', 'chromeMac', 'edgeWin', 'firefoxWin', 'safariMac']);
    const deviceUa = browserUa(r, family);
    // Outlook desktop and many other clients block images until asked (gophish issues #2124, #1632).
    const imagesBlocked = mailbox === 'outlookCom' ? r.chance(0.3) : mailbox === 'other' ? r.chance(0.35) : false;
    return { audience, mailbox, network, deviceUa, imagesBlocked };
  }
  const company = r.pick(companies);
  const network = r.weighted(B2B_NETWORK);
  const deviceUa =
    network === 'corpNat'
      ? company.managedUa
      : browserUa(
          r,
          network === 'mobile'
            ? r.pick(['safariIos', 'chromeAndroid'])
            : network === 'cloudDesktop'
              ? 'edgeWin'
              : r.pick(['chromeWin', 'edgeWin', 'chromeMac']),
        );
  const imagesBlocked = company.mailbox !== 'workspace' && r.chance(0.45); // Outlook's default (gophish #2124)
  return { audience, mailbox: company.mailbox, company, network, deviceUa, imagesBlocked };
}

/** Which address owner a person's browser request comes from. */
function personWho(person) {
  return {
    corpNat: 'corporate',
    zscaler: 'zscaler',
    menlo: 'amazon',
    cloudDesktop: 'microsoft',
    home: 'residential',
    mobile: 'mobile',
    privateRelay: 'apple-relay',
  }[person.network];
}

/** Requests no person made: proxies prefetching, gateways and Safe Links scanning. */
function simulateMachines(r, engage, msg, person, links, pixel) {
  const d = msg.deliveredAt;
  const m = (kind, who, ua, extra = {}) => ({ label: 'machine', kind, who, ua, ...extra });
  // Apple MPP: the pixel is fetched when the Mail app downloads the message, whether or not it is read:
  // usually minutes after delivery, hours when the device was off (uap-core #509; warmbly PR #569).
  if (pixel && person.mailbox === 'appleMpp') {
    const late = r.chance(0.2);
    const t = d + (late ? r.between(1, 20) * HOUR : r.between(5, 900) * S);
    const ua = r.chance(0.85) ? UA.mppBare : UA.webkitStripped;
    engage(msg, 'open', t, m(late ? 'mpp-prefetch-late' : 'mpp-prefetch', 'apple-relay', ua));
    if (r.chance(0.15)) engage(msg, 'open', t + r.between(2, 30) * HOUR, m('mpp-prefetch-again', 'apple-relay', UA.mppBare));
  }
  if (person.audience !== 'b2b') return;
  const co = person.company;
  const gateway = co.mailbox;
  // Not every message is detonated: gateways skip senders and links they already judged; Safe Links
  // mostly checks at time of click. Public figures put scanner clicks at 10–30% of B2B clicks
  // (live-direct-marketing's field guide), so most messages here are left alone.
  if (gateway === 'mimecast' || gateway === 'proofpoint' || gateway === 'barracuda') {
    if (r.chance(0.5)) scanWithGateway(r, engage, msg, gateway, links, pixel, m);
    if (co.safeLinksToo && r.chance(0.25)) safeLinks(r, engage, msg, links, m);
  } else if (gateway === 'm365' && r.chance(0.3)) {
    safeLinks(r, engage, msg, links, m);
  } else if (gateway === 'workspace' && r.chance(0.05)) {
    // Google's own scanning of one link at delivery (Arternal's help page lists "Google / Gmail security scanning").
    engage(msg, 'click', d + r.between(1, 40) * S, m('google-link-scan', 'google', browserUa(r, 'chromeWin'), { url: links[0] }));
  }
}

// Defender Safe Links detonating at delivery from Exchange Online Protection addresses, "usually leaks
// MSOffice or empty User-Agent" (live-direct-marketing's scanner field guide), all links or a few of them.
function safeLinks(r, engage, msg, links, m) {
  let t = msg.deliveredAt + (r.chance(0.85) ? r.between(2, 90) * S : r.between(5, 25) * MIN);
  const some = r.chance(0.6) ? links : links.slice(0, r.int(1, Math.min(3, links.length)));
  const ua = r.chance(0.2) ? undefined : r.chance(0.5) ? modernScannerUa(r) : UA.outlookDesktop;
  const kind = some.length === links.length ? (links.length > 1 ? 'safelinks-all-links' : 'safelinks-single-link-msg') : 'safelinks-some-links';
  for (const url of some) {
    engage(msg, 'click', t, m(kind, 'microsoft-eop', ua, { url, method: r.chance(0.1) ? 'HEAD' : 'GET' }));
    t += r.between(0.2, 2.5) * S;
  }
}

// Mimecast/Proofpoint/Barracuda render the message (fetching the pixel: "opens your mail, renders the HTML,
// and clicks your links", live-direct-marketing's field guide) and follow links within seconds of
// delivery; Barracuda often only the first link (Act-On); some from cloud or unlisted hosting (signals
// README), with HEAD (civicrm pull request #35328, jdavidbakr/mail-tracker #200), old or scripted agents;
// some re-check a link hours later, after a delayed sandbox run ("as much as 5 mins later", anymail #200).
function scanWithGateway(r, engage, msg, gateway, links, pixel, m) {
  const offList = r.chance(0.25);
  const who = offList ? r.pick(['amazon', 'microsoft', 'oracle', 'hosting-unlisted', 'linode']) : gateway;
  const ua =
    gateway === 'barracuda'
      ? r.chance(0.6)
        ? SCANNER_UA.ie11
        : r.pick(SCANNER_UA.oldChrome)
      : gateway === 'proofpoint' && r.chance(0.4)
        ? r.pick(SCANNER_UA.scripted)
        : r.chance(0.8)
          ? r.pick(SCANNER_UA.oldChrome)
          : modernScannerUa(r);
  const delayed = r.chance(0.12);
  let t = msg.deliveredAt + (delayed ? r.between(3, 40) * MIN : r.between(0.5, 45) * S);
  if (pixel && r.chance(0.7)) {
    engage(msg, 'open', t, m(offList ? `${gateway}-render-offlist` : `${gateway}-render`, who, ua));
    t += r.between(0.3, 1.5) * S;
  }
  const single = gateway === 'barracuda' ? r.chance(0.6) : r.chance(0.2);
  const some = single ? [links[0]] : links;
  const head = r.chance(0.25);
  const kind = offList ? `${gateway}-offlist` : delayed ? `${gateway}-delayed` : `${gateway}-${single || links.length === 1 ? 'single-link' : 'all-links'}`;
  for (const url of some) {
    engage(msg, 'click', t, m(kind, who, ua, { url, method: head ? 'HEAD' : 'GET' }));
    t += r.between(0.1, 3) * S;
  }
  if (r.chance(0.15)) {
    engage(msg, 'click', t + r.between(1, 12) * HOUR, m(`${gateway}-recheck-later`, who, ua, { url: r.pick(links) }));
  }
}

/** The person: reads or not, opens (through whichever proxy their mailbox uses), clicks or not. */
function simulatePerson(r, engage, msg, person, links, c, step, variant) {
  const d = msg.deliveredAt;
  const h = (kind, who, ua, extra = {}) => ({ label: 'human', kind, who, ua, ...extra });
  const b2b = person.audience === 'b2b';
  // Reading delay: long-tailed; some read within minutes (at their desk when it lands), colleagues at one
  // company often in the same hour.
  let readAt;
  if (b2b && person.network === 'corpNat' && r.chance(0.35)) readAt = d + person.company.teamReadAt + r.between(0, 20) * MIN;
  else if (r.chance(0.07)) readAt = d + r.between(20, 240) * S;
  else readAt = d + Math.min(r.lognormal(2.5 * HOUR, 1.5), 6 * 24 * HOUR);

  let clicks;
  if (!c.pixel) {
    clicks = r.chance(c.clickRate[step]);
  } else {
    const opens = r.chance(c.openRate);
    if (!opens) return;
    if (!person.imagesBlocked) openEvent(r, engage, msg, person, readAt, h);
    clicks = r.chance(c.variants ? c.variants[variant] : c.clickGivenOpen);
  }
  // Transactional mail: people waiting for it click within seconds (the order link); a click is never a
  // machine for timing alone (SPEC, "Human or machine"; MetaCompliance's guide: seconds vs minutes).
  if (c.kind === 'transactional' && clicks && r.chance(0.2)) readAt = d + r.between(8, 60) * S;
  if (!clicks) return;

  const who = personWho(person);
  const choices = links.length > 2 ? links.slice(1, -1) : links; // people rarely click "view in browser" or preferences
  let t = readAt + r.between(4, 90) * S;
  const tabs = choices.length > 2 && r.chance(0.04); // ctrl-clicking several links into tabs within seconds
  const count = tabs ? r.int(3, Math.min(5, choices.length)) : r.chance(0.15) ? 2 : 1;
  const picked = tabs ? choices.slice(0, count) : Array.from({ length: count }, () => r.pick(choices));
  const kind = tabs
    ? 'person-tabs-burst'
    : OLD_BUILD.test(person.deviceUa)
      ? 'person-old-browser'
      : readAt - d < 5 * MIN
        ? 'person-fast-click'
        : `person-click-${person.network}`;
  for (const url of picked) {
    // Safe Links checks again at time of click, from Microsoft, a moment before the person's own request
    // (Safe Links documentation: "sometimes again at time of click").
    if (b2b && person.mailbox === 'm365' && r.chance(0.2)) {
      engage(msg, 'click', t - r.between(0.3, 2) * S, { label: 'machine', kind: 'safelinks-time-of-click', who: 'microsoft-eop', ua: undefined, url });
    }
    engage(msg, 'click', t, h(kind, who, person.deviceUa, { url }));
    // A scanner following the person's click from another network, 12 s later in resend-node #901.
    if (b2b && r.chance(0.05)) {
      engage(msg, 'click', t + r.between(5, 20) * S, { label: 'machine', kind: 'post-click-scan', who: 'hosting-unlisted', ua: modernScannerUa(r), url });
    }
    t += tabs ? r.between(0.5, 3) * S : r.between(20, 600) * S;
  }
  if (r.chance(0.08)) engage(msg, 'click', t + r.between(1, 48) * HOUR, h('person-click-again-later', who, person.deviceUa, { url: picked[0] }));
}

function openEvent(r, engage, msg, person, t, h) {
  const mb = person.mailbox;
  if (person.audience === 'consumer') {
    if (mb === 'gmail') engage(msg, 'open', t, h('gmail-proxy-open', 'google', UA.gmailProxy));
    else if (mb === 'yahoo') engage(msg, 'open', t, h('yahoo-proxy-open', 'yahoo', UA.yahooProxy));
    // Outlook.com on the web downloads images through Microsoft with the stripped WebKit agent (warmbly #569).
    else if (mb === 'outlookCom') engage(msg, 'open', t, h('outlook-proxy-open', 'microsoft-exo', UA.webkitStripped));
    else if (mb === 'other')
      engage(msg, 'open', t, h('direct-open', r.chance(0.5) ? 'residential' : 'mobile', r.pick([UA.thunderbird, UA.iosMail, browserUa(r, 'chromeWin')])));
    // Apple MPP readers: their own open is hidden behind the prefetch; nothing more is seen.
    // A second look hours later (Gmail serves its cached copy, so only the others show it).
    if ((mb === 'yahoo' || mb === 'outlookCom') && r.chance(0.2)) {
      engage(
        msg,
        'open',
        t + r.between(1, 30) * HOUR,
        h('reopen', mb === 'yahoo' ? 'yahoo' : 'microsoft-exo', mb === 'yahoo' ? UA.yahooProxy : UA.webkitStripped),
      );
    }
    return;
  }
  if (mb === 'workspace') engage(msg, 'open', t, h('gmail-proxy-open-workspace', 'google', UA.gmailProxy));
  else if (r.chance(0.4)) engage(msg, 'open', t, h('owa-proxy-open', 'microsoft-exo', UA.webkitStripped));
  else if (person.network === 'mobile') engage(msg, 'open', t, h('ios-mail-open', 'mobile', UA.iosMail));
  else engage(msg, 'open', t, h(`outlook-desktop-open-${person.network}`, personWho(person), UA.outlookDesktop));
}

function main() {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, out: { type: 'string' }, scale: { type: 'string', default: '1' } } });
  if (!values.out) throw new Error('usage: node bench/outside-sample.mjs --seed N --out DIR [--scale 1]');
  const s = buildSample(Number(values.seed), { scale: Number(values.scale) });
  writeSample(s, values.out);
  console.log(`${s.events.length} events, ${s.truth.filter((t) => t.label !== 'none').length} labelled opens and clicks → ${values.out}`);
}

/** Writes DIR/events.jsonl (sorted by time, as a tracker would log them) and DIR/truth.jsonl. */
export function writeSample(sample, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const sorted = [...sample.events].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  fs.writeFileSync(path.join(dir, 'events.jsonl'), sorted.map((e) => JSON.stringify(e)).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'truth.jsonl'), sample.truth.map((t) => JSON.stringify(t)).join('\n') + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
