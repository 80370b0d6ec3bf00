// SendGrid's Event Webhook: a JSON array of events (Twilio SendGrid docs, "Event Webhook Reference").
// Custom arguments (`custom_args`, or `unique_args` in X-SMTPAPI) appear as top-level keys of each event,
// so `clickrate_message` is read from there; `category` (a string or a list) is the campaign's fallback.
import { epochMs, field, type ProviderBatch, type ProviderEvent, type ProviderEventKind } from './provider-event.js';
import { isRecord, parseJsonBody } from './webhook-verdict.js';
import { sendgridMailIds } from './provider-message-ids.js';

/**
 * SendGrid event → clickrate kind. `deferred` is a deferral (SendGrid retries it), not a bounce; `dropped`
 * means SendGrid never sent it (a suppressed address), so a processed message that is dropped is not
 * delivered: a hard bounce. `bounce` with `type: "blocked"` is a soft bounce (a temporary refusal).
 */
const KINDS: Readonly<Record<string, ProviderEventKind>> = {
  processed: 'sent',
  delivered: 'delivered',
  bounce: 'bounced',
  dropped: 'bounced',
  open: 'open',
  click: 'click',
  unsubscribe: 'unsubscribe',
  group_unsubscribe: 'unsubscribe',
  spamreport: 'complaint',
};

export function sendgridEvents(rawBody: string): ProviderBatch {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.value)) return { ok: false, reason: 'a SendGrid delivery is a JSON array of events' };
  const events: ProviderEvent[] = [];
  let skipped = 0;
  for (const [i, e] of parsed.value.entries()) {
    if (!isRecord(e) || typeof e.event !== 'string') return { ok: false, reason: `event ${i} is not a SendGrid event (an object with an "event")` };
    const kind = KINDS[e.event];
    if (!kind) {
      skipped++;
      continue;
    }
    const categories = Array.isArray(e.category) ? e.category : [e.category];
    events.push({
      provider: 'sendgrid',
      kind,
      key: field(e.sg_event_id) ?? [e.event, e.sg_message_id, e.timestamp, e.url],
      ts: epochMs(e.timestamp),
      providerMessage: field(e.sg_message_id),
      mailIds: sendgridMailIds(e),
      metadata: e,
      category: field(categories[0]),
      recipient: field(e.email),
      bounce: e.event === 'bounce' && e.type === 'blocked' ? 'soft' : 'hard',
      url: field(e.url),
      ip: field(e.ip),
      userAgent: typeof e.useragent === 'string' ? e.useragent : null,
      machineFlag: e.sg_machine_open === true,
    });
  }
  return { ok: true, events, skipped };
}
