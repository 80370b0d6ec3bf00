// Postmark's webhooks: one JSON object per request with a `RecordType` (Postmark docs, "Webhooks":
// Delivery, Bounce, Open, Click, SpamComplaint, SubscriptionChange). `Metadata` holds the metadata (set
// with X-PM-Metadata-* headers or the API's `Metadata`); `Tag` is the campaign's fallback.
import { epochMs, field, type ProviderBatch, type ProviderEvent, type ProviderEventKind } from './provider-event.js';
import { isRecord, parseJsonBody } from './webhook-verdict.js';
import { postmarkMailIds } from './provider-message-ids.js';

/**
 * Postmark bounce types that are bounces (Postmark docs, "Bounce webhook": bounce types). Transient is
 * a delay Postmark retries (a deferral); auto-replies, challenges and the like are not bounces at all.
 */
const BOUNCES: Readonly<Record<string, 'hard' | 'soft'>> = {
  HardBounce: 'hard',
  BadEmailAddress: 'hard',
  ManuallyDeactivated: 'hard',
  SoftBounce: 'soft',
  DnsError: 'soft',
  Blocked: 'soft',
  SMTPApiError: 'soft',
};

const KINDS: Readonly<Record<string, ProviderEventKind>> = {
  Delivery: 'delivered',
  Bounce: 'bounced',
  Open: 'open',
  Click: 'click',
  SpamComplaint: 'complaint',
  SubscriptionChange: 'unsubscribe',
};

export function postmarkEvents(rawBody: string): ProviderBatch {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return parsed;
  const e = parsed.value;
  if (!isRecord(e) || typeof e.RecordType !== 'string') return { ok: false, reason: 'a Postmark delivery is a JSON object with a "RecordType"' };
  const kind = KINDS[e.RecordType];
  const bounce = kind === 'bounced' ? BOUNCES[String(e.Type)] : undefined;
  // A SubscriptionChange is an unsubscribe only when the recipient asked (ManualSuppression) and sending stops.
  const unsubscribed = e.SuppressSending === true && e.SuppressionReason === 'ManualSuppression';
  if (!kind || (kind === 'bounced' && !bounce) || (kind === 'unsubscribe' && !unsubscribed)) return { ok: true, events: [], skipped: 1 };
  const at = e.DeliveredAt ?? e.BouncedAt ?? e.ReceivedAt ?? e.ChangedAt;
  const geo = isRecord(e.Geo) ? e.Geo : {};
  const event: ProviderEvent = {
    provider: 'postmark',
    kind,
    key: e.RecordType === 'Bounce' && field(e.ID) !== null ? `bounce-${field(e.ID)}` : [e.RecordType, e.MessageID, at, e.OriginalLink],
    ts: epochMs(at),
    providerMessage: field(e.MessageID),
    mailIds: postmarkMailIds(e),
    // Bounce webhooks carry the message's `Subject`; delivery, open and click webhooks do not (Postmark docs, "Webhooks").
    subject: field(e.Subject),
    metadata: isRecord(e.Metadata) ? e.Metadata : {},
    category: field(e.Tag),
    recipient: field(e.Recipient) ?? field(e.Email),
    bounce,
    url: field(e.OriginalLink),
    ip: field(geo.IP),
    userAgent: typeof e.UserAgent === 'string' ? e.UserAgent : null,
  };
  return { ok: true, events: [event], skipped: 0 };
}
