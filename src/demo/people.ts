// What a person does with one delivered email: read it (after minutes to days), click a link or two,
// reply, unsubscribe, complain or buy. Every open and click here is labelled 'human'.
import {
  GMAIL_PROXY_UA,
  WEBMAIL_UAS,
  YAHOO_PROXY_UA,
  agentAt,
  agentLag,
  cloudDesktopIp,
  exchangeOnlineIp,
  gmailProxyIp,
  mobileIp,
  officeEgress,
  yahooProxyIp,
} from './profiles.js';
import { indexDraw, simBehaviour } from './sim-behaviour.js';
import type { Emit } from './machines.js';
import type { Person } from './recipients.js';
import type { Rng } from './rng.js';
import type { TruthKind, TruthLabel } from './sim-types.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The true behaviour one message invites from its reader. */
export interface HumanPlan {
  openRate: number;
  clickRate: number;
  replyRate: number;
  links: readonly string[];
  linkWeights: readonly (readonly [string, number])[];
  unsubscribeRate: number;
  complaintRate: number;
  conversion: { rate: number; medianValue: number } | null;
  openDelayMedianMs: number;
  /** Segment engagement multiplier. */
  engagement: number;
}

export interface HumanOutcome {
  replied: boolean;
  unsubscribed: boolean;
  complained: boolean;
}

