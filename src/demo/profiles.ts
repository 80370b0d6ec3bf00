// Who is on the other end of a send: mailbox providers, devices, user agents and address ranges of
// people, image proxies, Apple's prefetcher and mail-security scanners, for the traffic simulator.
import { createRng, hashString, type Rng } from './rng.js';

export type Provider = 'gmail' | 'outlook' | 'yahoo' | 'icloud' | 'business' | 'other';

/** Consumer mailbox domains per provider; business domains are listed with their scanner below. */
export const PROVIDER_DOMAINS: Record<Exclude<Provider, 'business'>, readonly string[]> = {
  gmail: ['gmail.com', 'googlemail.com'],
  outlook: ['outlook.com', 'hotmail.com', 'live.com'],
  yahoo: ['yahoo.com', 'ymail.com'],
  icloud: ['icloud.com', 'me.com', 'mac.com'],
  other: ['gmx.de', 'proton.me', 'comcast.net', 'web.de', 'orange.fr', 'aol.com'],
};

/** A B2C list's mailbox mix, roughly in line with published market-share figures (Litmus, 2024). */
export const CONSUMER_MIX: readonly (readonly [Provider, number])[] = [
  ['gmail', 0.4],
  ['outlook', 0.13],
  ['yahoo', 0.07],
  ['icloud', 0.12],
  ['business', 0.2],
  ['other', 0.08],
];

/** A B2B prospect list: mostly company domains, which is where the mail-security scanners sit. */
export const B2B_MIX: readonly (readonly [Provider, number])[] = [
  ['business', 0.82],
  ['gmail', 0.1],
  ['outlook', 0.04],
  ['icloud', 0.04],
];

export type ScannerVendor = 'microsoft' | 'proofpoint' | 'mimecast' | 'barracuda' | 'cisco';

/** Business domains and the mail-security gateway in front of each (null: none, mail arrives as sent). */
export const BUSINESS_DOMAINS: readonly (readonly [string, ScannerVendor | null])[] = [
  ['acme-corp.com', 'microsoft'],
  ['globex.com', 'proofpoint'],
  ['initech.com', 'microsoft'],
  ['umbrella-corp.com', 'mimecast'],
  ['hooli.com', null],
  ['stark-industries.com', 'proofpoint'],
  ['wayne-enterprises.com', 'barracuda'],
  ['soylent.co', 'cisco'],
  ['vandelay.io', null],
  ['piedpiper.dev', 'microsoft'],
  ['cyberdyne.net', 'mimecast'],
  ['tyrell-corp.com', 'microsoft'],
  ['wonka-industries.com', 'proofpoint'],
  ['dundermifflin.com', null],
  ['oscorp.com', 'microsoft'],
  ['massive-dynamic.com', 'cisco'],
];

const octet = (rng: Rng) => rng.int(1, 254);

/** Apple's MPP proxy: 17.0.0.0/8 is Apple's; a few fetches egress like iCloud Private Relay (104.28.x). */
export function appleProxyIp(rng: Rng): string {
  if (rng.bernoulli(0.08)) return `104.28.${rng.int(0, 255)}.${octet(rng)}`;
  return `17.${rng.int(0, 255)}.${rng.int(0, 255)}.${octet(rng)}`;
}

/** Google's image proxy (ggpht.com) fetches from Google ranges such as 66.249.x and 74.125.x. */
export function gmailProxyIp(rng: Rng): string {
  return rng.bernoulli(0.6) ? `66.249.${rng.int(80, 95)}.${octet(rng)}` : `74.125.${rng.int(208, 215)}.${octet(rng)}`;
}

/** Yahoo's image proxy (YahooMailProxy) fetches from Yahoo/Oath ranges. */
export function yahooProxyIp(rng: Rng): string {
  return `98.137.${rng.int(0, 255)}.${octet(rng)}`;
}

// Residential and mobile-carrier first octets (Comcast 73/24/98, Charter 71/97, BT 86, Deutsche Telekom
// 79/91, Orange 90/2, T-Mobile US 172.56, Verizon Wireless 174.2xx). Never CGNAT or private space.
const HOME_PREFIXES = ['73', '24', '98', '71', '97', '86', '79', '91', '90', '2', '82', '92', '109', '176'];
const MOBILE_PREFIXES = ['172.56', '172.58', '174.205', '174.226', '107.77', '100.1'];
// Corporate egress: companies' own blocks, neither data-center nor residential.
const CORPORATE_PREFIXES = ['12.', '63.', '64.', '65.', '192.41.', '199.47.'];

