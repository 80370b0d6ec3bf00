// Verdicts and their reasons: a running score of weighed signals, the rule that timing alone never makes
// a machine, the verdict's probability, and plain-language text for every stable reason code (codes are
// stored; text is derived).

/** A verdict on one open or click. `reasons` are stable codes (`code` or `code:detail`), strongest first. */
export interface Verdict {
  machine: boolean;
  /** Sum of the signal weights (≥ the configured threshold and not timing alone: machine). */
  score: number;
  /** Probability that the event is a machine's: see `machineProbability`. At least 0.5 exactly when `machine`. */
  probability: number;
  reasons: string[];
}

/**
 * How steeply the probability rises with the score around the threshold. The weights are log-odds in units
 * of 1/PROBABILITY_SLOPE: at the threshold the odds are even, one decisive signal past it (score 2 with
 * threshold 1) gives 0.98, a lone weak signal (0.4) gives 0.08, and the Gmail proxy's −2 gives 0.
 */
const PROBABILITY_SLOPE = 4;

/**
 * The probability of a machine given a verdict's score: the logistic of the score's distance from the
 * threshold (docs/metrics.md, "Machine probability"). When timing alone reached the threshold the
 * verdict is human by rule, and the probability is held just under one half to agree with it.
 */
export function machineProbability(score: number, threshold: number, timingAlone: boolean): number {
  const p = Math.round(1000 / (1 + Math.exp(-PROBABILITY_SLOPE * (score - threshold)))) / 1000;
  // TRICKY: rounding must not cross one half against the verdict (a score a hair under the threshold).
  return timingAlone || score < threshold ? Math.min(p, 0.499) : Math.max(p, 0.5);
}

interface Signal {
  code: string;
  weight: number;
  timing: boolean;
}

/** Collects the signals seen on one event, then decides. */
export class Score {
  private readonly signals: Signal[] = [];

  add(code: string, weight: number, timing = false): void {
    this.signals.push({ code, weight, timing });
  }

  verdict(threshold: number): Verdict {
    let score = 0;
    let evidence = false; // some positive signal other than timing
    for (const s of this.signals) {
      score += s.weight;
      if (!s.timing && s.weight > 0) evidence = true;
    }
    score = Math.round(score * 1000) / 1000; // 0.6 + 0.4 must reach 1, not 0.9999999
    const reasons = [...this.signals].sort((a, b) => b.weight - a.weight).map((s) => s.code);
    // SPEC.md: "A click never counts as machine for timing alone when nothing else points that way."
    // TRICKY: enforced here as a rule, not left to the weights, so no tuning can break it.
    if (score >= threshold && !evidence) {
      return { machine: false, score, probability: machineProbability(score, threshold, true), reasons: [...reasons, 'timing-alone'] };
    }
    // TRICKY: p at exactly the threshold rounds to 0.5, and a score a hair under it must not round up.
    const probability =
      score >= threshold ? Math.max(0.5, machineProbability(score, threshold, false)) : Math.min(0.499, machineProbability(score, threshold, false));
    return { machine: score >= threshold, score, probability, reasons };
  }
}

/** "(detail)" with dashes read as spaces, or nothing: breakdowns group codes without their detail. */
const paren = (d: string) => (d ? ` (${d.replaceAll('-', ' ')})` : '');

