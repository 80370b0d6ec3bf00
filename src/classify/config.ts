// The classifier's thresholds and signal weights, with the documented defaults and the version string
// stored beside every verdict so a recomputation can tell which rules produced it.

/**
 * Bump on ANY change to rules, weights, defaults or data/ranges/: stored verdicts with another version
 * are stale and must be recomputed. Format: YYYY-MM-DD.n of the change.
 */
export const CLASSIFIER_VERSION = '2026-12-06.1';

/** Weights of the signals. A verdict is machine when the sum reaches `threshold` (and see `timing`). */
export interface SignalWeights {
  /**
   * The provider's own machine flag on its webhook (provider-flag.ts). What each flag means, by its docs:
   * SendGrid `sg_machine_open` (Event Webhook reference, open event): the open was made by a machine such
   * as Apple Mail Privacy Protection's prefetch, not a person; Mailgun `client-info.bot` (webhook payloads,
   * opened and clicked events): the name of the bot or proxy Mailgun recognised, empty for none; Brevo
   * `proxy_open` / `unique_proxy_open` (transactional webhooks): an open fetched through a privacy proxy
   * (Apple's) rather than by the reader. Resend documents no such flag. Each is the provider's guess from
   * what it saw, not proof: it weighs like an address range and needs a second signal.
   */
  providerFlag: number;
  /** Open with the exact `Mozilla/5.0` UA Apple's MPP proxy sends. Decisive on its own. */
  appleMppUa: number;
  /** Open from Apple's or Private Relay's published addresses (not the bare UA): MPP-like, not proof. */
  appleIpOpen: number;
  /** Open from Apple's or Private Relay's addresses with Apple Mail's own agent (WebKit, no Safari token): the MPP proxy. */
  appleMailProxy: number;
  /** Address in a mail-security vendor's published range: Safe Links, URL Defense, URL Protect… */
  securityVendorIp: number;
  /** Address in a cloud or hosting provider's range: sandboxes live there, but so do VPN exits. */
  datacenterIp: number;
  /** `isbot` recognises the UA (spiders, link previewers, headless browsers). */
  crawlerUa: number;
  /** curl, python-requests, Java, Go-http-client…: no person clicks with these. */
  scriptedUa: number;
  /** The request had no User-Agent at all. */
  emptyUa: number;
  /** A click with the bare `Mozilla/5.0` UA (Apple's proxy never clicks; link checkers do send it). */
  bareUaClick: number;
  /** HEAD: browsers follow links with GET; scanners probe with HEAD (RFC 9110 §9.3.2). */
  headRequest: number;
  /** Gmail's or Yahoo's image proxy on an open: a person opened (negative: overrides isbot). */
  humanImageProxy: number;
  /** Two distinct links of one message clicked within `burstWindowMs`. */
  burstPair: number;
  /** `burstStrongLinks` or more distinct links within `burstWindowMs`: no person clicks like that. */
  burstStrong: number;
  /** Same UA as an event of this message already judged machine, and its address, a data centre or a burst. */
  sameMachine: number;
  /** Timing: within `humanMinMs` of delivery, faster than a person can open and click. */
  beforeHumanPossible: number;
  /** Timing: within `scanWindowMs` of delivery, when gateways scan. */
  earlyAfterDelivery: number;
  /** An open from a provider's or vendor's published range, after the scan window, with an ordinary agent: a person reading through it. */
  lateProxyOpen: number;
  /** Verdicts of earlier rules only: a late click from such a range once weighed this little. */
  lateProxyClick: number;
  /** The browser version the agent names had been superseded for more than `oldBrowserDays` at the event. */
  oldBrowser: number;
  /** A click from the address that fetched this message's pixel at most `openThenClickMs` earlier. */
  openThenClick: number;
  /** Early in the message's life, and a different client (address and agent) engages with it later. */
  laterOtherClient: number;
  /** Early in the message's life, and the same client (address and agent) engages again later: a person reading on. */
  sameClientLater: number;
  /** A request to the message's honeypot link, which no person can see or reach. */
  honeypot: number;
  /** Same address block and agent as a honeypot hit within `honeypotTtlMs`. */
  honeypotLearned: number;
  /** A click soon after its message's delivery from a block and agent that clicked many recipients' messages so (shared-clients.ts). */
  sharedClient: number;
}

