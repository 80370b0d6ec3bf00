// Verdicts and their reasons: a running score of weighed signals, the rule that timing alone never makes
// a machine, and plain-language text for every stable reason code (codes are stored; text is derived).

/** A verdict on one open or click. `reasons` are stable codes (`code` or `code:detail`), strongest first. */
export interface Verdict {
  machine: boolean;
  /** Sum of the signal weights (≥ the configured threshold and not timing alone: machine). */
  score: number;
  reasons: string[];
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
    if (score >= threshold && !evidence) return { machine: false, score, reasons: [...reasons, 'timing-alone'] };
    return { machine: score >= threshold, score, reasons };
  }
}

/** "(detail)" with dashes read as spaces, or nothing: breakdowns group codes without their detail. */
const paren = (d: string) => (d ? ` (${d.replaceAll('-', ' ')})` : '');

const TEXT: Record<string, (detail: string) => string> = {
  'provider-flag': () => "the email provider's webhook flagged it as a machine event",
  'apple-mpp-proxy': () => "Apple Mail Privacy Protection's proxy (bare 'Mozilla/5.0' user agent) prefetched the pixel",
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
  'same-machine': () => 'same client as a machine already seen on this message (user agent, and its address, a data centre or a burst)',
  'before-human-possible': (d) =>
    d ? `${d.replaceAll('-', ' ')}: no person could have read and clicked yet` : 'sooner than any person could have read and clicked',
  early: (d) => `right after delivery${paren(d)}, when security gateways scan`,
  'timing-alone': () => 'timing alone never makes an event machine',
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
      provider: "names the message by the provider's message id",
      'weak-sender': 'weak match: its sender is the recipient of the latest message sent to them in 30 days',
    })[d] ?? `matched by ${d}`,
};

/** Plain-language text for a reason code, for reports and the dashboard. */
export function describeReason(code: string): string {
  const i = code.indexOf(':');
  const key = i < 0 ? code : code.slice(0, i);
  const f = TEXT[key];
  return f ? f(i < 0 ? '' : code.slice(i + 1)) : code;
}
