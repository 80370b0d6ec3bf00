// Reads one raw message (RFC 5322, MIME) with mailparser into what matching and classification need:
// the thread headers, the sender, the date and the MailFacts. The body is read here and dropped with
// the parsed mail: nothing of it leaves this module except the verdict computed from it.
import { simpleParser, type ParsedMail } from 'mailparser';
import { ClickrateError } from '../errors.js';
import type { MailFacts } from './reply-classify.js';

/**
 * The largest message read. Replies and DSNs are small; the cap bounds memory against a huge attachment
 * (Gmail receives up to 50 MB; what matters here is in the first part).
 */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;

/** One message, read. */
export interface ReadMail {
  facts: MailFacts;
  /** The message's own Message-ID, or null. */
  messageId: string | null;
  /** Message-IDs it answers: In-Reply-To first, then References from the newest (RFC 5322 §3.6.4). */
  answers: string[];
  /** For a DSN: the Message-IDs of the returned message (its message/rfc822 or text/rfc822-headers part). */
  returned: string[];
  /** The Date header's instant (epoch ms), or null when absent or unreadable. */
  date: number | null;
}

const ID = /<[^<>\s]{1,998}>/g;

function idsIn(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
  return text.match(ID) ?? [];
}

/** Header lines as mailparser kept them, unfolded, by lower-case name. */
function headerMap(mail: ParsedMail): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { key, line } of mail.headerLines) {
    const colon = line.indexOf(':');
    const value = (colon < 0 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
    const list = map.get(key.toLowerCase()) ?? [];
    list.push(value);
    map.set(key.toLowerCase(), list);
  }
  return map;
}

function contentTypeOf(mail: ParsedMail): string {
  const ct = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (ct === undefined || typeof ct.value !== 'string') return 'text/plain';
  const params = Object.entries(ct.params ?? {})
    .filter(([k]) => k !== 'boundary' && k !== 'charset')
    .map(([k, v]) => `; ${k}=${v}`)
    .join('');
  return `${ct.value}${params}`.toLowerCase();
}

/** Reads one message; CR_ERR_BAD_INPUT names `where` when it is too large or not a message at all. */
export async function readMail(raw: Buffer, where: string): Promise<ReadMail> {
  if (raw.length > MAX_MAIL_BYTES) {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `${where}: message of ${raw.length} bytes is over the ${MAX_MAIL_BYTES}-byte limit`, { where });
  }
  let mail: ParsedMail;
  try {
    // No attachments' bodies are needed but the returned message's headers; skipping the HTML-to-text
    // conversion keeps a large HTML reply cheap.
    mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  } catch (err) {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `${where}: not a readable message (${(err as Error).message})`, { where }, { cause: err });
  }
  const headers = headerMap(mail);
  // RFC 5322 §3.6: every message has a From (and a Date); text without one is not a mail.
  if (!headers.has('from')) throw new ClickrateError('CR_ERR_BAD_INPUT', `${where}: not a message (no From header)`, { where });
  const contentType = contentTypeOf(mail);
  const isReport = contentType.startsWith('multipart/report');
  const text = mail.text ?? '';
  const returned: string[] = [];
  for (const a of mail.attachments) {
    if (a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers') {
      // Only the returned message's header block: its body is none of our business.
      const head =
        a.content
          .subarray(0, 256 * 1024)
          .toString('utf8')
          .split(/\r?\n\r?\n/, 1)[0] ?? '';
      returned.push(...(/^message-id:\s*(<[^>]+>)/im.exec(head)?.slice(1) ?? []));
    }
  }
  // mailparser folds text parts of a report (message/delivery-status, text/rfc822-headers) into the text.
  if (isReport) returned.push(...[...text.matchAll(/^message-id:\s*(<[^>\s]+>)/gim)].map((m) => m[1] ?? ''));
  const date = mail.date instanceof Date && !Number.isNaN(mail.date.getTime()) ? mail.date.getTime() : null;
  return {
    facts: {
      headers,
      from: mail.from?.value[0]?.address?.toLowerCase() ?? null,
      subject: mail.subject ?? '',
      contentType,
      deliveryStatus: isReport && /report-type=delivery-status/.test(contentType) ? text : null,
      text,
    },
    messageId: idsIn(mail.messageId)[0] ?? null,
    answers: [...idsIn(mail.inReplyTo), ...idsIn(mail.references).reverse()],
    returned,
    date,
  };
}