export interface ClassifierConfig {
  /** Score at or above which an event is machine. */
  threshold: number;
  weights: SignalWeights;
  /** Window in which distinct links of one message count as one burst. */
  burstWindowMs: number;
  /** Distinct links in a burst that make it strong (`burstStrong`) rather than a pair (`burstPair`). */
  burstStrongLinks: number;
  /** After this long from delivery, a burst from an unlisted address with a browser's agent weighs as a pair. */
  burstLateMs: number;
  /** Delivery to click faster than this is not humanly possible. */
  humanMinMs: number;
  /** Delivery to event within this is "right after delivery", when gateways scan. */
  scanWindowMs: number;
  /** A browser major released longer ago than this at the event is far behind the current release. */
  oldBrowserDays: number;
  /** Pixel fetch then click from one address within this: a scanner rendering the message, then following a link. */
  openThenClickMs: number;
  /** How long a honeypot hit's address block (/24, /48) and agent stay known as machine. */
  honeypotTtlMs: number;
  /** A click this soon after its own message's delivery (or send) counts toward a shared client. */
  sharedClientWindowMs: number;
  /** Distinct recipients whose messages one block and agent clicked so, within `sharedClientSpanMs`, to be a shared client. */
  sharedClientRecipients: number;
  /** The span those clicks must fall in. */
  sharedClientSpanMs: number;
}

