// Mailgun's webhook signature: the body's `signature` object holds a timestamp, a random token and the
// hex HMAC-SHA256 of timestamp + token keyed with the HTTP webhook signing key (Mailgun docs, "Securing
// Webhooks"). The check is exported on its own so form-encoded deliveries (inbound routes) can use it.
import { createHmac } from 'node:crypto';
import { outsideReplayWindow } from './replay-window.js';
import { ACCEPTED, isRecord, malformed, parseJsonBody, refused, sameSecret, type VerifyVerdict, type WebhookVerifier } from './webhook-verdict.js';

interface MailgunSignature {
  timestamp?: unknown;
  token?: unknown;
  signature?: unknown;
}

/** Checks one Mailgun signature triple against the signing key, within the replay window of `nowMs`. */
export function checkMailgunSignature(signingKey: string, s: MailgunSignature, nowMs: number): VerifyVerdict {
  const { timestamp, token, signature } = s;
  if (typeof token !== 'string' || token === '' || typeof signature !== 'string' || signature === '') {
    return refused('the Mailgun signature needs a token and a signature');
  }
  const ts = typeof timestamp === 'string' || typeof timestamp === 'number' ? timestamp : undefined;
  const stale = outsideReplayWindow(ts, nowMs, 'the Mailgun signature timestamp');
  if (stale) return stale;
  const expected = createHmac('sha256', signingKey).update(`${ts}${token}`).digest('hex');
  return sameSecret(signature.toLowerCase(), expected) ? ACCEPTED : refused('the Mailgun signature does not match (wrong signing key?)');
}

/** Verifies Mailgun's JSON webhooks: `{"signature": {...}, "event-data": {...}}`. */
export function mailgunVerifier(signingKey: string, opts: { now?: () => number } = {}): WebhookVerifier {
  const now = opts.now ?? Date.now;
  return async (_headers, rawBody) => {
    const parsed = parseJsonBody(rawBody);
    if (!parsed.ok) return malformed(parsed.reason);
    if (!isRecord(parsed.value) || !isRecord(parsed.value.signature)) return refused('the body has no Mailgun `signature` object');
    return checkMailgunSignature(signingKey, parsed.value.signature, now());
  };
}
