// A Postmark inbound delivery (JSON; Postmark docs, "Inbound webhook") as the message recordReplies
// reads. Postmark hands over no raw MIME, only fields: its Headers array, From, Subject, Date, MessageID
// and TextBody are written back into a plain-text message, so matching and classification run on the
// same path as a mail from a mailbox (read-mail.ts) and nothing is classified twice by two rules.
import { z } from 'zod';

const PostmarkInbound = z.object({
  From: z.string().optional(),
  FromFull: z.object({ Email: z.string().optional() }).optional(),
  Subject: z.string().optional(),
  Date: z.string().optional(),
  MessageID: z.string().optional(),
  TextBody: z.string().optional(),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
});

/** RFC 5322 §2.2: a field name is printable US-ASCII except the colon. */
const FIELD_NAME = /^[!-9;-~]{1,76}$/;
/** Headers this module writes itself: the body it writes is text/plain UTF-8, whatever the original was. */
const OWN = new Set(['from', 'subject', 'date', 'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition']);
const ADDRESS = /^[^\s<>"(),;:\\[\]]+@[^\s<>"(),;:\\[\]]+$/;

/**
 * One header value, safe to write on one line. TRICKY: a CR or LF in a JSON field would otherwise add a
 * header of the sender's choosing; line breaks and other control characters become one space. Non-ASCII
 * text stays UTF-8, which mailparser reads as such (an out-of-office subject in French still reads as one).
 */
function headerValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return value.replace(/[\x00-\x08\x0a-\x1f\x7f]+/g, ' ');
}

/** The message a Postmark inbound delivery describes, as raw MIME; or why the JSON is not one. */
export function postmarkInboundMail(rawBody: string): { ok: true; raw: Buffer; where: string } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (err) {
    return { ok: false, reason: `the body is not valid JSON (${(err as Error).message})` };
  }
  const parsed = PostmarkInbound.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : '';
    return { ok: false, reason: `a Postmark inbound delivery is a JSON object with From, Subject, Headers…${at}` };
  }
  const p = parsed.data;
  const from = (p.FromFull?.Email ?? p.From ?? '').trim();
  if (!ADDRESS.test(from))
    return { ok: false, reason: `the Postmark inbound delivery has no sender address in From/FromFull.Email (${JSON.stringify(from.slice(0, 80))})` };
  const lines = [`From: <${from}>`, `Subject: ${headerValue(p.Subject ?? '')}`];
  if (p.Date !== undefined && p.Date.trim() !== '') lines.push(`Date: ${headerValue(p.Date)}`);
  let hasMessageId = false;
  for (const h of p.Headers ?? []) {
    const name = h.Name.trim();
    if (!FIELD_NAME.test(name) || OWN.has(name.toLowerCase())) continue;
    if (name.toLowerCase() === 'message-id') hasMessageId = true;
    lines.push(`${name}: ${headerValue(h.Value)}`);
  }
  // Without the mail's own Message-ID, Postmark's id stands in: a redelivery still names the same mail,
  // so it is stored once (record-replies.ts derives the event id from it).
  const pmId = p.MessageID?.trim() ?? '';
  if (!hasMessageId && /^[A-Za-z0-9._-]{1,200}$/.test(pmId)) lines.push(`Message-ID: <${pmId}@inbound.postmarkapp.com>`);
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64');
  const body = (
    Buffer.from(p.TextBody ?? '', 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
  const where = `postmark:${/^[A-Za-z0-9._-]{1,200}$/.test(pmId) ? pmId : 'inbound'}`;
  return { ok: true, raw: Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}\r\n`, 'utf8'), where };
}
