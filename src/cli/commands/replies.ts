// `clickrate replies import FILE…` and `clickrate replies watch --imap URL…`: answers to our messages,
// read from a mailbox, stored as replies, auto-replies, opt-outs and bounces (docs/replies.md).
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { loadOrCreateKeyring } from '../../http/signing-keys.js';
import { CheckpointFile, imapCheckpointPath } from '../../replies/imap-checkpoint.js';
import { IMAP_PASSWORD_ENV, parseImapUrl, redacted } from '../../replies/imap-source.js';
import { readMailboxOnce, watchMailbox } from '../../replies/imap-watch.js';
import { readMailboxFiles } from '../../replies/read-mailbox-files.js';
import { recordAll, type ReplyOutcome } from '../../replies/record-replies.js';
import { storeSidecarBase } from '../../store/open-store.js';
import { withCliStore } from '../store-access.js';
import { out, warn } from '../io.js';
import { safeText } from '../safe-text.js';

interface StoreOpts {
  db?: string;
  store?: string;
  json?: boolean;
}

/** What a run did, by verdict: the line printed at the end (and the JSON's `totals`). */
function tally(outcomes: readonly ReplyOutcome[]): Record<string, number> {
  const t: Record<string, number> = { human: 0, auto: 0, opt_out: 0, bounce: 0, delay: 0, unmatched: 0, unreadable: 0, already_stored: 0 };
  for (const o of outcomes) {
    t[o.kind] = (t[o.kind] ?? 0) + 1;
    if (!o.stored && o.message !== null && o.kind !== 'delay') t.already_stored = (t.already_stored ?? 0) + 1;
  }
  return t;
}

/** One line per mail: where, verdict, message, reasons (never the mail's text or addresses). */
function outcomeLine(o: ReplyOutcome): string {
  const head = `${safeText(o.where)}: ${o.kind}`;
  if (o.kind === 'unreadable') return `${head} (${safeText(o.error ?? '')})`;
  const message = o.message === null ? '' : ` message ${safeText(o.message)}`;
  const again = o.message !== null && !o.stored && o.kind !== 'delay' ? ', already stored' : '';
  return `${head}${message} [${o.reasons.map(safeText).join(', ')}]${again}`;
}

function registerImportReplies(replies: Command): void {
  replies
    .command('import')
    .description('Read answers to your messages from .eml files, mbox files or Maildir folders, and store them.')
    .argument('<files...>', '.eml files, mbox files, Maildir folders')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--json', "print every mail's verdict and the totals as JSON")
    .action(async (files: string[], opts: StoreOpts) => {
      const { keyring } = loadOrCreateKeyring(storeSidecarBase(opts));
      const outcomes: ReplyOutcome[] = [];
      await withCliStore(opts, (store) =>
        recordAll(store, readMailboxFiles(files), { keyring }, (o) => {
          outcomes.push(o);
          if (!opts.json) (o.kind === 'unreadable' ? warn : out)(outcomeLine(o));
        }),
      );
      const totals = tally(outcomes);
      if (opts.json) out(JSON.stringify({ mails: outcomes, totals }, null, 2));
      else
        out(
          Object.entries(totals)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        );
      if (outcomes.length === 0) throw new ClickrateError('CR_ERR_BAD_INPUT', `no mail found in ${files.map(safeText).join(', ')}`);
    });
}

/** `--imap` may be given more than once. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

function registerWatchReplies(replies: Command): void {
  replies
    .command('watch')
    .description('Read answers from IMAP mailboxes: what arrived since last time, then each as it arrives (IDLE).')
    .requiredOption('--imap <url>', `imaps://USER:PASS@HOST[:PORT]/MAILBOX (repeatable; the password may be in $${IMAP_PASSWORD_ENV})`, collect, [])
    .option('--once', 'read what is there and exit')
    .option('--mark-seen', 'flag each stored mail \\Seen (default: the mailbox is left as it was)')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .action(async (opts: StoreOpts & { imap: string[]; once?: boolean; markSeen?: boolean }) => {
      const sources = opts.imap.map((u) => parseImapUrl(u));
      const base = storeSidecarBase(opts);
      const { keyring } = loadOrCreateKeyring(base);
      const checkpoints = new CheckpointFile(imapCheckpointPath(base));
      await withCliStore(opts, async (store) => {
        const watch = {
          store,
          match: { keyring },
          checkpoints,
          markSeen: opts.markSeen === true,
          onOutcome: (o: ReplyOutcome) => out(outcomeLine(o)),
          onNotice: warn,
        };
        if (opts.once) {
          for (const s of sources) out(`${redacted(s)}: ${await readMailboxOnce(s, watch)} new mail(s) read`);
          return;
        }
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        process.once('SIGTERM', () => stop.abort());
        for (const s of sources) warn(`watching ${redacted(s)}`);
        await Promise.all(sources.map((s) => watchMailbox(s, watch, stop.signal)));
      });
    });
}

export function registerReplies(program: Command): void {
  const replies = program.command('replies').description('Replies, auto-replies, opt-outs and bounces read from a mailbox.');
  registerImportReplies(replies);
  registerWatchReplies(replies);
}
