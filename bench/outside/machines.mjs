// Requests no person made in the outside sample: Apple's prefetch, Safe Links and mail gateways, each
// modelled from its public description.
import { S, MIN, HOUR, UA, browserUa, SCANNER_UA, modernScannerUa } from './agents.mjs';

/** Requests no person made: proxies prefetching, gateways and Safe Links scanning. */
export function simulateMachines(r, engage, msg, person, links, pixel) {
  const d = msg.deliveredAt;
  const m = (kind, who, ua, extra = {}) => ({ label: 'machine', kind, who, ua, ...extra });
  // Apple MPP: the pixel is fetched when the Mail app downloads the message, whether or not it is read:
  // usually minutes after delivery, hours when the device was off (uap-core issue 509; warmbly pull request 569).
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
// README), with HEAD (civicrm pull request 35328, jdavidbakr/mail-tracker issue 200), old or scripted agents;
// some re-check a link hours later, after a delayed sandbox run ("as much as 5 mins later", anymail issue 200).
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