const label = (kind: TruthKind): TruthLabel => ({ actor: 'human', kind });
const PERSON = label('person');
const FAST = label('person-fast');
const GMAIL = label('gmail-proxy');
const YAHOO = label('yahoo-proxy');

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function personActs(rng: Rng, person: Person, plan: HumanPlan, deliveredAt: number, emit: Emit): HumanOutcome {
  const out: HumanOutcome = { replied: false, unsubscribed: false, complained: false };
  const lift = plan.engagement * person.propensity;
  const lag = agentLag(person.index);
  const b = simBehaviour();
  // Outlook.com and Microsoft 365 readers on the web; business readers on cloud desktops (sim-behaviour.ts).
  const microsoftMail = person.provider === 'outlook' || person.scanner === 'microsoft';
  const webmail = microsoftMail && person.openPath === 'client' && indexDraw(person.index, 1) < b.webmailProxyShare;
  const cloud = person.provider === 'business' && indexDraw(person.index, 2) < b.cloudDesktopShare;
  // Behind the office NAT with the managed browser build: one address and agent for many colleagues.
  const office =
    !cloud && person.provider === 'business' && indexDraw(person.index, 3) < b.officeNatShare ? officeEgress(person.address.split('@')[1] ?? '') : null;
  const desktopIp = cloud ? cloudDesktopIp(person.index) : (office?.ip ?? person.fixedIp);
  const browserAt = (t: number) => (office && !person.mobile ? agentAt(office.ua, t, 0) : agentAt(person.browserUa, t, lag));
  // Complaints come from people who never meant to subscribe, read or not (a day or so later).
  if (rng.bernoulli(plan.complaintRate)) {
    emit(deliveredAt + clamp(rng.lognormal(20 * HOUR, 1), 5 * MIN, 6 * DAY), 'complaint', {});
    out.complained = true;
    return out;
  }
  const replies = plan.replyRate > 0 && rng.bernoulli(Math.min(0.9, plan.replyRate * lift));
  // TRICKY: a reply means the message was read, so replying forces a read; otherwise the drawn reply
  // rate would be capped by the open rate and replies to un-opened messages would look impossible.
  const reads = replies || rng.bernoulli(Math.min(0.95, plan.openRate * lift));
  if (!reads) return out;

  // A few people are at their inbox when the message lands: open and click within a minute. They are
  // exactly what a timing-only bot rule would wrongly drop (SPEC.md: never machine for timing alone).
  const fast = rng.bernoulli(0.015);
  const readAt = fast ? deliveredAt + rng.uniform(4 * SEC, 35 * SEC) : deliveredAt + clamp(rng.lognormal(plan.openDelayMedianMs, 1.6), 45 * SEC, 10 * DAY);

  // The pixel: what the tracking server sees of the read depends on the mail client.
  // Only the first, within-a-minute read and click are 'person-fast'; later re-reads are ordinary.
  const pixel = (t: number, quick: boolean) => {
    switch (person.openPath) {
      case 'gmail-proxy':
        emit(t, 'open', { ip: gmailProxyIp(rng), user_agent: GMAIL_PROXY_UA, method: 'GET' }, quick ? FAST : GMAIL);
        break;
      case 'yahoo-proxy':
        emit(t, 'open', { ip: yahooProxyIp(rng), user_agent: YAHOO_PROXY_UA, method: 'GET' }, quick ? FAST : YAHOO);
        break;
      case 'client':
        if (webmail) {
          emit(
            t,
            'open',
            { ip: exchangeOnlineIp(rng), user_agent: agentAt(WEBMAIL_UAS[person.index % 2] as string, t, lag), method: 'GET' },
            quick ? FAST : PERSON,
          );
          break;
        }
        emit(t, 'open', { ip: person.mobile ? mobileIp(rng) : desktopIp, user_agent: agentAt(person.mailUa, t, lag), method: 'GET' }, quick ? FAST : PERSON);
        break;
      // 'apple-mpp': the proxy already fetched and cached the image, the read itself is invisible.
      // 'blocked': images off, the read is invisible.
      default:
        break;
    }
  };
  pixel(readAt, fast);
  // Re-reads. Gmail's proxy caches the image, so most of its re-reads never reach the server.
  const rereads = rng.geometric(person.openPath === 'gmail-proxy' ? 0.85 : 0.6);
  for (let i = 0, t = readAt; i < rereads; i++) {
    t += clamp(rng.lognormal(5 * HOUR, 1.3), 2 * MIN, 4 * DAY);
    pixel(t, false);
  }

  let lastAt = readAt;
  if (plan.links.length > 0 && rng.bernoulli(Math.min(0.95, plan.clickRate * Math.sqrt(lift)))) {
    const click = (t: number, url: string, quick = false) =>
      emit(t, 'click', { url, ip: person.mobile ? mobileIp(rng) : desktopIp, user_agent: browserAt(t), method: 'GET' }, quick ? FAST : PERSON);
    const clickAt = fast ? readAt + rng.uniform(3 * SEC, 20 * SEC) : readAt + clamp(rng.lognormal(35 * SEC, 0.9), 3 * SEC, 30 * MIN);
    const url = rng.weighted(plan.linkWeights);
    click(clickAt, url, fast);
    lastAt = clickAt;
    // Total vs unique: some click the same link again (page didn't load, came back later).
    if (rng.bernoulli(0.14)) click(clickAt + clamp(rng.lognormal(90 * SEC, 2), 2 * SEC, 2 * DAY), url);
    // Rarely a second, different link.
    if (plan.links.length > 1 && rng.bernoulli(0.1)) {
      const other = plan.links.filter((l) => l !== url);
      const t = clickAt + clamp(rng.lognormal(60 * SEC, 1), 5 * SEC, 20 * MIN);
      click(t, rng.pick(other));
      lastAt = t;
    }
    if (plan.conversion && rng.bernoulli(plan.conversion.rate)) {
      const value = Math.round(clamp(rng.lognormal(plan.conversion.medianValue, 0.6), 3, 2000) * 100) / 100;
      emit(lastAt + clamp(rng.lognormal(8 * MIN, 1), 40 * SEC, 3 * DAY), 'conversion', { value });
    }
  }
  if (replies) {
    emit(readAt + clamp(rng.lognormal(90 * MIN, 1.2), 1 * MIN, 5 * DAY), 'reply', {});
    out.replied = true;
  } else if (rng.bernoulli(plan.unsubscribeRate)) {
    emit(lastAt + clamp(rng.lognormal(40 * SEC, 1), 5 * SEC, 1 * HOUR), 'unsubscribe', {});
    out.unsubscribed = true;
  }
  return out;
}
