// Which of our messages an answering mail belongs to. In order: the Message-IDs it names (In-Reply-To,
// then References; for a DSN the returned message's own), verified by their MAC (message-id-header.ts);
// then a provider's Message-ID that a provider webhook tied to a message (message_mail_links); else,
// marked weak, a message sent to its sender in the 30 days before it, when it answers a thread: the
// latest of the same thread subject, or, where no subject was stored, the latest (docs/replies.md §3).
import { ParamBag } from '../store/dialect.js';
import { MAIL_LINKS_TABLE, normalMessageId } from '../store/mail-links.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import { messageOfMessageId } from '../tracking/message-id-header.js';
import { sameThreadSubject, threadSubject } from '../tracking/thread-subject.js';
import type { ReadMail } from './read-mail.js';

/**
 * `weak-subject`: sent to the sender, with the mail's thread subject; `weak-sender`: sent to the sender,
 * no subject stored for it to compare (the latest such message).
 */
type MatchHow = 'in-reply-to' | 'references' | 'returned' | 'provider' | 'weak-subject' | 'weak-sender';

export interface ReplyMatch {
  message: string;
  how: MatchHow;
  /** Matched by sender and time (and subject) only: the mail may answer something else. */
  weak: boolean;
}

export interface MatchContext {
  keyring: Keyring;
  store: Store;
}

/** How far back a weak match looks: a cold sequence's steps are days apart, a month covers a thread. */
const WEAK_WINDOW_MS = 30 * 86_400_000;
/** Messages to one person in a month that a weak match compares: a sequence has a handful. */
const WEAK_CANDIDATES = 50;

/** Our message named by `ids` (first verified wins), or null. */
function named(ids: readonly string[], ring: Keyring): string | null {
  for (const id of ids) {
    const message = messageOfMessageId(id, ring);
    if (message !== null) return message;
  }
  return null;
}

/** The message a provider's Message-ID among `ids` was tied to (the first of `ids` that is), or null. */
async function providerMessage(store: Store, ids: readonly string[]): Promise<string | null> {
  const wanted = [...new Set(ids.map(normalMessageId).filter((id): id is string => id !== null))].slice(0, 100);
  if (wanted.length === 0) return null;
  const d = store.dialect;
  const bag = new ParamBag();
  const list = wanted.map((id) => d.param(bag, id, 'String')).join(', ');
  const rows = await store.query({
    sql: `SELECT DISTINCT value, message FROM ${MAIL_LINKS_TABLE} WHERE kind = 'message-id' AND value IN (${list}) ORDER BY value, message`,
    params: bag.params,
  });
  for (const id of wanted) {
    const row = rows.find((r) => r.value === id);
    if (row !== undefined) return String(row.message);
  }
  return null;
}

/** Messages sent to `address` in the window before `at`, latest first. */
async function sentTo(store: Store, address: string, at: number): Promise<string[]> {
  const d = store.dialect;
  const bag = new ParamBag();
  const where = `type = 'sent' AND lower(recipient) = ${d.param(bag, address, 'String')}
    AND ts >= ${d.param(bag, at - WEAK_WINDOW_MS, 'Int64')} AND ts <= ${d.param(bag, at, 'Int64')}`;
  const rows = await store.query({
    sql: `SELECT message, ts FROM ${d.events(where, false)} AS e ORDER BY ts DESC, message LIMIT ${WEAK_CANDIDATES}`,
    params: bag.params,
  });
  return rows.flatMap((r) => (typeof r.message === 'string' ? [r.message] : []));
}

/** The stored thread-subject hashes of `messages`, by message. */
async function subjectHashes(store: Store, messages: readonly string[]): Promise<Map<string, string[]>> {
  const d = store.dialect;
  const bag = new ParamBag();
  const list = messages.map((m) => d.param(bag, m, 'String')).join(', ');
  const rows = await store.query({
    sql: `SELECT DISTINCT message, value FROM ${MAIL_LINKS_TABLE} WHERE kind = 'subject' AND message IN (${list})`,
    params: bag.params,
  });
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(String(r.message), [...(out.get(String(r.message)) ?? []), String(r.value)]);
  return out;
}

/**
 * The weak match among the messages sent to the mail's sender: the latest whose stored thread subject is
 * the mail's; else the latest with no subject stored (nothing to compare: today's rule, said in `how`).
 * TRICKY: a message whose stored subject differs is never taken: the mail answers another thread.
 */
async function weakMatch(mail: ReadMail, from: string, at: number, ctx: MatchContext): Promise<ReplyMatch | null> {
  const candidates = await sentTo(ctx.store, from, at);
  if (candidates.length === 0) return null;
  const hashes = await subjectHashes(ctx.store, candidates);
  const same = candidates.find((m) => hashes.get(m)?.some((h) => sameThreadSubject(h, mail.facts.subject, ctx.keyring)));
  if (same !== undefined) return { message: same, how: 'weak-subject', weak: true };
  const unknown = candidates.find((m) => !hashes.has(m));
  return unknown === undefined ? null : { message: unknown, how: 'weak-sender', weak: true };
}

/** The message `mail` answers, or null when none of ours; `at` is the mail's time (epoch ms). */
export async function matchReply(mail: ReadMail, at: number, ctx: MatchContext): Promise<ReplyMatch | null> {
  const inReplyTo = named(mail.answers.slice(0, 1), ctx.keyring);
  if (inReplyTo !== null) return { message: inReplyTo, how: 'in-reply-to', weak: false };
  const references = named(mail.answers.slice(1), ctx.keyring);
  if (references !== null) return { message: references, how: 'references', weak: false };
  const returned = named(mail.returned, ctx.keyring);
  if (returned !== null) return { message: returned, how: 'returned', weak: false };
  const provider = await providerMessage(ctx.store, [...mail.answers, ...mail.returned]);
  if (provider !== null) return { message: provider, how: 'provider', weak: false };
  // TRICKY: only a mail that answers some thread may match weakly; a sender's fresh message about
  // something else would otherwise count as a reply to whatever was last sent to them.
  const answersThread = mail.answers.length > 0 || threadSubject(mail.facts.subject) !== mail.facts.subject.replace(/\s+/g, ' ').trim().toLowerCase();
  if (!answersThread || mail.facts.from === null) return null;
  return weakMatch(mail, mail.facts.from, at, ctx);
}