export function homeIp(rng: Rng): string {
  return `${rng.pick(HOME_PREFIXES)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${octet(rng)}`;
}
export function mobileIp(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}.${rng.int(0, 255)}.${octet(rng)}`;
}
export function corporateIp(rng: Rng): string {
  const p = rng.pick(CORPORATE_PREFIXES);
  const rest = p.split('.').length === 2 ? 3 : 2; // '12.' needs three more octets, '192.41.' two
  const parts: number[] = [];
  for (let i = 0; i < rest; i++) parts.push(i === rest - 1 ? octet(rng) : rng.int(0, 255));
  return p + parts.join('.');
}

/**
 * Exchange Online's published ranges (40.96.0.0/13, 52.96.0.0/14): Outlook on the web and Outlook.com
 * fetch a message's images from here when the person opens it.
 */
export function exchangeOnlineIp(rng: Rng): string {
  return rng.bernoulli(0.5) ? `40.${rng.int(96, 103)}.${rng.int(0, 255)}.${octet(rng)}` : `52.${rng.int(96, 99)}.${rng.int(0, 255)}.${octet(rng)}`;
}

/** A cloud desktop's egress (Windows 365 / Azure Virtual Desktop in Azure's 20.40.0.0/13), fixed per person. */
export function cloudDesktopIp(index: number): string {
  return `20.${40 + (index % 8)}.${(index >>> 3) % 256}.${(index % 250) + 1}`;
}

/**
 * An organisation's one egress address and managed browser build (the same Edge or Chrome on every
 * desktop): colleagues behind its NAT share both, as one client would.
 */
export function officeEgress(domain: string): { ip: string; ua: string } {
  const r = createRng(hashString(`office ${domain}`));
  return { ip: corporateIp(r), ua: r.pick([DESKTOP_UAS[0] as string, DESKTOP_UAS[1] as string]) };
}

/** Hosting no published list holds (small providers' and scanners' new pools). */
export function unlistedHostIp(rng: Rng): string {
  return `${rng.pick(['193.29', '194.87', '185.117', '91.132'])}.${rng.int(0, 255)}.${octet(rng)}`;
}

/**
 * Agents of opens through Outlook's servers: the stripped WebKit agent its image proxy was seen sending
 * when a person downloaded images (warmbly's pull request 569), and the reader's own browser (Outlook on the web).
 */
export const WEBMAIL_UAS: readonly string[] = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
];

/** Browsers years old, as scanners' headless builds often are (Chrome 100–112, 2022–2023). */
export const OLD_SCANNER_UAS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.4896.127 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Safari/537.36',
];

export const APPLE_MPP_UA = 'Mozilla/5.0';
export const GMAIL_PROXY_UA = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
export const YAHOO_PROXY_UA = 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html';

export const DESKTOP_UAS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
];
export const MOBILE_UAS: readonly string[] = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.118 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 327.0.0.0',
];
const DAY_MS = 86_400_000;
// Chrome 124 and Firefox 125 both shipped on 2024-04-16; both ship a new major every 4 weeks (Chromium
// "release_cycle_new.md", Mozilla's release calendar). Safari ships one major a year in September
// (17 in 2023, 18 in 2024, then 26 in 2025).
const CADENCE_ANCHOR = Date.UTC(2024, 3, 16);
const chromeAt = (t: number) => 124 + Math.floor((t - CADENCE_ANCHOR) / (28 * DAY_MS));
const firefoxAt = (t: number) => 125 + Math.floor((t - CADENCE_ANCHOR) / (28 * DAY_MS));
function safariAt(t: number): number {
  const y = new Date(t).getUTCFullYear() - (new Date(t).getUTCMonth() < 8 ? 1 : 0); // majors ship in September
  return y <= 2024 ? y - 2006 : y + 1;
}

/**
 * A browser agent as it reads at `t` for someone `lag` majors (Safari: years) behind the current release.
 * People's browsers update themselves: most are on the current major or one behind. The fixed strings
 * above are the shapes; this puts their version numbers where they stood on the day.
 */
export function agentAt(ua: string, t: number, lag: number): string {
  const chrome = Math.max(1, chromeAt(t) - lag);
  const firefox = Math.max(1, firefoxAt(t) - lag);
  return ua
    .replace(/\b(Chrome|CriOS)\/\d+[.\d]*/, `$1/${chrome}.0.0.0`)
    .replace(/\bEdg\/\d+[.\d]*/, `Edg/${chrome}.0.0.0`)
    .replace(/\bFirefox\/\d+\.0/, `Firefox/${firefox}.0`)
    .replace(/\brv:\d+\.0\) Gecko\/20100101 Firefox/, `rv:${firefox}.0) Gecko/20100101 Firefox`)
    .replace(/\bVersion\/\d+[.\d]*/, `Version/${Math.max(1, safariAt(t) - Math.min(lag, 2))}.0`);
}

/**
 * How far a person's browser lags, from their index (no random draw, so adding it changed no other
 * draw): 70% current, 20% one major behind, 8% two or three, 2% on an old device or an extended-support
 * release a year or more behind (Firefox ESR, iPhones that no longer update).
 */
export function agentLag(index: number): number {
  const u = (((index * 2654435761) >>> 0) % 1000) / 1000;
  if (u < 0.7) return 0;
  if (u < 0.9) return 1;
  if (u < 0.98) return 2 + (index % 2);
  return 14 + (index % 10);
}

/** Mail clients that fetch the pixel themselves (no proxy): Outlook desktop, Apple Mail with MPP off, Thunderbird. */
export const MAIL_CLIENT_UAS: readonly string[] = [
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.10.1',
];

/** How each gateway's link checks look on the wire (vendor docs and observed tracking logs). */
export interface ScannerProfile {
  ip(rng: Rng): string;
  userAgents: readonly string[];
  /** Share of link checks made with HEAD before (or instead of) a GET. */
  headShare: number;
  /** Share of messages whose links the gateway checks again hours later. */
  recheckShare: number;
  /** Share of messages whose tracking pixel the gateway also fetches. */
  pixelShare: number;
}

export const SCANNERS: Record<ScannerVendor, ScannerProfile> = {
  // Microsoft Defender Safe Links detonates URLs from Azure ranges with a browser-like UA (Microsoft Learn,
  // "Safe Links in Microsoft Defender for Office 365"), so the UA alone gives nothing away.
  microsoft: {
    ip: (rng) => {
      const r = rng.next();
      if (r < 0.5) return `40.94.${rng.int(0, 255)}.${octet(rng)}`;
      if (r < 0.8) return `52.${rng.int(96, 111)}.${rng.int(0, 255)}.${octet(rng)}`;
      return `13.${rng.int(64, 107)}.${rng.int(0, 255)}.${octet(rng)}`; // published Microsoft space only
    },
    userAgents: [DESKTOP_UAS[0] as string, DESKTOP_UAS[1] as string],
    headShare: 0.05,
    recheckShare: 0.25,
    pixelShare: 0.3,
  },
  // Proofpoint URL Defense / TAP sandboxing: 148.163.128.0/19 (Proofpoint's published range), mixes scripted clients and HEAD probes.
  proofpoint: {
    ip: (rng) => `148.163.${rng.int(128, 159)}.${octet(rng)}`,
    userAgents: ['python-requests/2.31.0', 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', DESKTOP_UAS[0] as string],
    headShare: 0.5,
    recheckShare: 0.15,
    pixelShare: 0.2,
  },
  // Mimecast URL Protect: 205.139.110.0/24 and 207.211.30.0/23 (Mimecast's published US ranges).
  mimecast: {
    ip: (rng) => (rng.bernoulli(0.5) ? `205.139.110.${octet(rng)}` : `207.211.${rng.int(30, 31)}.${octet(rng)}`),
    userAgents: [
      'Apache-HttpClient/4.5.13 (Java/11.0.16)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    ],
    headShare: 0.3,
    recheckShare: 0.1,
    pixelShare: 0.5,
  },
  // Barracuda Link Protection: 209.222.80.0/21.
  barracuda: {
    ip: (rng) => `209.222.${rng.int(80, 87)}.${octet(rng)}`,
    userAgents: ['curl/7.81.0', 'Go-http-client/1.1'],
    headShare: 0.7,
    recheckShare: 0.05,
    pixelShare: 0.1,
  },
  // Cisco Secure Email (IronPort) URL filtering: 68.232.128.0/19.
  cisco: {
    ip: (rng) => `68.232.${rng.int(128, 159)}.${octet(rng)}`,
    userAgents: [DESKTOP_UAS[4] as string, 'Java/1.8.0_292'],
    headShare: 0.4,
    recheckShare: 0.2,
    pixelShare: 0.15,
  },
};

/** Ad-click crawlers: link checkers, SEO spiders and scripts, all recognisable to `isbot`. */
export const CRAWLER_UAS: readonly string[] = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'AdsBot-Google (+http://www.google.com/adsbot.html)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'python-requests/2.31.0',
  'curl/8.4.0',
];
/** Data-center addresses crawlers come from (Google, AWS, Hetzner, OVH, DigitalOcean). */
export function crawlerIp(rng: Rng): string {
  const p = rng.pick(['66.249', '3.21', '54.36', '95.216', '51.15', '164.92', '5.255']);
  return `${p}.${rng.int(0, 255)}.${octet(rng)}`;
}
