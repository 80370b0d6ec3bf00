// Which of our messages an answering mail belongs to. In order: the Message-IDs it names (In-Reply-To,
// then References; for a DSN the returned message's own), verified by their MAC (message-id-header.ts);
// then a provider's message id that a provider webhook mapped to a message (the ProviderIdLookup seam);
// else, marked weak, the latest message sent to its sender in the 30 days before it, when it answers a
// thread (a reply prefix or an In-Reply-To we do not know).
import { ParamBag } from '../store/dialect.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import { messageOfMessageId } from '../tracking/message-id-header.js';
import type { ReadMail } from './read-mail.js';
import { threadSubject } from './reply-classify.js';

type MatchHow = 'in-reply-to' | 'references' | 'returned' | 'provider' | 'weak-sender';

export interface ReplyMatch {
  message: string;
  how: MatchHow;
  /** Matched by sender and time only: the mail may answer something else. */
  weak: boolean;
}

/**
 * The seam for provider message ids (SendGrid `smtp-id`, SES `mail.messageId`, …): a provider webhook
 * records which clickrate message a provider's id belongs to; matching asks it about the Message-IDs a
 * mail names. Absent: that step is skipped.
 * @public the provider webhooks implement it
 */
export interface ProviderIdLookup {
  /** The clickrate message of the first of `ids` (Message-IDs, with angle brackets) that is mapped, or null. */
  messageOf(ids: readonly string[]): Promise<string | null>;
}

export interface MatchContext {
  keyring: Keyring;
  store: Store;
  providerIds?: ProviderIdLookup;
}

/** How far back a weak match looks: a cold sequence's steps are days apart, a month covers a thread. */
const WEAK_WINDOW_MS = 30 * 86_400_000;

/** Our message named by `ids` (first verified wins), or null. */
function named(ids: readonly string[], ring: Keyring): string | null {
  for (const id of ids) {
    const message = messageOfMessageId(id, ring);
    if (message !== null) return message;
  }
  return null;
}

/** The latest message sent to `address` in the window before `at`, or null. */
async function latestSentTo(store: Store, address: string, at: number): Promise<string | null> {
  const d = store.dialect;
  const bag = new ParamBag();
  const where = `type = 'sent' AND lower(recipient) = ${d.param(bag, address, 'String')}
    AND ts >= ${d.param(bag, at - WEAK_WINDOW_MS, 'Int64')} AND ts <= ${d.param(bag, at, 'Int64')}`;
  const rows = await store.query({ sql: `SELECT message, ts FROM ${d.events(where, false)} AS e ORDER BY ts DESC, message LIMIT 1`, params: bag.params });
  const message = rows[0]?.message;
  return typeof message === 'string' ? message : null;
}

/** The message `mail` answers, or null when none of ours; `at` is the mail's time (epoch ms). */
export async function matchReply(mail: ReadMail, at: number, ctx: MatchContext): Promise<ReplyMatch | null> {
  const inReplyTo = named(mail.answers.slice(0, 1), ctx.keyring);
  if (inReplyTo !== null) return { message: inReplyTo, how: 'in-reply-to', weak: false };
  const references = named(mail.answers.slice(1), ctx.keyring);
  if (references !== null) return { message: references, how: 'references', weak: false };
  const returned = named(mail.returned, ctx.keyring);
  if (returned !== null) return { message: returned, how: 'returned', weak: false };
  if (ctx.providerIds !== undefined) {
    const message = await ctx.providerIds.messageOf([...mail.answers, ...mail.returned]);
    if (message !== null) return { message, how: 'provider', weak: false };
  }
  // TRICKY: only a mail that answers some thread may match weakly; a sender's fresh message about
  // something else would otherwise count as a reply to whatever was last sent to them.
  const answersThread = mail.answers.length > 0 || threadSubject(mail.facts.subject) !== mail.facts.subject.replace(/\s+/g, ' ').trim().toLowerCase();
  if (!answersThread || mail.facts.from === null) return null;
  const message = await latestSentTo(ctx.store, mail.facts.from, at);
  return message === null ? null : { message, how: 'weak-sender', weak: true };
}
