// The Message-ID header each provider puts on the mail it sends, read from its webhook events. Providers
// replace the sender's Message-ID with their own, so a reply's In-Reply-To/References names theirs; the
// webhook's id, turned into that header, ties the reply to the message (docs/replies.md §3).
import { field } from './provider-event.js';

/**
 * SendGrid: `smtp-id` is the Message-ID header itself, angle brackets included (Twilio SendGrid docs,
 * "Event Webhook Reference": smtp-id, "a unique ID attached to the message by the originating system";
 * sent on processed, delivered, deferred, bounce and dropped events, not on engagement events).
 */
export function sendgridMailIds(e: Record<string, unknown>): string[] {
  const id = field(e['smtp-id']);
  return id === null ? [] : [id];
}

/** `arn:aws:ses:REGION:…` or `arn:aws:sns:REGION:…` → REGION. */
const REGION = /^arn:aws[a-z-]*:(?:ses|sns):([a-z0-9-]+):/;

/**
 * Amazon SES: "If you provide a Message-ID header, Amazon SES overrides the header with its own value"
 * (AWS docs, "Amazon SES header fields", https://docs.aws.amazon.com/ses/latest/dg/header-fields.html).
 * Its value is `<mail.messageId@email.amazonses.com>` in us-east-1 and `<mail.messageId@REGION.amazonses.com>`
 * in other regions (as SES mail shows: `…-000000@us-west-2.amazonses.com`). The region is read from the
 * sending identity's ARN (`mail.sourceArn`), else the SNS topic's; both forms are kept when it is not
 * us-east-1, since older accounts' mail shows the first.
 */
export function sesMailIds(messageId: string | null, sourceArn: unknown, topicArn: unknown): string[] {
  if (messageId === null) return [];
  const region = REGION.exec(field(sourceArn) ?? '')?.[1] ?? REGION.exec(field(topicArn) ?? '')?.[1];
  const ids = [`<${messageId}@email.amazonses.com>`];
  if (region !== undefined && region !== 'us-east-1') ids.push(`<${messageId}@${region}.amazonses.com>`);
  return ids;
}

/**
 * Postmark: the Message-ID of its mail is `<MessageID@mtasv.net>` (its mail shows `Message-Id:
 * <UUID@mtasv.net>` beside `X-PM-Message-Id: UUID`; the official .NET client documents it as the
 * "Postmark-based <…@mtasv.net> value"). With `X-PM-KeepID: true` Postmark keeps the sender's own, ours,
 * which matching reads first anyway.
 */
export function postmarkMailIds(e: Record<string, unknown>): string[] {
  const id = field(e.MessageID);
  return id === null ? [] : [`<${id}@mtasv.net>`];
}

/** Mailgun: `message.headers.message-id` of the event data is the sent mail's Message-ID, without brackets (Mailgun docs, "Events"). */
export function mailgunMailIds(headers: Record<string, unknown>): string[] {
  const id = field(headers['message-id']);
  return id === null ? [] : [id];
}

/** Brevo: the event's `message-id` is the sent mail's Message-ID header, `<…@smtp-relay.mailin.fr>` (Brevo docs, "Transactional webhooks"). */
export function brevoMailIds(e: Record<string, unknown>): string[] {
  const id = field(e['message-id']);
  return id === null ? [] : [id];
}

/**
 * Resend: `data.message_id` of every `email.*` event is the sent mail's Message-ID (Resend changelog,
 * "Email Threading with Message-ID", https://resend.com/changelog/message-id-for-sent-emails);
 * `data.email_id` is Resend's own id and no header. Older deliveries carry no `message_id`: none then.
 */
export function resendMailIds(d: Record<string, unknown>): string[] {
  const id = field(d.message_id);
  return id === null ? [] : [id];
}
