// Reads answers from an IMAP mailbox through imapflow: what arrived since the checkpoint, then, while
// watching, whatever arrives (IMAP IDLE, RFC 2177: the server says when a message lands). Mail is only
// read (the mailbox is opened read-only) unless `markSeen` asks to flag what was stored as \Seen.
import { ImapFlow } from 'imapflow';
import { ClickrateError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { CheckpointFile } from './imap-checkpoint.js';
import { redacted, type ImapSource } from './imap-source.js';
import { recordReplies, type MailItem, type ReplyOutcome } from './record-replies.js';
import type { MatchContext } from './reply-match.js';

export interface WatchOptions {
  store: Store;
  match: Omit<MatchContext, 'store'>;
  checkpoints: CheckpointFile;
  /** Flag stored mails \Seen (default: the mailbox is left exactly as it was). */
  markSeen?: boolean;
  onOutcome?: (o: ReplyOutcome) => void;
  /** Connection trouble and retries, already redacted. */
  onNotice?: (text: string) => void;
}

/** Mails fetched and stored together; the checkpoint moves after each batch is stored. */
const BATCH = 100;
/** How often a watch catches up without being told of new mail (RFC 2177 asks clients to re-IDLE within 29 minutes). */
const SAFETY_POLL_MS = 5 * 60_000;
/** Reconnect delays while watching: 1 s doubling to a minute. */
const RETRY_MS = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000];

function client(s: ImapSource): ImapFlow {
  // logger false: imapflow's own log would carry the protocol, LOGIN included.
  return new ImapFlow({ host: s.host, port: s.port, secure: s.secure, auth: { user: s.user, pass: s.password }, logger: false });
}

/** The checkpoint key: one per account and mailbox (never the password). */
const keyOf = (s: ImapSource) => redacted(s);

/** Reads, stores and checkpoints every mail past the checkpoint; returns how many were read. */
async function catchUp(imap: ImapFlow, source: ImapSource, opts: WatchOptions): Promise<number> {
  const lock = await imap.getMailboxLock(source.mailbox, { readOnly: opts.markSeen !== true });
  try {
    const box = imap.mailbox;
    if (box === false) throw new ClickrateError('CR_ERR_MAILBOX', `${redacted(source)}: the mailbox did not open`);
    const validity = String(box.uidValidity);
    const saved = opts.checkpoints.get(keyOf(source));
    // A new UIDVALIDITY means the old UIDs name nothing: read the mailbox again (stored mails are
    // recognised by their event ids and stored once).
    let last = saved !== undefined && saved.uidValidity === validity ? saved.uid : 0;
    if (box.exists === 0) return 0;
    let read = 0;
    let batch: Array<MailItem & { uid: number }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      for (const o of await recordReplies(opts.store, batch, opts.match)) opts.onOutcome?.(o);
      last = Math.max(last, ...batch.map((m) => m.uid));
      if (opts.markSeen) await imap.messageFlagsAdd(batch.map((m) => m.uid).join(','), ['\\Seen'], { uid: true });
      opts.checkpoints.set(keyOf(source), { uidValidity: validity, uid: last });
      read += batch.length;
      batch = [];
    };
    // TRICKY: "N:*" always includes the highest UID even when it is below N (RFC 3501 §6.4.8), so a
    // mailbox with nothing new answers its last message again: UIDs at or below the checkpoint are skipped.
    const fetched: Array<MailItem & { uid: number }> = [];
    for await (const m of imap.fetch(`${last + 1}:*`, { uid: true, source: true, internalDate: true }, { uid: true })) {
      if (m.uid <= last || m.source === undefined) continue;
      const internal = m.internalDate instanceof Date ? m.internalDate.getTime() : undefined;
      fetched.push({ raw: m.source, where: `${redacted(source)};UID=${m.uid}`, uid: m.uid, ...(internal === undefined ? {} : { receivedAt: internal }) });
    }
    // Stored after the FETCH ends: imapflow runs one command at a time, and storing may set \Seen.
    for (const m of fetched) {
      batch.push(m);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return read;
  } finally {
    lock.release();
  }
}

/** Reads what is in the mailbox past the checkpoint, and disconnects (`replies watch --once`). */
export async function readMailboxOnce(source: ImapSource, opts: WatchOptions): Promise<number> {
  const imap = client(source);
  try {
    await connect(imap, source);
    return await catchUp(imap, source, opts);
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}

async function connect(imap: ImapFlow, source: ImapSource): Promise<void> {
  try {
    await imap.connect();
  } catch (err) {
    // imapflow's messages name the host and the server's answer, never the password.
    const why = (err as { authenticationFailed?: boolean }).authenticationFailed ? 'the server refused the user or password' : (err as Error).message;
    throw new ClickrateError('CR_ERR_MAILBOX', `${redacted(source)}: cannot connect: ${why}`, { source: redacted(source) }, { cause: err });
  }
}

/**
 * Watches a mailbox until `signal` aborts: catches up, then waits in IDLE for new mail and catches up
 * again when it lands. A lost connection is retried with backoff; a refused login stops the watch.
 */
export async function watchMailbox(source: ImapSource, opts: WatchOptions, signal: AbortSignal): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    const imap = client(source);
    const stop = () => imap.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await connect(imap, source);
      failures = 0;
      // `exists` fires while imapflow idles in the selected mailbox (it enters IDLE on its own when no
      // command runs); each one wakes the loop to catch up. TRICKY: one that fires while a catch-up runs
      // is remembered (`arrived`), or a mail landing then would wait for the next one.
      let arrived = false;
      let wake: (() => void) | null = null;
      imap.on('exists', () => {
        arrived = true;
        wake?.();
      });
      const closed = new Promise<void>((resolve) => imap.once('close', () => resolve()));
      while (!signal.aborted && imap.usable) {
        arrived = false;
        // The mailbox stays selected after the catch-up's lock is released: imapflow idles in it.
        await catchUp(imap, source, opts);
        if (arrived) continue;
        // A catch-up every few minutes besides: a server that stops sending IDLE updates loses nothing.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (wake = resolve)),
          closed,
          new Promise<void>((resolve) => (timer = setTimeout(resolve, SAFETY_POLL_MS))),
        ]);
        clearTimeout(timer);
        wake = null;
      }
    } catch (err) {
      if (signal.aborted) break;
      const refused = err instanceof ClickrateError && /refused the user or password/.test(err.message);
      if (refused) throw err;
      opts.onNotice?.(`${redacted(source)}: ${(err as Error).message}; reconnecting`);
    } finally {
      signal.removeEventListener('abort', stop);
      imap.close();
    }
    if (signal.aborted) break;
    const delay = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)] ?? 60_000;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, delay);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  }
}
