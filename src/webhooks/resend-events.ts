// Resend's webhooks: one JSON event per request, `{"type": "email.…", "created_at", "data": {...}}`
// (Resend docs, "Event Types"). `data.tags` hold the metadata (the API's `tags`, name/value pairs; the
// webhook gives them as an object); the `category` tag or the broadcast is the campaign's fallback.
import { epochMs, field, type ProviderBatch, type ProviderEventKind } from './provider-event.js';
import { isRecord, parseJsonBody } from './webhook-verdict.js';
import { resendMailIds } from './provider-message-ids.js';

/** Resend type → clickrate kind. `email.delivery_delayed` is a deferral; inbound and contact events are not counted here. */
const KINDS: Readonly<Record<string, ProviderEventKind>> = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.bounced': 'bounced',
  'email.opened': 'open',
  'email.clicked': 'click',
  'email.complained': 'complaint',
};

/** Tags as an object, from the webhook's object form or the API's `[{name, value}]` form. */
function tagsOf(v: unknown): Record<string, unknown> {
  if (isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  if (Array.isArray(v)) for (const t of v) if (isRecord(t) && typeof t.name === 'string') out[t.name] = t.value;
  return out;
}

export function resendEvents(rawBody: string): ProviderBatch {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return parsed;
  const e = parsed.value;
  if (!isRecord(e) || typeof e.type !== 'string' || !isRecord(e.data))
    return { ok: false, reason: 'a Resend delivery is a JSON object with a "type" and a "data" object' };
  const kind = KINDS[e.type];
  if (!kind) return { ok: true, events: [], skipped: 1 };
  const d = e.data;
  const act = isRecord(d.click) ? d.click : isRecord(d.open) ? d.open : {};
  const bounce = isRecord(d.bounce) ? d.bounce : {};
  const tags = tagsOf(d.tags);
  const to = Array.isArray(d.to) ? d.to : [d.to];
  return {
    ok: true,
    skipped: 0,
    events: [
      {
        provider: 'resend',
        kind,
        key: [e.type, d.email_id, e.created_at, act.link, act.timestamp],
        ts: epochMs(act.timestamp ?? e.created_at),
        providerMessage: field(d.email_id),
        mailIds: resendMailIds(d),
        subject: field(d.subject),
        metadata: tags,
        category: field(tags.category) ?? field(d.broadcast_id),
        recipient: field(to[0]),
        // Resend's bounce.type: "Permanent" (hard) or "Transient"/"Undetermined" (soft), as SES reports them.
        bounce: bounce.type === 'Permanent' || bounce.type === undefined ? 'hard' : 'soft',
        url: field(act.link),
        ip: field(act.ipAddress),
        userAgent: typeof act.userAgent === 'string' ? act.userAgent : null,
      },
    ],
  };
}
