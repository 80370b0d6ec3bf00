// Deliverability warnings about a message's links, written for the person sending it: what and why.
// Heuristics, not rules: mailbox providers publish no thresholds, so every limit is a configurable default.

import { hostOf } from './href.js';

export interface LinkLintOptions {
  /** Warn above this many links. Configurable default 10: long link lists read as promotional/spammy. */
  maxLinks: number;
  /** Warn above this many distinct destination domains (default 4): many domains look like link farms. */
  maxDomains: number;
  /** Warn above this many distinct destinations (default 3): competing calls to action dilute clicks. */
  maxDestinations: number;
  /** Sequence steps up to this one count as cold first touches (default 2); 0 turns the check off. */
  coldSteps: number;
  /** Link-shortener hosts; shared shortener domains are widely blocklisted (Spamhaus DBL lists abused ones). */
  shorteners: readonly string[];
}

export const DEFAULT_LINK_LINT_OPTIONS: Readonly<LinkLintOptions> = Object.freeze({
  maxLinks: 10,
  maxDomains: 4,
  maxDestinations: 3,
  coldSteps: 2,
  shorteners: Object.freeze([
    'bit.ly',
    'bitly.com',
    'tinyurl.com',
    't.co',
    'goo.gl',
    'ow.ly',
    'is.gd',
    'buff.ly',
    'rebrand.ly',
    'cutt.ly',
    'shorturl.at',
    'rb.gy',
    't.ly',
    'tiny.cc',
    'bl.ink',
    'short.io',
    'lnkd.in',
    'v.gd',
    's.id',
  ]),
});

export interface LintLink {
  url: string;
  tracked: boolean;
}

export interface LinkLintInput {
  links: readonly LintLink[];
  /** Host of the tracking base URL, when links are tracked. */
  trackingHost?: string;
  /** Domain the mail is sent from (the From: address's domain, or the address itself). */
  senderDomain?: string;
  step?: number;
}

/**
 * Second-level suffixes under which the registrable domain has three labels. Not the full Public Suffix
 * List (publicsuffix.org) — enough for common senders; unknown ones fall back to the last two labels.
 */
const MULTI_LABEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'me.uk',
  'ltd.uk',
  'plc.uk',
  'net.uk',
  'com.au',
  'net.au',
  'org.au',
  'edu.au',
  'gov.au',
  'co.nz',
  'org.nz',
  'net.nz',
  'co.jp',
  'ne.jp',
  'or.jp',
  'ac.jp',
  'co.kr',
  'or.kr',
  'co.in',
  'net.in',
  'org.in',
  'co.za',
  'org.za',
  'com.br',
  'net.br',
  'org.br',
  'com.mx',
  'com.ar',
  'com.cn',
  'net.cn',
  'org.cn',
  'com.hk',
  'com.tw',
  'com.sg',
  'com.my',
  'co.id',
  'co.il',
  'com.tr',
  'com.ua',
  'co.th',
  'com.ph',
  'com.vn',
  'com.pl',
  'co.at',
]);

/**
 * Approximates the registrable domain ("eTLD+1") of a host.
 * TRICKY: "last two labels" alone would call mail.example.co.uk and tracker.other.co.uk the same domain
 * ("co.uk"), so known multi-label suffixes keep a third label.
 */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(h) || h.includes(':')) return h; // IP addresses have no registrable domain
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const lastTwo = labels.slice(-2).join('.');
  return MULTI_LABEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}

/** Same destination for the call-to-action count: ignore fragment, UTM tags and a trailing slash. */
function destinationKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    for (const name of [...u.searchParams.keys()]) if (name.startsWith('utm_')) u.searchParams.delete(name);
    return u.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Warnings (plain sentences) about the links of one message; empty when nothing stands out. */
export function lintLinks(input: LinkLintInput, overrides: Partial<LinkLintOptions> = {}): string[] {
  const opt: LinkLintOptions = { ...DEFAULT_LINK_LINT_OPTIONS, ...overrides };
  const warnings: string[] = [];
  const web = input.links.filter((l) => hostOf(l.url) !== undefined && /^https?:/i.test(l.url));
  const hosts = web.map((l) => hostOf(l.url) ?? '');

  if (input.links.length > opt.maxLinks) {
    warnings.push(
      `This message has ${input.links.length} links (more than ${opt.maxLinks}); spam filters treat link-heavy mail as promotional, so fewer links tend to land better.`,
    );
  }
  const domains = new Set(hosts.map(registrableDomain));
  if (domains.size > opt.maxDomains) {
    warnings.push(
      `Links point to ${domains.size} different domains (${[...domains].slice(0, 6).join(', ')}); mail linking to many unrelated domains looks like a link farm to filters.`,
    );
  }
  const shortened = [...new Set(hosts.filter((h) => opt.shorteners.some((s) => h === s || h.endsWith(`.${s}`))))];
  if (shortened.length > 0) {
    warnings.push(
      `Links use URL shorteners (${shortened.join(', ')}); shortener domains are shared with spammers and often blocklisted, and they hide where the link goes. Link to the full URL instead.`,
    );
  }
  const destinations = new Set(web.map((l) => destinationKey(l.url)));
  if (destinations.size > opt.maxDestinations) {
    warnings.push(
      `There are ${destinations.size} different link destinations (more than ${opt.maxDestinations}); competing calls to action split attention, so each one gets fewer clicks.`,
    );
  }
  const tracked = input.links.filter((l) => l.tracked).length;
  if (input.trackingHost !== undefined && tracked > 0) {
    const host = input.trackingHost.toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || /^127\.|^\[?::1\]?$|^0\.0\.0\.0$/.test(host)) {
      warnings.push(`Tracked links point at ${host}, which recipients cannot reach; set --base-url (or CLICKRATE_BASE_URL) to your public tracking address.`);
    } else if (input.senderDomain !== undefined && input.senderDomain !== '') {
      // Accept a whole From: address too ("news@example.com").
      const sender = registrableDomain(input.senderDomain.replace(/^.*@/, ''));
      const tracking = registrableDomain(host);
      if (sender !== tracking) {
        warnings.push(
          `Tracked links go through ${host} but the mail is sent from ${input.senderDomain}; a link domain that doesn't match the sender is a common spam signal. Use a tracking subdomain of ${sender} (for example a CNAME like click.${sender}).`,
        );
      }
    }
  }
  if (input.step !== undefined && opt.coldSteps > 0 && input.step <= opt.coldSteps && tracked > 0) {
    warnings.push(
      `Step ${input.step} of a sequence has ${tracked} tracked link${tracked === 1 ? '' : 's'}; in cold outreach, redirected links in the first ${opt.coldSteps} emails hurt inbox placement. Consider turning click tracking off for early steps and measuring replies instead.`,
    );
  }
  return warnings;
}
