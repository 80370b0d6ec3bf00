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

import { pickAddress } from './outside/addresses.mjs';
import { BASE, S, MIN, HOUR, rng, UA, browserUa, OLD_BUILD, modernScannerUa } from './outside/agents.mjs';
import { CAMPAIGNS, CONSUMER_MAILBOX, B2B_MAILBOX, B2B_NETWORK } from './outside/audiences.mjs';
import { simulateMachines } from './outside/machines.mjs';

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
    // Outlook desktop and many other clients block images until asked (gophish issues 2124, 1632).
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
  const imagesBlocked = company.mailbox !== 'workspace' && r.chance(0.45); // Outlook's default (gophish issue 2124)
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
    // A scanner following the person's click from another network, 12 s later in resend-node issue 901.
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
    // Outlook.com on the web downloads images through Microsoft with the stripped WebKit agent (warmbly's pull request 569).
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
