// What ties a mail in a mailbox to one of our messages when its headers name none of our own
// Message-IDs (docs/replies.md "Which message a mail answers"): the Message-ID a provider put on the
// message it sent for us (learnt from its webhooks), and a keyed hash of the message's thread subject
// (given when it was wrapped). Kept in `message_mail_links` on both stores (migration 10).

/** `message-id`: a provider's Message-ID header of the message; `subject`: its thread subject's keyed hash. */
type MailLinkKind = 'message-id' | 'subject';

export interface MailLink {
  kind: MailLinkKind;
  /** A Message-ID as normalMessageId writes it, or `KID.HASH` of the thread subject (tracking/thread-subject.ts). */
  value: string;
  /** The clickrate message it belongs to. */
  message: string;
  /** Who said so: a provider's name, `wrap`, `api`. */
  source: string;
  /** Epoch ms it was first recorded. */
  at: number;
}

/** The table, on both stores. */
export const MAIL_LINKS_TABLE = 'message_mail_links';

/** RFC 5322 §3.6.4 caps nothing, but a Message-ID longer than a header line is not one anyone sends. */
const MAX_MESSAGE_ID = 998;

/**
 * A Message-ID as it is stored and looked up: in angle brackets, its domain lower-cased (domains are
 * case-insensitive, RFC 5321 §2.4; the left part is compared as written, RFC 5322 §3.6.4). Null for
 * what is no `left@right` id.
 */
export function normalMessageId(raw: string): string | null {
  const id = raw
    .trim()
    .replace(/^<(.*)>$/s, '$1')
    .trim();
  const at = id.lastIndexOf('@');
  if (at <= 0 || at === id.length - 1 || id.length + 2 > MAX_MESSAGE_ID || /[\s<>]/.test(id)) return null;
  return `<${id.slice(0, at)}@${id.slice(at + 1).toLowerCase()}>`;
}