const TEXT: Record<string, (detail: string) => string> = {
  'provider-flag': () => "the email provider's webhook flagged it as a machine event",
  'apple-mpp-proxy': () => "Apple Mail Privacy Protection's proxy (bare 'Mozilla/5.0' user agent) prefetched the pixel",
  'apple-mail-proxy': (d) => `Apple Mail's own agent from ${d || 'Apple'}'s proxy addresses: Mail Privacy Protection fetching the pixel`,
  'apple-ip': (d) => (d ? `from ${d}'s published proxy addresses` : "from Apple's published proxy addresses"),
  'security-vendor-ip': (d) => (d ? `from ${d}'s published mail-security address range` : "from a mail-security vendor's published address range"),
  'datacenter-ip': (d) => `from a data centre${paren(d)}`,
  'crawler-ua': () => 'the user agent is a known crawler or bot',
  'scripted-ua': (d) => `the user agent is a scripted HTTP client${paren(d)}`,
  'empty-ua': () => 'the request carried no user agent',
  'bare-ua': () => "a click with only 'Mozilla/5.0' as user agent",
  'head-request': () => 'a HEAD request: browsers follow links with GET',
  'human-image-proxy': (d) => `${d || 'a mailbox provider'}'s image proxy fetches when a person opens the message`,
  burst: (d) => `part of a burst of links clicked together${paren(d)}`,
  'late-burst': (d) => `links opened together hours after delivery from a home address with a browser${paren(d)}: as a person opening tabs does`,
  'same-machine': () => 'same client as a machine already seen on this message (user agent, and its address, a data centre or a burst)',
  'before-human-possible': (d) =>
    d ? `${d.replaceAll('-', ' ')}: no person could have read and clicked yet` : 'sooner than any person could have read and clicked',
  early: (d) => `right after delivery${paren(d)}, when security gateways scan`,
  'timing-alone': () => 'timing alone never makes an event machine',
  'late-proxy-open': (d) =>
    `from ${d || "a provider's"} servers long after delivery with an ordinary agent: most often a person reading through webmail or a web gateway`,
  'late-proxy-click': (d) =>
    `from ${d || "a vendor's"} servers long after delivery with an ordinary agent (a verdict of earlier rules: such clicks are now the vendor's link check)`,
  'old-browser': (d) => `browser version far behind the current release${paren(d)}`,
  'open-then-click': (d) => `clicked right after the pixel was fetched from the same address${paren(d)}, as a scanner rendering the message does`,
  'later-other-client': () => 'early, from a client never seen again while another client engaged with the message later',
  'same-client-later': () => 'the same address and agent engaged with the message again later, as its reader does',
  honeypot: () => 'requested the hidden honeypot link, which no person can see or reach',
  'honeypot-learned': (d) => `same address block${d ? ` (${d})` : ''} and agent as a request to a honeypot link`,
  'shared-client': (d) =>
    `the same address block and agent clicked ${Number.parseInt(d, 10) || 'several'} recipients' messages, each soon after its delivery, as a gateway scanning an organisation's mail does`,
  // Replies and bounces read from a mailbox (src/replies/reply-classify.ts).
  'auto-submitted': (d) => `an automatic answer: Auto-Submitted ${d} (RFC 3834)`,
  'x-autoreply': () => 'an automatic answer: X-Autoreply header',
  'x-autorespond': () => 'an automatic answer: X-Autorespond header',
  precedence: (d) => `an automatic answer: Precedence ${d}`,
  'ooo-subject': (d) => `an out-of-office subject${d ? ` (${d})` : ''}`,
  'opt-out': (d) => `the person asked not to be written to again${d ? ` (${d})` : ''}`,
  'dsn-report': () => 'a delivery status notification (multipart/report, RFC 3464)',
  'dsn-sender': (d) => `sent by the mail system (${d})`,
  'dsn-status': (d) => `delivery status ${d}`,
  'dsn-action': (d) => `delivery ${d}, still being tried`,
  match: (d) =>
    ({
      'in-reply-to': 'answers the message by its Message-ID (In-Reply-To)',
      references: 'names the message by its Message-ID (References)',
      returned: 'returns the message with its Message-ID',
      provider: "names the Message-ID the email provider gave the message (mapped by the provider's webhook)",
      'weak-subject': 'weak match: its sender is the recipient of the latest message sent to them in 30 days with the same thread subject',
      'weak-sender': 'weak match: its sender is the recipient of the latest message sent to them in 30 days (no subject stored for it)',
    })[d] ?? `matched by ${d}`,
};

/** Plain-language text for a reason code, for reports and the dashboard. */
export function describeReason(code: string): string {
  const i = code.indexOf(':');
  const key = i < 0 ? code : code.slice(0, i);
  const f = TEXT[key];
  return f ? f(i < 0 ? '' : code.slice(i + 1)) : code;
}