/** The defaults. Each number says where it comes from; evaluate with bench/classify-eval.mjs after changes. */
export const DEFAULT_CLASSIFIER_CONFIG: ClassifierConfig = Object.freeze({
  threshold: 1,
  weights: Object.freeze({
    providerFlag: 0.6, // the provider's guess (see SignalWeights): like a data-centre address, it needs a second signal
    appleMppUa: 1, // Apple's proxy UA is unique to it; decisive alone (SPEC.md "Human or machine")
    appleIpOpen: 0.6, // Apple/Private Relay addresses also carry people's Safari traffic: needs a second signal
    // Apple Mail's own agent (`Mozilla/5.0 (Macintosh; …) AppleWebKit/605.1.15 (KHTML, like Gecko)`, no
    // Safari token) was seen on MPP prefetches (medama-io/go-useragent issue 10; warmbly's open_class.go).
    // Outlook's image proxy sends the same agent when a person opens (warmbly's pull request 569), but from
    // Microsoft's addresses, never Apple's. From Apple's addresses it is Mail fetching through Apple's proxy:
    // with MPP on, Mail "downloads remote content privately in the background when you receive an email,
    // rather than when you view it" (Apple, "Use Mail Privacy Protection on Mac"); with MPP off it fetches
    // from the reader's own address. Private Relay relays Safari and only unencrypted http of other apps
    // (Apple, "About iCloud Private Relay"), and Safari's agent carries the Safari token. Decisive, as the bare agent.
    appleMailProxy: 1,
    securityVendorIp: 1, // the vendor publishes these as its scanning/mail infrastructure: decisive alone
    datacenterIp: 0.6, // VPN exits and cloud desktops are people too: needs a second signal
    crawlerUa: 1, // isbot's list is maintained for exactly this
    scriptedUa: 1,
    emptyUa: 1, // every browser and mail client sends a UA
    bareUaClick: 0.8,
    headRequest: 1, // no browser follows a link with HEAD
    humanImageProxy: -2, // Gmail/Yahoo proxies fetch when a person opens; only a provider flag overrides
    burstPair: 0.7, // two links in 3 s is possible (ctrl-click into tabs) but rare: needs a second signal
    burstStrong: 1, // three or more links in 3 s is a checker following every link
    sameMachine: 0.6, // gateways' pixel fetches and hours-later re-checks: with any other sign, machine
    beforeHumanPossible: 0.8, // timing never decides alone (see classify.ts), but weighs heavily with anything else
    earlyAfterDelivery: 0.4,
    // Outlook on the web / Outlook.com fetch images from Exchange Online addresses when the person opens
    // the message, hours after delivery, with a browser's agent (shared/signals: warmbly's pull request 569;
    // warmbly's pull request 412 keeps Exchange Online out of its scanner list for opens for this reason). Zscaler,
    // Cisco Umbrella and Menlo put people behind vendor addresses. So a published range only decides while
    // gateways scan (see `scanWindowMs`) or with a non-browser agent; after that it needs two more signals.
    lateProxyOpen: 0.3,
    // No longer given: a click from a mail-security range is the vendor's link check at any time (see
    // request-signals.ts, vendorSignal). Kept so `explain` still weighs verdicts stored by earlier rules
    // until `clickrate classify --all` replaces them.
    lateProxyClick: 0.5,
    // "Old browser versions" is among the scanner traits ESPs list (Dub's tracker, report 2309 on bot clicks; lemlist, Smartlead
    // help pages on bot clicks); Chrome, Edge and Firefox ship a major every 4 weeks and update themselves,
    // but Firefox ESR, managed desktops and old iPhones lag for real people: never decisive alone. 0.6 is
    // the scale's "one more signal decides" (as datacenterIp, appleIpOpen, sameMachine); first set at 0.5,
    // which left "years-old browser seconds after delivery" (0.5 + 0.4) human (BENCHMARKS.md, classifier).
    oldBrowser: 0.6,
    // "An open a second before a click from the same address" (shared/signals, scanners in general; Mautic's
    // tracker, report 16263, on gateways rendering then following). A person in a client that loads images produces
    // the same pair seconds apart (warmbly's pull request 412), so it needs another signal.
    openThenClick: 0.5,
    // What the rest of the message saw: a gateway's early pass comes from a client the reader never uses
    // again; a person who opened at once keeps reading from the same device. Small: context, not proof.
    laterOtherClient: 0.3,
    sameClientLater: -0.3,
    honeypot: 3, // by construction: the link has no text, is hidden and is not a tab stop (tracking/honeypot)
    honeypotLearned: 1, // the same tooling from the same block, within the learning window
    // One client clicking many recipients' messages, each soon after its own delivery: a gateway scanning a
    // company's inbound mail or a vendor's shared pool ("clicks from the same IP addresses", "spikes in clicks
    // immediately after sending ... from the same domain or IP range": suped.com, "How can I identify and
    // handle suspicious bot clicks"; "single-link hits from the same fleet", tens of seconds to minutes after
    // delivery: MillionSend's pull request 22). Colleagues behind one NAT with a managed browser fleet share
    // block and agent too, so it is the scale's "one more signal decides", and it counts as timing: with
    // `early` alone (colleagues reading at once) it never decides; with an old browser or a range it does.
    sharedClient: 0.6,
  }),
  // Scanners follow a message's links a fraction of a second to ~1 s apart (Defender Safe Links, Proofpoint
  // URL Defense); a person opening links into tabs needs a few seconds per link. 3 s keeps the two apart.
  burstWindowMs: 3_000,
  burstStrongLinks: 3,
  // Gateways make their pass within minutes of delivery ("soon after delivery": Safe Links; "every link of a
  // message within seconds": shared signals README), and come back later from their own or cloud ranges.
  // Hours later, from an address no list has, with a browser's agent, links opened a second apart are a
  // person middle-clicking a digest into tabs: then a burst needs one more signal, as a pair does.
  burstLateMs: 3_600_000,
  // Delivery → notification → open → read → click takes a person several seconds at the very least; the
  // fastest people in ESPs' logs click ~5 s after delivery. Below 2 s nobody can have read the message.
  humanMinMs: 2_000,
  // Gateways check links before or within seconds of delivery (SPEC.md: "clicks seconds after delivery";
  // Microsoft: Safe Links scans "at the time of delivery"). 60 s leaves room for webhook clock skew.
  scanWindowMs: 60_000,
  // Counted from the day the next major shipped, not from the version's own release: Chrome's and Firefox's
  // 4-week cadence makes a year 13 majors behind (Firefox ESR overlaps its successor by about 3 months),
  // while Safari ships once a year with the OS, so last year's Safari is normal until the new one has been
  // out for a year (Apple's Safari release notes).
  oldBrowserDays: 365,
  // Shared signals README: "an open a second before a click from the same address".
  openThenClickMs: 1_000,
  // Gateways keep their scanning pools for weeks; 30 days bounds how long one hit can mark a shared block.
  honeypotTtlMs: 30 * 86_400_000,
  // Gateways' clusters come "within 60s of the mail going out, sometimes even as much as 5 mins later"
  // (django-anymail's tracker, report 200, on SES click clusters); MillionSend's pull request 22 saw
  // "tens of seconds to minutes after delivery". A person reading that soon is the exception.
  sharedClientWindowMs: 5 * 60_000,
  // More than a pair: two colleagues may read a forwarded or shared message at once; a gateway scans
  // every recipient of the organisation it protects.
  sharedClientRecipients: 3,
  // One working day of sending: outreach tools spread a campaign's sends over the day (send windows,
  // per-mailbox daily limits), so one organisation's recipients get theirs hours apart. Longer would
  // gather colleagues' rare fast clicks from different days.
  sharedClientSpanMs: 86_400_000,
}) as ClassifierConfig;

/** Defaults with some values replaced (weights merge field by field). */
export function classifierConfig(over: Partial<Omit<ClassifierConfig, 'weights'>> & { weights?: Partial<SignalWeights> } = {}): ClassifierConfig {
  return { ...DEFAULT_CLASSIFIER_CONFIG, ...over, weights: { ...DEFAULT_CLASSIFIER_CONFIG.weights, ...over.weights } };
}
