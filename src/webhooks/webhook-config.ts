// Which provider webhooks this server takes, read from the environment in one place (SPEC.md "Provider
// webhooks"): a provider whose variable is unset is not configured, and its route answers 404.
import { ClickrateError } from '../errors.js';
import { brevoEvents } from './brevo-events.js';
import { brevoVerifier, postmarkVerifier } from './credential-verify.js';
import { fetchHttpsText } from './https-text.js';
import { mailgunEvents } from './mailgun-events.js';
import { mailgunVerifier } from './mailgun-verify.js';
import { postmarkEvents } from './postmark-events.js';
import type { ProviderBatch } from './provider-event.js';
import { resendEvents } from './resend-events.js';
import { svixVerifier } from './resend-verify.js';
import { sendgridEvents } from './sendgrid-events.js';
import { sendgridVerifier } from './sendgrid-verify.js';
import { sesEvents } from './ses-events.js';
import { isSnsUrl, snsVerifier, type SnsOptions } from './ses-verify.js';
import type { WebhookProvider, WebhookVerifier } from './webhook-verdict.js';

/** The environment variable holding each provider's secret. */
export const WEBHOOK_ENV: Readonly<Record<WebhookProvider, string>> = {
  sendgrid: 'CLICKRATE_SENDGRID_PUBLIC_KEY',
  mailgun: 'CLICKRATE_MAILGUN_SIGNING_KEY',
  postmark: 'CLICKRATE_POSTMARK_WEBHOOK_AUTH',
  ses: 'CLICKRATE_SES_TOPIC_ARNS',
  resend: 'CLICKRATE_RESEND_WEBHOOK_SECRET',
  brevo: 'CLICKRATE_BREVO_WEBHOOK_TOKEN',
};

/** One configured provider: how a delivery is checked, and how a checked one is read. */
interface WebhookSetup {
  verify: WebhookVerifier;
  read: (rawBody: string) => Promise<ProviderBatch>;
}
export type WebhookSetups = ReadonlyMap<WebhookProvider, WebhookSetup>;

export interface WebhookSetupOptions {
  /** The clock the replay windows read (tests). */
  now?: () => number;
  /** SNS fetching (tests: their loopback HTTPS server); production fetches only from SNS hosts. */
  sns?: Pick<SnsOptions, 'fetchText' | 'trustedUrl'>;
}

const sync = (map: (rawBody: string) => ProviderBatch) => async (rawBody: string) => map(rawBody);

/** The configured providers of `env`; a variable that is set but unusable is a CR_ERR_CONFIG at start. */
export function webhookSetups(env: Readonly<Record<string, string | undefined>>, opts: WebhookSetupOptions = {}): WebhookSetups {
  const out = new Map<WebhookProvider, WebhookSetup>();
  const value = (p: WebhookProvider) => {
    const v = env[WEBHOOK_ENV[p]]?.trim();
    return v ? v : undefined;
  };
  const clock = { now: opts.now };
  const sendgrid = value('sendgrid');
  if (sendgrid) out.set('sendgrid', { verify: sendgridVerifier(sendgrid, clock), read: sync(sendgridEvents) });
  const mailgun = value('mailgun');
  if (mailgun) out.set('mailgun', { verify: mailgunVerifier(mailgun, clock), read: sync(mailgunEvents) });
  const postmark = value('postmark');
  if (postmark) out.set('postmark', { verify: postmarkVerifier(postmark), read: sync(postmarkEvents) });
  const resend = value('resend');
  if (resend) out.set('resend', { verify: svixVerifier(resend, clock), read: sync(resendEvents) });
  const brevo = value('brevo');
  if (brevo) out.set('brevo', { verify: brevoVerifier(brevo), read: sync(brevoEvents) });
  const ses = value('ses');
  if (ses) {
    const topics = ses
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const bad = topics.find((t) => !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(t));
    if (bad !== undefined)
      throw new ClickrateError('CR_ERR_CONFIG', `CLICKRATE_SES_TOPIC_ARNS holds ${JSON.stringify(bad)}, which is not an SNS topic ARN`, {
        variable: WEBHOOK_ENV.ses,
      });
    const fetchText = opts.sns?.fetchText ?? ((url: URL) => fetchHttpsText(url));
    const trustedUrl = opts.sns?.trustedUrl ?? isSnsUrl;
    // Confirming means GETting the SubscribeURL, only ever on an SNS host (the verifier checked the topic).
    const confirm = async (subscribeUrl: string) => {
      const url = new URL(subscribeUrl);
      if (!trustedUrl(url)) throw new ClickrateError('CR_ERR_UNAUTHORIZED', `SubscribeURL ${url.href.slice(0, 200)} is not on an SNS host`);
      await fetchText(url);
    };
    out.set('ses', { verify: snsVerifier({ topics, now: opts.now, fetchText, trustedUrl }), read: (rawBody) => sesEvents(rawBody, confirm) });
  }
  return out;
}

/**
 * SendGrid Inbound Parse signs nothing (its docs suggest basic auth in the destination URL), so it has a
 * credential of its own: `user:password`, checked against HTTP basic auth on every delivery.
 */
export const SENDGRID_INBOUND_ENV = 'CLICKRATE_SENDGRID_INBOUND_AUTH';

/**
 * The SendGrid inbound credential of `env`, read once when the server starts like the event webhooks'
 * secrets; undefined when unset (its route answers 404). Set but not `user:password`: CR_ERR_CONFIG, and
 * the server does not start (a typo would otherwise refuse every delivery until someone looked).
 */
export function sendgridInboundAuth(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const auth = env[SENDGRID_INBOUND_ENV]?.trim();
  if (!auth) return undefined;
  if (!/^[^:\s]+:\S+$/.test(auth))
    throw new ClickrateError(
      'CR_ERR_CONFIG',
      `${SENDGRID_INBOUND_ENV} must be user:password (no spaces; the password may hold ':'), as in the Inbound Parse URL`,
      {
        variable: SENDGRID_INBOUND_ENV,
      },
    );
  return auth;
}
