// Machine traffic on a delivered email: Apple Mail Privacy Protection prefetching the pixel, and mail-
// security gateways clicking every link right after delivery. Everything here is labelled 'machine'.
import { APPLE_MPP_UA, OLD_SCANNER_UAS, SCANNERS, appleProxyIp, unlistedHostIp } from './profiles.js';
import { indexDraw, simBehaviour } from './sim-behaviour.js';
import type { Person } from './recipients.js';
import { createRng, hashString, type Rng } from './rng.js';
import type { SimEvent, TruthLabel } from './sim-types.js';
import type { EventType } from '../events/event.js';

/** Adds one event of the current message at epoch ms `t` (the message id is filled in by the caller). */
export type Emit = (t: number, type: EventType, fields: Omit<Partial<SimEvent>, 'id' | 'type' | 'ts'>, truth?: TruthLabel) => void;

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

const MPP: TruthLabel = { actor: 'machine', kind: 'apple-mpp' };
const BURST: TruthLabel = { actor: 'machine', kind: 'scanner-burst' };
const HEAD: TruthLabel = { actor: 'machine', kind: 'scanner-head' };
const RECHECK: TruthLabel = { actor: 'machine', kind: 'scanner-recheck' };
const PIXEL: TruthLabel = { actor: 'machine', kind: 'scanner-pixel' };

/**
 * Apple MPP downloads remote content "when you receive an email, rather than when you view it"
 * (Apple, "Use Mail Privacy Protection on Mac", support.apple.com/guide/mail/mlhl03be2866). The fetch
 * comes through Apple's proxy with a bare `Mozilla/5.0` user agent, minutes to hours after delivery
 * (later when the device is asleep or offline), whether or not the person ever reads the message.
 */
export function appleMppFetch(rng: Rng, person: Person, deliveredAt: number, emit: Emit): void {
  const delay = Math.min(6 * HOUR, Math.max(20 * SEC, rng.lognormal(12 * MIN, 1.3)));
  // Some senders saw prefetches with Apple Mail's own agent (shared signals README); a knob, off by default.
  const ua = indexDraw(person.index, 4) < simBehaviour().mppMailAgentShare ? APPLE_MAIL_UA : APPLE_MPP_UA;
  emit(deliveredAt + delay, 'open', { ip: appleProxyIp(rng), user_agent: ua, method: 'GET' }, MPP);
  // Now and then the proxy fetches again (another device of the same Apple ID syncing the mailbox).
  if (rng.bernoulli(0.06)) {
    emit(deliveredAt + delay + rng.uniform(10 * MIN, 20 * HOUR), 'open', { ip: appleProxyIp(rng), user_agent: ua, method: 'GET' }, MPP);
  }
}

/** Apple Mail's own agent on a Mac: WebKit with no Safari token. */
const APPLE_MAIL_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';

/** One address of a gateway's pool for an organisation, with the agents its tooling sends from there. */
interface PoolMember {
  ip: string;
  ua: string;
  singleUa: string;
}

/**
 * Member `k` of the pool `vendor` scans `domain`'s mail from (`scannerPoolAddresses`): the same address
 * and agents every time, drawn from a generator of its own so the pool adds no draw to the simulation.
 */
function poolMember(domain: string, vendor: keyof typeof SCANNERS, unlisted: boolean, k: number): PoolMember {
  const r = createRng(hashString(`${domain} ${vendor} ${unlisted ? 'unlisted' : 'listed'} ${k}`));
  const profile = SCANNERS[vendor];
  const ip = unlisted ? unlistedHostIp(r) : profile.ip(r);
  const ua = r.pick(profile.userAgents);
  return { ip, ua, singleUa: r.bernoulli(0.8) ? r.pick(OLD_SCANNER_UAS) : r.pick(SCANNERS.microsoft.userAgents) };
}

/**
 * A mail-security gateway scanning one inbound message. Microsoft Defender Safe Links, Proofpoint URL
 * Defense, Mimecast URL Protect and Barracuda Link Protection follow every URL of a message before or
 * just after it lands in the inbox (vendor docs; widely reported by ESPs, e.g. SendGrid's "bot clicks").
 * The pattern: within 0–30 s of delivery, every link in a burst of a few seconds, from the vendor's data
 * centres; some probe with HEAD; some fetch the pixel; some come back hours later to re-check.
 */
