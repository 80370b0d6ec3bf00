// SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature over the timestamp header followed
// by the raw body, checked with the public key SendGrid shows (base64 DER). Twilio SendGrid docs,
// "Getting Started with the Event Webhook Security Features": headers X-Twilio-Email-Event-Webhook-Signature
// (base64 DER signature) and X-Twilio-Email-Event-Webhook-Timestamp (Unix seconds).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ClickrateError } from '../errors.js';
import { outsideReplayWindow } from './replay-window.js';
import { ACCEPTED, header, refused, type WebhookVerifier } from './webhook-verdict.js';

const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** The verification key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo (PEM armour is accepted too). */
function sendgridPublicKey(text: string): KeyObject {
  const body = text.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  try {
    const key = createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec') throw new Error(`a ${key.asymmetricKeyType} key, not ECDSA`);
    return key;
  } catch (err) {
    throw new ClickrateError(
      'CR_ERR_CONFIG',
      `CLICKRATE_SENDGRID_PUBLIC_KEY is not SendGrid's verification key (base64 DER of an ECDSA public key): ${(err as Error).message}`,
      {
        variable: 'CLICKRATE_SENDGRID_PUBLIC_KEY',
      },
    );
  }
}

export function sendgridVerifier(publicKey: string, opts: { now?: () => number } = {}): WebhookVerifier {
  const key = sendgridPublicKey(publicKey);
  const now = opts.now ?? Date.now;
  return async (headers, rawBody) => {
    const signature = header(headers, SENDGRID_SIGNATURE_HEADER);
    const timestamp = header(headers, SENDGRID_TIMESTAMP_HEADER);
    if (!signature) return refused('the X-Twilio-Email-Event-Webhook-Signature header is missing (turn on the Signed Event Webhook)');
    const stale = outsideReplayWindow(timestamp, now(), 'the X-Twilio-Email-Event-Webhook-Timestamp header');
    if (stale) return stale;
    let good = false;
    try {
      good = verify('sha256', Buffer.from(`${timestamp}${rawBody}`, 'utf8'), key, Buffer.from(signature, 'base64'));
    } catch {
      good = false; // a signature that is not DER at all: as wrong as a wrong one
    }
    return good ? ACCEPTED : refused('the SendGrid signature does not match the body and timestamp');
  };
}
