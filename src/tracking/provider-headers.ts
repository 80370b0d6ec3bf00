// The SMTP headers that carry clickrate's metadata (`clickrate_message`, `clickrate_campaign`) through an
// email provider to its webhooks (docs/webhooks.md), so the provider's events name the clickrate message.
// Each provider's documented header: SendGrid X-SMTPAPI `unique_args` ("Building an X-SMTPAPI header"),
// Mailgun X-Mailgun-Variables ("Attaching data to messages"), Postmark X-PM-Metadata-* ("Custom metadata
// via SMTP"), Amazon SES X-SES-MESSAGE-TAGS ("Amazon SES SMTP headers"), Brevo X-Mailin-custom ("Send
// transactional emails with SMTP"). Resend documents no SMTP header for tags: use its API's `tags`.

/** Providers whose metadata the Nodemailer plugin can add as SMTP headers. */
export const HEADER_PROVIDERS = ['sendgrid', 'mailgun', 'postmark', 'ses', 'brevo'] as const;
export type HeaderProvider = (typeof HEADER_PROVIDERS)[number];

// Amazon SES message tags: names and values of ASCII letters, digits, _ - . @ only, up to 256 characters.
const SES_TAG = /^[A-Za-z0-9_.@-]{1,256}$/;

/**
 * The headers to set for `provider`, given the message's id and campaign. `existing(name)` reads a
 * header the app already set: SendGrid's X-SMTPAPI is one JSON object for many settings, so ours is
 * merged into it rather than replacing it. Returns what was left out, and why, beside the headers.
 */
export function providerHeaders(
  provider: HeaderProvider,
  meta: { message: string; campaign: string },
  existing: (name: string) => string | undefined,
): { headers: Record<string, string>; warnings: string[] } {
  const values = { clickrate_message: meta.message, clickrate_campaign: meta.campaign };
  switch (provider) {
    case 'sendgrid': {
      let api: Record<string, unknown> = {};
      const had = existing('X-SMTPAPI');
      if (had !== undefined) {
        try {
          const parsed: unknown = JSON.parse(had);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) api = parsed as Record<string, unknown>;
          else return { headers: {}, warnings: ['X-SMTPAPI is not a JSON object; clickrate_message was not added to it'] };
        } catch {
          return { headers: {}, warnings: ['X-SMTPAPI is not valid JSON; clickrate_message was not added to it'] };
        }
      }
      const args = typeof api.unique_args === 'object' && api.unique_args !== null ? (api.unique_args as Record<string, unknown>) : {};
      return { headers: { 'X-SMTPAPI': JSON.stringify({ ...api, unique_args: { ...args, ...values } }) }, warnings: [] };
    }
    case 'mailgun':
      return { headers: { 'X-Mailgun-Variables': JSON.stringify(values) }, warnings: [] };
    case 'postmark':
      return { headers: { 'X-PM-Metadata-clickrate_message': meta.message, 'X-PM-Metadata-clickrate_campaign': meta.campaign }, warnings: [] };
    case 'brevo':
      return { headers: { 'X-Mailin-custom': JSON.stringify(values) }, warnings: [] };
    case 'ses': {
      const tags = Object.entries(values).filter(([, v]) => SES_TAG.test(v));
      const warnings = Object.entries(values)
        .filter(([, v]) => !SES_TAG.test(v))
        .map(([k]) => `the ${k} holds characters an SES message tag cannot; the tag was left out`);
      // TRICKY: SES refuses the whole message for a bad tag, so a value it cannot take is left out, never sent.
      const had = existing('X-SES-MESSAGE-TAGS');
      const list = [had, ...tags.map(([k, v]) => `${k}=${v}`)].filter((t) => t !== undefined && t !== '');
      return { headers: list.length > 0 ? { 'X-SES-MESSAGE-TAGS': list.join(', ') } : {}, warnings };
    }
  }
}
