// The email provider's own machine flag on a webhook event (SendGrid `sg_machine_open`, Mailgun's
// `client-info.bot`, Brevo's `proxy_open` events): a signal with its own reason code, weighed like the
// others (config.ts `providerFlag`), never the verdict alone.
// TRICKY: the flag travels in the event's id (`pf:<provider>:…`), not in a column of its own, so every
// store and the verdict queries that read an event's id see it with no schema change. The flag is part
// of the provider's event, so a retried delivery maps to the same id, flag included, and is stored once.
import type { Score } from './reasons.js';

const PREFIX = 'pf:';

/** The id of an event the provider flagged as a machine: `pf:<provider>:<rest>`. */
export function providerFlaggedId(provider: string, rest: string): string {
  return `${PREFIX}${provider}:${rest}`;
}

/** The provider that flagged this event as a machine, or null when none did. */
function flaggingProvider(id: string): string | null {
  if (!id.startsWith(PREFIX)) return null;
  const end = id.indexOf(':', PREFIX.length);
  return end > PREFIX.length ? id.slice(PREFIX.length, end) : null;
}

/**
 * Adds the provider's flag to a score, when the event carries one: `provider-flag:<provider>` from the
 * id, or the bare `provider-flag` when a caller passes the flag itself (`machine_flag`).
 */
export function addProviderFlag(e: { id: string; machine_flag?: boolean | null }, weight: number, s: Score): void {
  const provider = flaggingProvider(e.id);
  if (provider !== null) s.add(`provider-flag:${provider}`, weight);
  else if (e.machine_flag === true) s.add('provider-flag', weight);
}
