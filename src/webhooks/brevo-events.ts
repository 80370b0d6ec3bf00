// Brevo's transactional webhooks: one JSON event per request, or an array when batched (Brevo docs,
// "Transactional webhooks"). Metadata comes from the X-Mailin-custom header (a JSON object) or from tags
// written `clickrate_message:<id>`; another tag is the campaign's fallback.
import { CAMPAIGN_KEY, epochMs, field, MESSAGE_KEY, type ProviderBatch, type ProviderEvent, type ProviderEventKind } from './provider-event.js';
import { isRecord, parseJsonBody } from './webhook-verdict.js';
import { brevoMailIds } from './provider-message-ids.js';

/**
 * Brevo event → clickrate kind. `deferred` is a deferral; `blocked` and `invalid_email` were never sent
 * (hard bounces of a message that was requested); `unique_opened` is the first `opened` and both map to
 * one id (same message and time), so a webhook ticked for both stores the open once. `proxy_open` is an
 * open fetched by a privacy proxy: Brevo's machine flag.
 */
const KINDS: Readonly<Record<string, ProviderEventKind>> = {
  request: 'sent',
  delivered: 'delivered',
  hard_bounce: 'bounced',
  soft_bounce: 'bounced',
  blocked: 'bounced',
  invalid_email: 'bounced',
  opened: 'open',
  unique_opened: 'open',
  proxy_open: 'open',
  unique_proxy_open: 'open',
  click: 'click',
  unsubscribed: 'unsubscribe',
  spam: 'complaint',
  complaint: 'complaint',
};

/** X-Mailin-custom as JSON, and `key:value` tags for the two clickrate keys. */
function metadataOf(e: Record<string, unknown>, tags: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom = e['X-Mailin-custom'] ?? e['x-mailin-custom'];
  if (typeof custom === 'string' && custom.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(custom);
      if (isRecord(parsed)) Object.assign(out, parsed);
    } catch {
      // Free text is allowed in that header: then it says nothing to clickrate.
    }
  }
  for (const t of tags) {
    for (const key of [MESSAGE_KEY, CAMPAIGN_KEY])
      if (typeof t === 'string' && t.startsWith(`${key}:`) && out[key] === undefined) out[key] = t.slice(key.length + 1);
  }
  return out;
}

function brevoEvent(e: Record<string, unknown>): ProviderEvent | null {
  const kind = typeof e.event === 'string' ? KINDS[e.event] : undefined;
  if (!kind) return null;
  const tags = Array.isArray(e.tags) ? e.tags : [e.tag];
  const plain = tags.find((t) => typeof t === 'string' && !t.startsWith(`${MESSAGE_KEY}:`) && !t.startsWith(`${CAMPAIGN_KEY}:`));
  const at = e.ts_epoch ?? e.ts_event ?? e.ts ?? e.date;
  return {
    provider: 'brevo',
    kind,
    key: [kind, e['message-id'], at, e.link],
    ts: epochMs(at),
    // Brevo writes the Message-ID header with its angle brackets: the id is what is inside them.
    providerMessage: field(e['message-id'])?.replace(/^<(.*)>$/, '$1') ?? null,
    mailIds: brevoMailIds(e),
    subject: field(e.subject),
    metadata: metadataOf(e, tags),
    category: field(plain),
    recipient: field(e.email),
    bounce: e.event === 'soft_bounce' ? 'soft' : 'hard',
    url: field(e.link),
    // Never `sending_ip`: that is Brevo's own sending server, not the reader's address.
    ip: field(e.ip),
    userAgent: typeof e.user_agent === 'string' ? e.user_agent : null,
    machineFlag: e.event === 'proxy_open' || e.event === 'unique_proxy_open',
  };
}

export function brevoEvents(rawBody: string): ProviderBatch {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return parsed;
  const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const events: ProviderEvent[] = [];
  let skipped = 0;
  for (const [i, e] of list.entries()) {
    if (!isRecord(e) || typeof e.event !== 'string') return { ok: false, reason: `event ${i} is not a Brevo event (an object with an "event")` };
    const mapped = brevoEvent(e);
    if (mapped) events.push(mapped);
    else skipped++;
  }
  return { ok: true, events, skipped };
}
