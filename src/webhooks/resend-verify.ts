// Resend signs its webhooks with Svix: `svix-signature` holds one or more `v1,<base64>` entries, each an
// HMAC-SHA256 of `<svix-id>.<svix-timestamp>.<raw body>` keyed with the base64 part of the `whsec_…`
// secret (Svix docs, "Verifying webhooks manually"; Resend docs, "Verify webhooks requests").
import { createHmac } from 'node:crypto';
import { ClickrateError } from '../errors.js';
import { outsideReplayWindow } from './replay-window.js';
import { ACCEPTED, header, refused, sameSecret, type WebhookVerifier } from './webhook-verdict.js';

/** The key bytes of a `whsec_<base64>` secret. */
function svixKey(secret: string): Buffer {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret.trim());
  const key = m ? Buffer.from(m[1]!, 'base64') : Buffer.alloc(0);
  if (key.length < 16) {
    throw new ClickrateError(
      'CR_ERR_CONFIG',
      'CLICKRATE_RESEND_WEBHOOK_SECRET must be the webhook signing secret as Resend shows it (whsec_ followed by base64)',
      {
        variable: 'CLICKRATE_RESEND_WEBHOOK_SECRET',
      },
    );
  }
  return key;
}

export function svixVerifier(secret: string, opts: { now?: () => number } = {}): WebhookVerifier {
  const key = svixKey(secret);
  const now = opts.now ?? Date.now;
  return async (headers, rawBody) => {
    const id = header(headers, 'svix-id');
    const timestamp = header(headers, 'svix-timestamp');
    const signatures = header(headers, 'svix-signature');
    if (!id || !signatures) return refused('the svix-id and svix-signature headers are required');
    const stale = outsideReplayWindow(timestamp, now(), 'the svix-timestamp header');
    if (stale) return stale;
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest('base64');
    // Several entries while a secret is being rotated; any v1 entry that matches will do.
    let good = false;
    for (const entry of signatures.split(' ')) {
      const comma = entry.indexOf(',');
      if (comma > 0 && entry.slice(0, comma) === 'v1' && sameSecret(entry.slice(comma + 1), expected)) good = true;
    }
    return good ? ACCEPTED : refused('no svix-signature entry matches the body (wrong secret?)');
  };
}
