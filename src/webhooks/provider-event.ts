// What a provider's event says, in one shape for every provider, and how it becomes clickrate's events
// (SPEC.md "Provider webhooks"): which message it is about, a stable id per provider event so a retried
// delivery is stored once, and the `sent` that a provider's processed/delivered event stands for.
import { createHash } from 'node:crypto';
import { providerFlaggedId } from '../classify/provider-flag.js';
import { parseEvent } from '../events/parse-event.js';
import { normalMessageId, type MailLink } from '../store/mail-links.js';
import type { Keyring } from '../tracking/keyring.js';
import { threadSubjectHash } from '../tracking/thread-subject.js';
import type { SpoolEvent } from '../tracking/spool.js';
import type { WebhookProvider } from './webhook-verdict.js';

/** The metadata keys a sender attaches to a message (SPEC.md: `clickrate_message`, `clickrate_campaign`). */
export const MESSAGE_KEY = 'clickrate_message';
export const CAMPAIGN_KEY = 'clickrate_campaign';

/** clickrate's kinds of provider event; deferrals and events clickrate does not count are not mapped at all. */
export type ProviderEventKind = 'sent' | 'delivered' | 'bounced' | 'open' | 'click' | 'unsubscribe' | 'complaint';

export interface ProviderEvent {
  provider: WebhookProvider;
  kind: ProviderEventKind;
  /** The provider's own id for this event, or the values that tell it apart (digested into the id). */
  key: string | readonly unknown[];
  /** Epoch ms, NaN when the provider's time could not be read (the event is then refused). */
  ts: number;
  /** The provider's own message id. */
  providerMessage: string | null;
  /**
   * The Message-ID header(s) the provider put on the mail it sent (provider-message-ids.ts): a reply names
   * these, not ours, since providers replace the sender's. Absent: the provider's event gives none.
   */
  mailIds?: readonly string[];
  /** The mail's Subject where the provider's event carries it (SES, Mailgun, Postmark bounces, Resend, Brevo). */
  subject?: string | null;
  /** Metadata attached when sending (custom args, user variables, tags as key/value). */
  metadata: Readonly<Record<string, unknown>>;
  /** The provider's category or tag, the campaign when `clickrate_campaign` is absent. */
  category: string | null;
  recipient: string | null;
  /** Bounces only: a hard one (permanent) or a soft one (the provider gave up for now). */
  bounce?: 'hard' | 'soft';
  url?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** The provider judged this open or click a machine's (provider-flag.ts). */
  machineFlag?: boolean;
}

/** What one provider event became: the events to spool, or why none could be made. */
export type Mapped = { ok: true; events: SpoolEvent[] } | { ok: false; reason: string };

/** Ids are at most 200 characters (event.ts); longer provider values are digested. */
const MAX_PART = 120;
const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('base64url').slice(0, 22);
const part = (v: string | readonly unknown[]) => (typeof v === 'string' && v.length > 0 && v.length <= MAX_PART ? v : `h${digest(v)}`);

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** The message an event is about: `clickrate_message`, else the provider's id prefixed with its name. */
function messageOf(e: ProviderEvent): { message: string; ours: boolean } | null {
  const named = text(e.metadata[MESSAGE_KEY]);
  if (named !== null) return { message: named, ours: true };
  if (e.providerMessage === null || e.providerMessage === '') return null;
  const id = `${e.provider}:${e.providerMessage}`;
  return { message: id.length <= 200 ? id : `${e.provider}:h${digest(e.providerMessage)}`, ours: false };
}

/**
 * clickrate's events for one provider event, each checked by the one gate (parseEvent).
 * - A message clickrate wrapped (`clickrate_message`) already has its `sent`: the provider's send adds nothing.
 * - A message known only to the provider is sent once its processed or delivered event arrives: one
 *   `sent` per message (its id is the message's, so later events and retries add no second one).
 */
export function toClickrateEvents(e: ProviderEvent): Mapped {
  const m = messageOf(e);
  if (m === null) return { ok: false, reason: `${e.provider} ${e.kind} event names no message (no ${MESSAGE_KEY} and no provider message id)` };
  if (!Number.isFinite(e.ts)) return { ok: false, reason: `${e.provider} ${e.kind} event has no readable time` };
  const ts = new Date(e.ts).toISOString();
  const raw: Record<string, unknown>[] = [];
  if ((e.kind === 'sent' || e.kind === 'delivered') && !m.ours) {
    const recipient = text(e.recipient);
    if (recipient === null) return { ok: false, reason: `${e.provider} ${e.kind} event names no recipient` };
    const campaign = text(e.metadata[CAMPAIGN_KEY]) ?? text(e.category) ?? e.provider;
    raw.push({ id: `wh:${e.provider}:sent:${part(m.message)}`, type: 'sent', ts, message: m.message, campaign, recipient });
  }
  if (e.kind !== 'sent') {
    const kind = e.kind === 'bounced' ? `bounced-${e.bounce ?? 'hard'}` : e.kind;
    const rest = `${kind}:${part(e.key)}`;
    const flagged = e.machineFlag === true && (e.kind === 'open' || e.kind === 'click');
    const ev: Record<string, unknown> = {
      id: flagged ? providerFlaggedId(e.provider, rest) : `wh:${e.provider}:${rest}`,
      type: e.kind,
      ts,
      message: m.message,
    };
    if (e.kind === 'click') ev.url = e.url ?? undefined;
    if (e.kind === 'open' || e.kind === 'click') {
      if (text(e.ip) !== null) ev.ip = text(e.ip);
      if (typeof e.userAgent === 'string') ev.user_agent = e.userAgent.slice(0, 2048);
    }
    raw.push(ev);
  }
  const events: SpoolEvent[] = [];
  for (const r of raw) {
    const parsed = parseEvent(r);
    if (!parsed.ok) return { ok: false, reason: `${e.provider} ${e.kind} event: ${parsed.reason}` };
    events.push({ ...parsed.event, id: r.id as string });
  }
  return { ok: true, events };
}

/**
 * The Message-IDs of the mail an event is about, each tied to its message (store/mail-links.ts), so a
 * reply that names one is matched to the message; and, with the signing keys, the keyed hash of its
 * thread subject when the event carries the subject. A webhook delivered again records nothing new.
 */
export function mailLinksOf(e: ProviderEvent, at: number, ring?: Keyring): MailLink[] {
  const m = messageOf(e);
  if (m === null) return [];
  const ids = new Set((e.mailIds ?? []).map(normalMessageId).filter((id): id is string => id !== null));
  const links: MailLink[] = [...ids].map((value) => ({ kind: 'message-id', value, message: m.message, source: e.provider, at }));
  const hash = ring === undefined || typeof e.subject !== 'string' ? null : threadSubjectHash(e.subject, ring);
  if (hash !== null) links.push({ kind: 'subject', value: hash, message: m.message, source: e.provider, at });
  return links;
}

/** Shared readers for the mappers: a text field, seconds or ISO text as epoch ms. */
export const field = text;
export function epochMs(v: unknown): number {
  if (typeof v === 'number') return v > 1e11 ? v : v * 1000;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  return typeof v === 'string' ? Date.parse(v) : Number.NaN;
}

/**
 * A delivery read by a provider's mapper: its events, and how many it held that clickrate does not
 * count (deferrals, opens of a list, test pings); or why the body is not that provider's at all (400).
 */
export type ProviderBatch = { ok: true; events: ProviderEvent[]; skipped: number } | { ok: false; reason: string };
