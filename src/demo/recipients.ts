// Builds simulated recipients: an address at a mailbox provider, the mail client and device they read
// on, whether Apple Mail Privacy Protection or a security gateway sits in front of them, and their IPs.
import {
  BUSINESS_DOMAINS,
  CONSUMER_MIX,
  DESKTOP_UAS,
  MAIL_CLIENT_UAS,
  MOBILE_UAS,
  PROVIDER_DOMAINS,
  corporateIp,
  homeIp,
  type Provider,
  type ScannerVendor,
} from './profiles.js';
import type { Rng } from './rng.js';
import type { MixEntry } from './sim-types.js';

/** How the person's opens reach the tracking pixel. */
type OpenPath = 'apple-mpp' | 'gmail-proxy' | 'yahoo-proxy' | 'client' | 'blocked';

export interface Person {
  index: number;
  address: string;
  provider: Provider;
  /** The gateway scanning this mailbox's inbound mail, if any. */
  scanner: ScannerVendor | null;
  openPath: OpenPath;
  mobile: boolean;
  /** UA of the mail client when it fetches images itself (openPath 'client'). */
  mailUa: string;
  /** UA of the browser their clicks open in. */
  browserUa: string;
  /** Where their desktop traffic comes from (home broadband or the office egress). */
  fixedIp: string;
  /** Individual propensity to engage, around 1. */
  propensity: number;
  /** The address hard-bounces (does not exist, mailbox full for good). */
  invalid: boolean;
}

const FIRST = [
  'maria',
  'james',
  'li',
  'fatima',
  'noah',
  'sofia',
  'lucas',
  'amara',
  'kenji',
  'olga',
  'diego',
  'emma',
  'omar',
  'priya',
  'jonas',
  'chloe',
  'ivan',
  'zoe',
  'ahmed',
  'hana',
];
const LAST = [
  'garcia',
  'smith',
  'chen',
  'khan',
  'muller',
  'rossi',
  'silva',
  'okafor',
  'tanaka',
  'novak',
  'lopez',
  'brown',
  'haddad',
  'patel',
  'berg',
  'martin',
  'petrov',
  'kim',
  'nasser',
  'sato',
];

// Share of each provider's users who read in Apple Mail with Privacy Protection on. iCloud users mostly
// do; Apple Mail's share of opens across all providers is ~45–55% (Litmus Email Client Market Share).
const APPLE_SHARE: Record<Provider, number> = { icloud: 0.92, gmail: 0.3, outlook: 0.25, yahoo: 0.3, business: 0.18, other: 0.25 };
// Images off by default or by choice: Outlook desktop in companies blocks external images unless the
// sender is trusted, so business readers often click without any recorded open.
const BLOCKED_SHARE: Record<Provider, number> = { icloud: 0, gmail: 0.03, outlook: 0.1, yahoo: 0.05, business: 0.2, other: 0.06 };

export function makePerson(index: number, rng: Rng, mix: readonly MixEntry[] = CONSUMER_MIX, bounceRate = 0.02): Person {
  const provider = rng.weighted(mix);
  let domain: string;
  let scanner: ScannerVendor | null = null;
  if (provider === 'business') {
    const [d, s] = rng.pick(BUSINESS_DOMAINS);
    domain = d;
    scanner = s;
  } else {
    domain = rng.pick(PROVIDER_DOMAINS[provider]);
  }
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  // The index keeps addresses unique however many recipients share a name.
  const address = provider === 'business' ? `${first}.${last}${index}@${domain}` : `${first}${last}${index}@${domain}`;

  const mobile = rng.bernoulli(provider === 'business' ? 0.3 : 0.58);
  let openPath: OpenPath;
  if (rng.bernoulli(APPLE_SHARE[provider])) openPath = 'apple-mpp';
  else if (rng.bernoulli(BLOCKED_SHARE[provider])) openPath = 'blocked';
  // Gmail's own apps and web proxy every image (Google Workspace Updates, "Images now showing", 2013).
  else if (provider === 'gmail') openPath = 'gmail-proxy';
  else if (provider === 'yahoo') openPath = rng.bernoulli(0.75) ? 'yahoo-proxy' : 'client';
  else openPath = 'client';

  const browserUa = openPath === 'apple-mpp' && mobile ? (MOBILE_UAS[0] as string) : rng.pick(mobile ? MOBILE_UAS : DESKTOP_UAS);
  const mailUa = mobile ? browserUa : provider === 'business' || provider === 'outlook' ? (MAIL_CLIENT_UAS[0] as string) : rng.pick(MAIL_CLIENT_UAS);
  return {
    index,
    address,
    provider,
    scanner,
    openPath,
    mobile,
    mailUa,
    browserUa,
    fixedIp: provider === 'business' ? corporateIp(rng) : homeIp(rng),
    propensity: Math.min(3, rng.lognormal(1, 0.45)),
    invalid: rng.bernoulli(bounceRate),
  };
}