export function scannerPass(rng: Rng, person: Person, links: readonly string[], deliveredAt: number, emit: Emit): void {
  if (person.scanner === null) return;
  const vendor = person.scanner;
  const profile = SCANNERS[vendor];
  const b = simBehaviour();
  const drawnUa = rng.pick(profile.userAgents);
  const unlisted = b.unlistedScannerShare > 0 && rng.bernoulli(b.unlistedScannerShare);
  const drawnIp = unlisted ? unlistedHostIp(rng) : profile.ip(rng);
  // A pool: the organisation's scans come from a few addresses, each with its fixed tooling (knob).
  const n = b.scannerPoolAddresses;
  const member = (j: number, fromUnlisted: boolean) => poolMember(person.address.split('@')[1] ?? '', vendor, fromUnlisted, j % n);
  const k = n > 0 ? Math.floor(indexDraw(person.index ^ (deliveredAt % 65_536), 5) * n) : 0;
  const pool = n > 0 ? member(k, unlisted) : null;
  const ip = pool?.ip ?? drawnIp;
  const ua = pool?.ua ?? drawnUa;
  // TRICKY: with the default delay the whole burst ends within 30 s of delivery (SPEC.md's scanner signal
  // and this module's tests). Start within 22 s and squeeze the per-link gap so n links take at most ~7 s.
  const start = deliveredAt + rng.uniform(0.3 * SEC, b.scannerDelayMaxMs);
  if (links.length > 0 && b.singleLinkShare > 0 && rng.bernoulli(b.singleLinkShare)) {
    const single = unlisted ? ip : profile.ip(rng);
    singleLinkScan(rng, links, start, pool?.ip ?? single, pool?.singleUa ?? null, emit);
    return;
  }
  const maxGap = Math.min(1.2 * SEC, (6 * SEC) / Math.max(1, links.length));
  if (rng.bernoulli(profile.pixelShare)) emit(start, 'open', { ip, user_agent: ua, method: 'GET' }, PIXEL);
  // Other sandbox hosts and re-checks come from the vendor's published space, as without a pool. The
  // address is drawn either way, so a pool changes the addresses and nothing else of the simulation.
  const other = () => {
    const drawn = profile.ip(rng);
    return pool ? member(k + 1, false).ip : drawn;
  };
  burst(rng, profile.headShare, links, start, maxGap, ua, emit, BURST, HEAD, () => (rng.bernoulli(0.3) ? other() : ip));

  if (links.length > 0 && rng.bernoulli(profile.recheckShare)) {
    // Re-checks use a fresh sandbox: new address, same tooling, always GET.
    const again = start + rng.uniform(1 * HOUR, 26 * HOUR);
    const rip = other();
    burst(rng, 0, links, again, maxGap, ua, emit, RECHECK, RECHECK, () => rip);
  }
}

/**
 * A scanner that renders the message and follows one link: the pixel, then one link a fraction of a
 * second later from the same address, mostly with a browser years old (shared signals README, "scanners
 * in general"; Mautic's tracker, report 16263, on gateways fetching at delivery).
 */
function singleLinkScan(rng: Rng, links: readonly string[], start: number, ip: string, poolUa: string | null, emit: Emit): void {
  const drawn = rng.bernoulli(0.8) ? rng.pick(OLD_SCANNER_UAS) : rng.pick(SCANNERS.microsoft.userAgents);
  const ua = poolUa ?? drawn;
  emit(start, 'open', { ip, user_agent: ua, method: 'GET' }, PIXEL);
  emit(start + rng.uniform(150, 1000), 'click', { url: rng.pick(links), ip, user_agent: ua, method: 'GET' }, BURST);
}

function burst(
  rng: Rng,
  headShare: number,
  links: readonly string[],
  start: number,
  maxGap: number,
  ua: string,
  emit: Emit,
  getLabel: TruthLabel,
  headLabel: TruthLabel,
  nextIp: () => string,
): void {
  let t = start;
  let first = true;
  for (const url of links) {
    t += first ? 0 : rng.uniform(0.05 * SEC, maxGap);
    first = false;
    // Some gateways spread one message's links across several sandbox hosts.
    const linkIp = nextIp();
    if (rng.bernoulli(headShare)) {
      emit(t, 'click', { url, ip: linkIp, user_agent: ua, method: 'HEAD' }, headLabel);
      // Half the HEAD probes are followed by a real GET of the same link a moment later.
      if (rng.bernoulli(0.5)) emit(t + rng.uniform(80, 600), 'click', { url, ip: linkIp, user_agent: ua, method: 'GET' }, getLabel);
    } else {
      emit(t, 'click', { url, ip: linkIp, user_agent: ua, method: 'GET' }, getLabel);
    }
  }
}
