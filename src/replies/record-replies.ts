// Turns answering mails into stored events: a person's reply, an auto-reply or an opt-out becomes a
// `reply` event with a verdict; a DSN a `bounced` event with its status code among the verdict's
// reasons. Only the event, the verdict and its reasons are stored: no body, no address, no subject.
import { createHash } from 'node:crypto';
import { CLASSIFIER_VERSION } from '../classify/config.js';
import { ClickrateError } from '../errors.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import { ParamBag } from '../store/dialect.js';
import type { Store, VerdictRow } from '../store/store.js';
import { MAX_MAIL_BYTES, readMail } from './read-mail.js';
import { classifyReply, type ReplyKind } from './reply-classify.js';
import { matchReply, type MatchContext } from './reply-match.js';

/** One mail as a source hands it over. */
export interface MailItem {
  raw: Buffer;
  /** Where it came from, for messages (a file path, `imap://host/INBOX;UID=7`). */
  where: string;
  /** When the mailbox received it (epoch ms): the reply's time when its Date header is missing. */
  receivedAt?: number;
  /** Set instead of `raw` when the mail is over MAX_MAIL_BYTES: its size, and it is reported, not read. */
  oversized?: number;
}

export interface ReplyOutcome {
  where: string;
  /** `unmatched`: not an answer to any of our messages; `unreadable`: not a message (see `error`). */
  kind: ReplyKind | 'unmatched' | 'unreadable';
  message: string | null;
  reasons: string[];
  status?: string;
  /** False when it was stored before (the same mail read again), or is not stored at all. */
  stored: boolean;
  error?: string;
}

/**
 * What a reply's stored verdict says. TRICKY: for a reply, `machine` means "set aside from reply_rate":
 * an auto-reply, or an opt-out (its first reason `opt-out:…`); a ClickHouse report joins only verdicts
 * marked machine (clickhouse-layout.ts), so an opt-out must be one to be counted apart there.
 */
function verdictRow(id: string, kind: ReplyKind, reasons: string[]): VerdictRow {
  return { id, machine: kind === 'auto' || kind === 'opt_out', reasons: JSON.stringify(reasons) };
}

/** A stable event id: the same mail read twice (two imports, an IMAP resume) is stored once. */
function eventId(prefix: string, messageId: string | null, raw: Buffer): string {
  const digest = createHash('sha256')
    .update(messageId ?? raw)
    .digest('base64url')
    .slice(0, 32);
  return `${prefix}:${digest}`;
}

async function judge(item: MailItem, ctx: MatchContext): Promise<{ outcome: ReplyOutcome; event?: Record<string, unknown>; verdict?: VerdictRow }> {
  let mail: Awaited<ReturnType<typeof readMail>>;
  if (item.oversized !== undefined) {
    const error = `${item.where}: message of ${item.oversized} bytes or more is over the ${MAX_MAIL_BYTES}-byte limit`;
    return { outcome: { where: item.where, kind: 'unreadable', message: null, reasons: [], stored: false, error } };
  }
  try {
    mail = await readMail(item.raw, item.where);
  } catch (err) {
    return { outcome: { where: item.where, kind: 'unreadable', message: null, reasons: [], stored: false, error: (err as Error).message } };
  }
  const at = mail.date ?? item.receivedAt ?? Date.now();
  const verdict = classifyReply(mail.facts);
  const match = await matchReply(mail, at, ctx);
  if (match === null) return { outcome: { where: item.where, kind: 'unmatched', message: null, reasons: verdict.reasons, stored: false } };
  const reasons = [...verdict.reasons, `match:${match.how}`];
  const outcome: ReplyOutcome = { where: item.where, kind: verdict.kind, message: match.message, reasons, stored: false };
  if (verdict.status !== undefined) outcome.status = verdict.status;
  // A delay warning (RFC 3464 Action: delayed) is neither a bounce nor a reply: reported, not stored.
  if (verdict.kind === 'delay') return { outcome };
  const bounce = verdict.kind === 'bounce';
  const id = eventId(bounce ? 'mail-bounce' : 'mail-reply', mail.messageId, item.raw);
  const event = { id, type: bounce ? 'bounced' : 'reply', ts: new Date(at).toISOString(), message: match.message };
  return { outcome, event, verdict: bounce ? { id, machine: false, reasons: JSON.stringify(reasons) } : verdictRow(id, verdict.kind, reasons) };
}

/**
 * Reads, matches, classifies and stores a batch of mails in one ingest (all or nothing for the batch:
 * a store failure stores none of them, and the caller may read them again). Mails that are unreadable or
 * answer nothing of ours are reported and skipped.
 */
export async function recordReplies(store: Store, items: readonly MailItem[], ctx: Omit<MatchContext, 'store'>): Promise<ReplyOutcome[]> {
  const judged = [];
  for (const item of items) judged.push(await judge(item, { ...ctx, store }));
  const events = judged.flatMap((j) => (j.event === undefined ? [] : [j.event]));
  if (events.length === 0) return judged.map((j) => j.outcome);
  const before = new Set(
    await storedIds(
      store,
      events.map((e) => String(e.id)),
    ),
  );
  const counts = await ingestEvents(store, events);
  if (counts.refused !== undefined && counts.refused.length > 0) {
    throw new ClickrateError('CR_ERR_STORE', `the store refused ${counts.refused.length} reply event(s): ${counts.refused[0]?.reason}`);
  }
  // Verdicts only for the events this batch stored: a mail read again keeps its first verdict.
  const fresh = judged.filter((j) => j.verdict !== undefined && !before.has(j.verdict.id));
  await store.writeVerdicts(
    fresh.map((j) => j.verdict as VerdictRow),
    CLASSIFIER_VERSION,
  );
  for (const j of fresh) j.outcome.stored = true;
  return judged.map((j) => j.outcome);
}

/** Which of `ids` the store already holds. */
async function storedIds(store: Store, ids: readonly string[]): Promise<string[]> {
  const d = store.dialect;
  const bag = new ParamBag();
  const list = ids.map((id) => d.param(bag, id, 'String')).join(', ');
  const rows = await store.query({ sql: `SELECT id FROM ${d.events(`id IN (${list})`, false)} AS e`, params: bag.params });
  return rows.map((r) => String(r.id));
}

/** Mails per ingest: one transaction each, and a bounded number of mails in memory at once. */
const BATCH = 200;

/** Every mail of `mails`, recorded in batches; `onOutcome` hears each as its batch is stored. */
export async function recordAll(
  store: Store,
  mails: AsyncIterable<MailItem>,
  ctx: Omit<MatchContext, 'store'>,
  onOutcome: (o: ReplyOutcome) => void,
): Promise<void> {
  let batch: MailItem[] = [];
  let bytes = 0;
  for await (const item of mails) {
    batch.push(item);
    bytes += item.raw.length;
    if (batch.length >= BATCH || bytes > 64 * 1024 * 1024) {
      for (const o of await recordReplies(store, batch, ctx)) onOutcome(o);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) for (const o of await recordReplies(store, batch, ctx)) onOutcome(o);
}
