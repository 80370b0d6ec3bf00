// Amazon SES events arrive through Amazon SNS: each message is signed (SignatureVersion 1: SHA1withRSA,
// 2: SHA256withRSA) over its fields in a fixed order, with the key of the certificate at SigningCertURL.
// AWS docs, "Verifying the signatures of Amazon SNS messages": fetch the certificate only over https from
// an SNS host, and check the topic is one you subscribed to (CLICKRATE_SES_TOPIC_ARNS).
import { verify, X509Certificate, type KeyObject } from 'node:crypto';
import { fetchHttpsText } from './https-text.js';
import { outsideReplayWindow } from './replay-window.js';
import { ACCEPTED, header, isRecord, malformed, parseJsonBody, refused, type WebhookVerifier } from './webhook-verdict.js';

export interface SnsOptions {
  /** Topic ARNs whose messages are taken (and whose subscriptions are confirmed). */
  topics: readonly string[];
  now?: () => number;
  /** Reads a certificate or confirmation URL (default: HTTPS GET with the system's CAs). */
  fetchText?: (url: URL) => Promise<string>;
  /** Which URLs may be fetched at all (default: isSnsUrl). Tests widen it to their loopback server. */
  trustedUrl?: (url: URL) => boolean;
}

/** Only `https://sns.<region>.amazonaws.com[.cn]/…` is ever fetched. */
export function isSnsUrl(url: URL): boolean {
  return url.protocol === 'https:' && url.port === '' && /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname);
}

// The fields each message type signs, in this order (AWS docs, as above).
const SIGNED: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** The text SNS signs: each present field as `Name\nvalue\n` (Subject only when the message has one). */
function snsStringToSign(msg: Readonly<Record<string, unknown>>): string | null {
  const fields = SIGNED[String(msg.Type)];
  if (!fields) return null;
  let out = '';
  for (const f of fields) {
    const v = msg[f];
    if (v === undefined && f === 'Subject') continue;
    if (typeof v !== 'string') return null;
    out += `${f}\n${v}\n`;
  }
  return out;
}

/** Certificates by URL, at most this many (SNS rotates them rarely; the URL names the version). */
const CERT_CACHE_MAX = 32;

export function snsVerifier(opts: SnsOptions): WebhookVerifier {
  const topics = new Set(opts.topics);
  const now = opts.now ?? Date.now;
  const fetchText = opts.fetchText ?? ((url: URL) => fetchHttpsText(url));
  const trusted = opts.trustedUrl ?? isSnsUrl;
  const certs = new Map<string, Promise<KeyObject>>();
  const keyAt = (url: URL): Promise<KeyObject> => {
    let p = certs.get(url.href);
    if (!p) {
      p = fetchText(url).then((pem) => {
        const cert = new X509Certificate(pem);
        const t = now();
        if (Date.parse(cert.validFrom) > t || Date.parse(cert.validTo) < t) throw new Error('the signing certificate is not valid now');
        return cert.publicKey;
      });
      // TRICKY: a failed fetch must not be cached, or one network blip refuses every message after it.
      p.catch(() => certs.delete(url.href));
      if (certs.size >= CERT_CACHE_MAX) certs.delete(certs.keys().next().value as string);
      certs.set(url.href, p);
    }
    return p;
  };
  return async (headers, rawBody) => {
    const parsed = parseJsonBody(rawBody);
    if (!parsed.ok) return malformed(parsed.reason);
    const msg = parsed.value;
    if (!isRecord(msg)) return malformed('an SNS message is a JSON object');
    const text = snsStringToSign(msg);
    if (text === null) return malformed(`not an SNS message of a known type with all its signed fields (Type ${JSON.stringify(msg.Type)})`);
    const declared = header(headers, 'x-amz-sns-message-type');
    if (declared !== undefined && declared !== msg.Type) return malformed(`x-amz-sns-message-type says ${declared} but the body is a ${String(msg.Type)}`);
    if (typeof msg.TopicArn !== 'string' || !topics.has(msg.TopicArn))
      return refused(`topic ${JSON.stringify(msg.TopicArn)} is not in CLICKRATE_SES_TOPIC_ARNS`);
    const version = msg.SignatureVersion;
    if (version !== '1' && version !== '2') return refused(`SignatureVersion ${JSON.stringify(version)} is not 1 or 2`);
    let certUrl: URL;
    try {
      certUrl = new URL(String(msg.SigningCertURL));
    } catch {
      return refused('SigningCertURL is not a URL');
    }
    if (!trusted(certUrl) || !certUrl.pathname.endsWith('.pem'))
      return refused(`SigningCertURL ${certUrl.href.slice(0, 200)} is not an https certificate on an SNS host`);
    const stale = outsideReplayWindow(typeof msg.Timestamp === 'string' ? msg.Timestamp : undefined, now(), 'the SNS Timestamp');
    if (stale) return stale;
    let key: KeyObject;
    try {
      key = await keyAt(certUrl);
    } catch (err) {
      return refused(`the SNS signing certificate could not be read: ${(err as Error).message}`);
    }
    let good = false;
    try {
      good = verify(version === '1' ? 'sha1' : 'sha256', Buffer.from(text, 'utf8'), key, Buffer.from(String(msg.Signature), 'base64'));
    } catch {
      good = false;
    }
    return good ? ACCEPTED : refused('the SNS signature does not match the message');
  };
}
