// Providers that sign nothing and authenticate by a credential on the request instead: Postmark (HTTP
// basic auth written into the webhook URL; Postmark docs, "Webhooks overview: Protecting your webhook")
// and Brevo (a bearer token or basic auth set on the webhook; Brevo docs, "Secure your webhooks").
// Such schemes sign no timestamp, so a replay cannot be told apart here: provider event ids make a
// replayed delivery store nothing new.
import { ClickrateError } from '../errors.js';
import { ACCEPTED, header, refused, sameSecret, type WebhookHeaders, type WebhookVerifier } from './webhook-verdict.js';

/** The credential of an Authorization header: `{scheme, value}` with basic's value decoded to `user:password`. */
function credentialOf(headers: WebhookHeaders): { scheme: 'basic' | 'bearer'; value: string } | null {
  const auth = header(headers, 'authorization');
  const m = auth ? /^(Basic|Bearer)\s+(\S+)\s*$/i.exec(auth) : null;
  if (!m) return null;
  const scheme = m[1]!.toLowerCase() as 'basic' | 'bearer';
  return { scheme, value: scheme === 'basic' ? Buffer.from(m[2]!, 'base64').toString('utf8') : m[2]! };
}

/** Postmark: basic auth whose `user:password` is CLICKRATE_POSTMARK_WEBHOOK_AUTH. */
export function postmarkVerifier(userPassword: string): WebhookVerifier {
  if (!/^[^:]+:.+$/.test(userPassword)) {
    throw new ClickrateError('CR_ERR_CONFIG', 'CLICKRATE_POSTMARK_WEBHOOK_AUTH must be user:password (the credentials written into the webhook URL)', {
      variable: 'CLICKRATE_POSTMARK_WEBHOOK_AUTH',
    });
  }
  return async (headers) => {
    const c = credentialOf(headers);
    if (c?.scheme !== 'basic') return refused('Postmark webhooks must carry basic auth (https://user:password@host/webhooks/postmark)');
    return sameSecret(c.value, userPassword) ? ACCEPTED : refused('wrong basic-auth credentials for the Postmark webhook');
  };
}

/** Brevo: `Authorization: Bearer <token>`, or basic auth whose `user:password` is the token. */
export function brevoVerifier(token: string): WebhookVerifier {
  if (token.trim().length < 16) {
    throw new ClickrateError('CR_ERR_CONFIG', 'CLICKRATE_BREVO_WEBHOOK_TOKEN must be at least 16 characters (a random token)', {
      variable: 'CLICKRATE_BREVO_WEBHOOK_TOKEN',
    });
  }
  return async (headers) => {
    const c = credentialOf(headers);
    if (!c) return refused('Brevo webhooks must carry Authorization: Bearer <token> (or basic auth)');
    return sameSecret(c.value, token) ? ACCEPTED : refused('wrong credentials for the Brevo webhook');
  };
}
