// Mailgun's webhooks: one JSON event per request, `{"signature": {...}, "event-data": {...}}` (Mailgun
// docs, "Webhook Payloads"). `user-variables` hold the metadata (set with X-Mailgun-Variables or the
// API's `v:` fields); `tags` (o:tag) are the campaign's fallback.
import { epochMs, field, type ProviderBatch, type ProviderEventKind } from './provider-event.js';
import { isRecord, parseJsonBody } from './webhook-verdict.js';
import { mailgunMailIds } from './provider-message-ids.js';

/**
 * Mailgun event → clickrate kind. `failed` with `severity: "temporary"` is a deferral (Mailgun retries
 * it), so only a permanent failure is a bounce; `accepted` is the send.
 */
const KINDS: Readonly<Record<string, ProviderEventKind>> = {
  accepted: 'sent',
  delivered: 'delivered',
  failed: 'bounced',
  opened: 'open',
  clicked: 'click',
  unsubscribed: 'unsubscribe',
  complained: 'complaint',
};

export function mailgunEvents(rawBody: string): ProviderBatch {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return parsed;
  const d = isRecord(parsed.value) ? parsed.value['event-data'] : undefined;
  if (!isRecord(d) || typeof d.event !== 'string') return { ok: false, reason: 'a Mailgun delivery has an "event-data" object with an "event"' };
  const kind = KINDS[d.event];
  // Only outgoing messages' accepted events are sends (incoming ones are routed mail).
  const incoming = d.event === 'accepted' && isRecord(d.flags) && d.flags['is-routed'] === true;
  if (!kind || incoming || (d.event === 'failed' && d.severity !== 'permanent')) return { ok: true, events: [], skipped: 1 };
  const headers = isRecord(d.message) && isRecord(d.message.headers) ? d.message.headers : {};
  const client = isRecord(d['client-info']) ? d['client-info'] : {};
  const tags = Array.isArray(d.tags) ? d.tags : [];
  return {
    ok: true,
    skipped: 0,
    events: [
      {
        provider: 'mailgun',
        kind,
        key: field(d.id) ?? [d.event, headers['message-id'], d.recipient, d.timestamp, d.url],
        ts: epochMs(d.timestamp),
        providerMessage: field(headers['message-id']),
        mailIds: mailgunMailIds(headers),
        subject: field(headers.subject),
        metadata: isRecord(d['user-variables']) ? d['user-variables'] : {},
        category: field(tags[0]),
        recipient: field(d.recipient),
        bounce: 'hard',
        url: field(d.url),
        ip: field(d.ip),
        userAgent: typeof client['user-agent'] === 'string' ? client['user-agent'] : null,
        // Empty when Mailgun saw no bot; otherwise the bot's or proxy's name (config.ts cites the docs).
        machineFlag: field(client.bot) !== null,
      },
    ],
  };
}
