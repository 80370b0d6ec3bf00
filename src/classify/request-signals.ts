// Signals of one request on its own (agent, address, method, provider flag, browser age, honeypot) and
// how a published range is read with timing and agent: the same for email and ads.
import type { BrowserReleases } from './browser-age.js';
import type { ClassifiableEvent } from './classifiable-event.js';
import type { ClassifierConfig } from './config.js';
import { isHoneypotUrl, type HoneypotMemory } from './honeypot.js';
import type { IpRangeTable } from './ip-ranges.js';
import { addProviderFlag } from './provider-flag.js';
import type { Score } from './reasons.js';
import { isAppleMailAgent, uaSignal } from './user-agent.js';

/** What a request's signals are read with besides the request. */
export interface RequestContext {
  config: ClassifierConfig;
  ranges: IpRangeTable;
  releases: BrowserReleases;
  honeypots: HoneypotMemory | null;
  /** Event time minus the message's delivery (or send); null for ads and messages without either. */
  dt: number | null;
}

export interface RequestFacts {
  /** From a cloud or mail-security range: where sandboxes run (the same-machine rule reads it). */
  hosted: boolean;
  /** The agent is an ordinary browser or mail client (not empty, scripted, a crawler or a proxy's). */
  client: boolean;
}

/**
 * A published range read with timing and agent. TRICKY: the range says who owns the address, not who is
 * behind it (shared ranges README). An open is judged with timing and agent: while gateways scan (within
 * `scanWindowMs` of delivery, or with no delivery known) or with an agent no person browses with, the
 * range decides; afterwards, with an ordinary agent, it is most often a person whose webmail fetches
 * images through Exchange Online, and weighs only a little. A click decides at any time: these are the
 * vendors' mail-flow and link-checking addresses, and their link protection checks a rewritten link again
 * at the moment a person clicks it, from the vendor's servers, before sending the person's own browser
 * on: Microsoft (Get-SafeLinksDetailReport reference: "when a user selects a link in a message, the URL
 * is temporarily rewritten and checked"), Mimecast ("How Does Targeted Threat Protection - URL Protect
 * Work?", community.mimecast.com DOC-1027: a check "is performed on the destination site when users
 * click on a link", then "users are redirected to the original destination"). People behind gateways and
 * browser isolation (Zscaler, Cisco Umbrella, Menlo) browse from those products' web-proxy addresses,
 * which are not in the mail-security list.
 */
function vendorSignal(e: ClassifiableEvent, owner: string, uaKind: string, ctx: RequestContext, s: Score): void {
  const late = ctx.dt !== null && ctx.dt >= ctx.config.scanWindowMs;
  if (late && uaKind === 'client' && e.type === 'open') s.add(`late-proxy-open:${owner}`, ctx.config.weights.lateProxyOpen);
  else s.add(`security-vendor-ip:${owner}`, ctx.config.weights.securityVendorIp);
}

export function requestSignals(e: ClassifiableEvent, ctx: RequestContext, s: Score): RequestFacts {
  const w = ctx.config.weights;
  const isOpen = e.type === 'open';
  addProviderFlag(e, w.providerFlag, s);
  if (e.type === 'click' && isHoneypotUrl(e.url)) s.add('honeypot', w.honeypot);
  else if (ctx.honeypots) {
    const learned = ctx.honeypots.match(e.ip, e.user_agent, e.ts);
    if (learned) s.add(`honeypot-learned:${learned}`, w.honeypotLearned);
  }
  const ua = uaSignal(e.user_agent);
  switch (ua.kind) {
    case 'apple-mpp':
      s.add(isOpen ? 'apple-mpp-proxy' : 'bare-ua', isOpen ? w.appleMppUa : w.bareUaClick);
      break;
    case 'image-proxy':
      // Image proxies fetch pixels, never links: on a click the UA is someone imitating one.
      if (isOpen) s.add(`human-image-proxy:${ua.name ?? 'image'}`, w.humanImageProxy);
      else s.add('crawler-ua', w.crawlerUa);
      break;
    case 'scripted':
      s.add(`scripted-ua:${ua.name ?? 'script'}`, w.scriptedUa);
      break;
    case 'crawler':
      s.add('crawler-ua', w.crawlerUa);
      break;
    case 'empty':
      s.add('empty-ua', w.emptyUa);
      break;
    case 'client': {
      const age = ctx.releases.age(e.user_agent, e.ts);
      if (age && age.outdatedDays > ctx.config.oldBrowserDays) {
        s.add(`old-browser:${age.browser.replaceAll(' ', '_')}-${age.major}-superseded-${Math.floor(age.outdatedDays / 30.44)}-months-earlier`, w.oldBrowser);
      }
      break;
    }
    default:
      break;
  }
  const m = ctx.ranges.lookup(e.ip);
  const vendor = m['mail-security'];
  const dc = m.datacenter;
  // A vendor range usually sits inside its owner's data-centre space; count the more specific one only.
  if (vendor) vendorSignal(e, vendor.owner, ua.kind, ctx, s);
  else if (dc) s.add(`datacenter-ip:${dc.owner}`, w.datacenterIp);
  const apple = m['apple-proxy'];
  // With the bare UA the proxy is already certain; the address is then shown, not counted twice. Apple
  // Mail's own agent from Apple's addresses is Mail fetching through the proxy (config.ts, appleMailProxy).
  if (apple && isOpen) {
    if (ua.kind === 'client' && isAppleMailAgent(e.user_agent)) s.add(`apple-mail-proxy:${apple.owner}`, w.appleMailProxy);
    else s.add(`apple-ip:${apple.owner}`, ua.kind === 'apple-mpp' ? 0 : w.appleIpOpen);
  }
  if (e.method === 'HEAD') s.add('head-request', w.headRequest);
  return { hosted: vendor !== undefined || dc !== undefined, client: ua.kind === 'client' };
}
