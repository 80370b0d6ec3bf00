// Amazon SES events inside a verified SNS message (AWS docs, "Contents of event data that Amazon SES
// publishes to Amazon SNS", and the older "Amazon SNS notification contents" with `notificationType`).
// `mail.tags` hold the metadata (X-SES-MESSAGE-TAGS or the API's `Tags`); the configuration set is the
// campaign's fallback. A SubscriptionConfirmation for an allowed topic is confirmed here.
import { epochMs, field, type ProviderBatch, type ProviderEventKind } from './provider-event.js';
import { isRecord, parseJsonBody } from './webhook-verdict.js';
import { sesMailIds } from './provider-message-ids.js';

/** SES type → clickrate kind. `DeliveryDelay` is a deferral; a `Reject` was never delivered (hard bounce). */
const KINDS: Readonly<Record<string, ProviderEventKind>> = {
  Send: 'sent',
  Delivery: 'delivered',
  Bounce: 'bounced',
  Reject: 'bounced',
  Open: 'open',
  Click: 'click',
  Complaint: 'complaint',
  Subscription: 'unsubscribe',
};

/** SES tags are `{name: [values]}`: the first value of each. */
function tagsOf(v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isRecord(v)) for (const [k, vals] of Object.entries(v)) out[k] = Array.isArray(vals) ? vals[0] : vals;
  return out;
}

/**
 * Reads the SES event of a verified SNS Notification. `confirm` is called with the SubscribeURL of a
 * SubscriptionConfirmation (the verifier has already checked its topic is allowed).
 */
export async function sesEvents(rawBody: string, confirm: (subscribeUrl: string) => Promise<void>): Promise<ProviderBatch> {
  const parsed = parseJsonBody(rawBody);
  if (!parsed.ok) return parsed;
  const sns = isRecord(parsed.value) ? parsed.value : {};
  if (sns.Type === 'SubscriptionConfirmation') {
    await confirm(String(sns.SubscribeURL));
    return { ok: true, events: [], skipped: 1 };
  }
  if (sns.Type !== 'Notification') return { ok: true, events: [], skipped: 1 };
  const inner = parseJsonBody(String(sns.Message));
  if (!inner.ok || !isRecord(inner.value)) return { ok: false, reason: 'the SNS Message is not an SES event (JSON)' };
  const n = inner.value;
  const type = String(n.eventType ?? n.notificationType);
  const kind = KINDS[type];
  const detail = n[type.charAt(0).toLowerCase() + type.slice(1)];
  const d = isRecord(detail) ? detail : {};
  const unsubscribed = isRecord(d.newTopicPreferences) && d.newTopicPreferences.unsubscribeAll === true;
  const mail = isRecord(n.mail) ? n.mail : {};
  if (!kind || (kind === 'unsubscribe' && !unsubscribed) || !isRecord(n.mail)) return { ok: true, events: [], skipped: 1 };
  const tags = tagsOf(mail.tags);
  const to = Array.isArray(mail.destination) ? mail.destination : [];
  const at = d.timestamp ?? mail.timestamp;
  return {
    ok: true,
    skipped: 0,
    events: [
      {
        provider: 'ses',
        kind,
        key: [type, mail.messageId, at, d.link, d.feedbackId],
        ts: epochMs(at),
        providerMessage: field(mail.messageId),
        mailIds: sesMailIds(field(mail.messageId), mail.sourceArn, sns.TopicArn),
        // `mail.commonHeaders.subject`: the message's Subject (AWS docs, "Contents of event data", mail object).
        subject: isRecord(mail.commonHeaders) ? field(mail.commonHeaders.subject) : null,
        metadata: tags,
        category: field(tags['ses:configuration-set']),
        recipient: field(to[0]),
        // Permanent is a hard bounce; Transient and Undetermined are soft (SES gave up on this message).
        bounce: type === 'Reject' || d.bounceType === 'Permanent' ? 'hard' : 'soft',
        url: field(d.link),
        ip: field(d.ipAddress),
        userAgent: typeof d.userAgent === 'string' ? d.userAgent : null,
      },
    ],
  };
}
