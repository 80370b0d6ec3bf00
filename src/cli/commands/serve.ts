// `clickrate serve [--port N] [--db PATH | --store URL] [--base-url URL]`: tracking edge, HTTP API and dashboard in one
// process (SPEC.md); the store lives in a worker thread (server/worker/), off the redirects' event loop.
// With --demo, an empty database is first filled with the demo data. Any failure to start (spool in use,
// port taken, store unopenable) exits 2 with a `clickrate: CR_ERR_…` line, having released what it opened.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { loadDemo } from '../../demo/load-demo.js';
import { ClickrateError, isClickrateError } from '../../errors.js';
import { createApiKey } from '../../http/api-keys.js';
import { ClickrateServer } from '../../server/server.js';
import { createLogger } from '../../http/request-log.js';
import { loadOrCreateKeyring } from '../../http/signing-keys.js';
import { listCampaigns } from '../../metrics/list-campaigns.js';
import { out } from '../io.js';
import { installLastResort } from '../last-resort.js';
import { assertSpoolFree } from '../../tracking/spool-files.js';
import { describeStore, resolveStore, storeSidecarBase } from '../../store/open-store.js';
import { LocalCredential, localUrl } from '../../http/local-credential.js';
import { assertStorePath } from '../store-access.js';
import { StoreWorker } from '../../server/worker/store-client.js';
import { parseRetention, RetentionSchedule } from '../../server/retention-schedule.js';
import { countRepliesRead } from '../../http/prom-metrics.js';
import { CheckpointFile, imapCheckpointPath } from '../../replies/imap-checkpoint.js';
import { IMAP_PASSWORD_ENV, parseImapUrl, redacted, type ImapSource } from '../../replies/imap-source.js';
import { startMailboxWatchers, type MailboxWatchers } from '../../replies/mailbox-watchers.js';
import type { ReplyOutcome } from '../../replies/record-replies.js';
import type { Store } from '../../store/store.js';
import type { Keyring } from '../../tracking/keyring.js';

/** DuckDB's memory_limit in the server's store thread. */
const SERVE_MEMORY_LIMIT = '1GB';

interface ServeOptions {
  port: string;
  host: string;
  db?: string;
  store?: string;
  baseUrl?: string;
  spool?: string;
  trustProxy?: string;
  metricsAllow?: string;
  demo?: boolean;
  ipRetention?: string;
  imap: string[];
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve tracked redirects and pixels, the HTTP API and the dashboard.')
    .option('--port <n>', 'port to listen on', process.env.PORT ?? '8080')
    .option('--host <addr>', 'address to listen on (0.0.0.0: every interface; default this machine only)', '127.0.0.1')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--base-url <url>', 'public origin of tracked links (default $CLICKRATE_BASE_URL or http://localhost:PORT)')
    .option('--spool <dir>', 'spool folder for clicks and opens not yet in the store (default DB.spool)')
    .option('--trust-proxy <list>', 'addresses/CIDRs whose X-Forwarded-For is believed (default $CLICKRATE_TRUSTED_PROXIES)')
    .option('--metrics-allow <list>', 'addresses/CIDRs that may read /metrics without an API key (default $CLICKRATE_METRICS_ALLOW)')
    .option('--demo', 'load the demo data first when the database has no campaigns')
    .option('--ip-retention <age>', 'cut addresses and user agents of opens and clicks older than this, hourly (e.g. 30d; default $CLICKRATE_IP_RETENTION)')
    .option(
      '--imap <url>',
      `watch a mailbox for replies: imaps://USER:PASS@HOST[:PORT]/MAILBOX (repeatable; password may be in $${IMAP_PASSWORD_ENV})`,
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ClickrateError('CR_ERR_BAD_INPUT', `--port must be 0–65535, got '${opts.port}'`);
      // Checked before anything opens: a bad value fails the start, not a running server an hour later.
      const retentionText = opts.ipRetention ?? process.env.CLICKRATE_IP_RETENTION;
      const retentionMs = retentionText ? parseRetention(retentionText, opts.ipRetention ? '--ip-retention' : 'CLICKRATE_IP_RETENTION') : null;
      const log = createLogger(process.env.CLICKRATE_LOG_LEVEL);
      const opened: Opened = {};
      let bound: number;
      let source: string;
      let baseUrl: string;
      let keyring: Keyring;
      let mailboxes: MailboxWatchers | undefined;
      try {
        const imap = opts.imap.map((u) => parseImapUrl(u));
        ({ bound, source, baseUrl, keyring } = await start(opts, port, log, opened));
        if (imap.length > 0) mailboxes = watchMailboxes(imap, opts, opened.worker!.store, keyring, log);
      } catch (err) {
        // TRICKY: the store worker (a thread holding the DuckDB lock) or the spool would keep this process
        // alive, serving nothing, where a supervisor waits for it to fail: release them, then exit 2.
        await release(opened);
        failStartup(err, port, opts.host);
      }
      const { server, worker } = opened as Required<Opened>;
      // Commands on this machine reach the locked file through this server (cli/store-access.ts).
      opened.local?.publish(storeSidecarBase(opts), { url: localUrl(opts.host, bound), baseUrl });
      const retention = retentionMs === null ? null : new RetentionSchedule(worker.store, retentionMs, log);
      retention?.start();
      // What escapes every per-request boundary is logged and counted (in /api/v1/status); the redirects go on.
      installLastResort(log, (err, origin) => server.noteUncaught(err, origin));
      const shown = opts.host === '0.0.0.0' || opts.host === '127.0.0.1' ? 'localhost' : opts.host;
      out(`clickrate is serving ${describeStore(opts)} (signing keys: ${source})`);
      out(`Dashboard: http://${shown}:${bound}/`);
      if (retentionText) out(`Addresses and user agents of opens and clicks older than ${retentionText} are cut every hour.`);
      let closing = false;
      const stop = async (signal: string) => {
        if (closing) return;
        closing = true;
        log.info({ signal }, 'shutting down: draining the spool into the store');
        // TRICKY: the last resort keeps a failing process alive; a shutdown that fails must still end it.
        let code = 0;
        opened.local?.withdraw();
        await retention?.stop();
        try {
          await mailboxes?.stop();
          await server.close();
        } catch (err) {
          log.error({ err }, 'shutting down: the server did not close cleanly');
          code = 1;
        }
        try {
          await worker.store.close();
        } catch (err) {
          log.error({ err }, 'shutting down: the store did not close cleanly');
          code = 1;
        }
        process.exit(code);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}

/** What startup has opened so far, to release if a later step fails. */
interface Opened {
  worker?: StoreWorker;
  server?: ClickrateServer;
  /** A DuckDB file's server lends its store to commands on this machine with this credential. */
  local?: LocalCredential;
}

/** Opens the store (in its worker), the spool and the listener, in that order, noting each in `opened`. */
async function start(
  opts: ServeOptions,
  port: number,
  log: Logger,
  opened: Opened,
): Promise<{ bound: number; source: string; baseUrl: string; keyring: Keyring }> {
  // The keyring and spool live beside a DuckDB file; beside ./clickrate-DB for a ClickHouse store.
  // Edges sharing a ClickHouse store must share signing keys through CLICKRATE_KEYRING.
  const dbPath = storeSidecarBase(opts);
  const spoolDir = opts.spool ?? `${dbPath}.spool`;
  // A second server on this spool fails here, before it opens (and locks) a store; Spool.open decides.
  assertSpoolFree(resolve(spoolDir));
  await assertStorePath(opts);
  // The worker opens the store from the same flags; this thread talks to it through worker.store. It runs
  // at nice 10 with one DuckDB thread so the redirects keep a core (BENCHMARKS.md, tracking edge).
  // DuckDB's default memory_limit is 80% of the machine, too much to leave to a server that shares it;
  // 1 GB, as `classify` uses, bounds DuckDB's own buffers (larger work is sliced to the limit or spills).
  // TRICKY: it does not bound the classification pass's JavaScript side, which re-reads every touched
  // message whole: the soak's 14,000 clicks per message still make RSS spike (BENCHMARKS.md, Soak).
  const duck = { threads: 1, memoryLimit: SERVE_MEMORY_LIMIT };
  const worker = await StoreWorker.start({ store: { db: opts.db, store: opts.store }, nice: 10, duck }, (msg, err) => log.warn({ err }, msg));
  opened.worker = worker;
  const store = worker.store;
  if (opts.demo && (await listCampaigns(store)).length === 0) {
    const { counts } = await loadDemo(store);
    out(`Loaded the demo data: ${counts.inserted.toLocaleString('en-US')} events.`);
  }
  const { keyring, source } = loadOrCreateKeyring(dbPath);
  const envApiKey = process.env.CLICKRATE_API_KEY || undefined;
  if (!envApiKey && (await store.listApiKeys()).length === 0) {
    const { key } = await createApiKey(store, 'first key (made by serve)');
    out(`No API keys yet; made one (shown only now, stored hashed): ${key}`);
  }
  const baseUrl = opts.baseUrl ?? process.env.CLICKRATE_BASE_URL ?? `http://localhost:${port}`;
  // A ClickHouse store is not locked by a server: commands open it themselves.
  if (resolveStore(opts).kind === 'duckdb') opened.local = new LocalCredential();
  const server = new ClickrateServer({
    store,
    keyring,
    baseUrl,
    local: opened.local,
    spoolDir,
    trustedProxies: opts.trustProxy ?? process.env.CLICKRATE_TRUSTED_PROXIES,
    metricsAllow: opts.metricsAllow ?? process.env.CLICKRATE_METRICS_ALLOW,
    logger: log,
    envApiKey,
    storeWork: { ingest: (range) => worker.ingest(range), classifier: worker },
  });
  opened.server = server;
  server.spool.setDeadLetterListener((letters, file) =>
    log.warn(
      { file, records: letters.length, reasons: [...new Set(letters.map((l) => l.reason))].slice(0, 5) },
      'records the store refused were set aside in the dead letters; the spool goes on',
    ),
  );
  return { bound: await server.listen(port, opts.host), source, baseUrl, keyring };
}

/** Replies read from mailboxes into the server's store as they arrive (docs/replies.md); each logged without its text. */
function watchMailboxes(sources: ImapSource[], opts: ServeOptions, store: Store, keyring: Keyring, log: Logger): MailboxWatchers {
  const base = storeSidecarBase(opts);
  const checkpoints = new CheckpointFile(imapCheckpointPath(base));
  for (const s of sources) log.info({ mailbox: redacted(s) }, 'watching a mailbox for replies');
  const watch = {
    store,
    match: { keyring },
    checkpoints,
    onOutcome: (o: ReplyOutcome) => {
      countRepliesRead('imap');
      log.info({ where: o.where, kind: o.kind, message: o.message, reasons: o.reasons, stored: o.stored }, 'mail read');
    },
    onNotice: (text: string) => log.warn(text),
  };
  return startMailboxWatchers(sources, watch, (mailbox, err) => log.error({ mailbox, err: (err as Error).message }, 'stopped watching a mailbox'));
}

/** Closes what startup opened, each step bounded: a store that hangs must not keep a failed start alive. */
async function release(opened: Opened): Promise<void> {
  const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, RELEASE_MS).unref())]);
  if (opened.server) await bounded(opened.server.close());
  if (opened.worker) await bounded(opened.worker.store.close());
}

const RELEASE_MS = 10_000;

/** Ends a failed start: `clickrate: CR_ERR_…: …` on stderr, exit code 2 (as main.ts does for any command). */
function failStartup(err: unknown, port: number, host: string): never {
  const e = isClickrateError(err) ? err : listenError(err, port, host);
  process.stderr.write(`clickrate: ${e.code}: ${e.message}\n`);
  process.exit(2);
}

function listenError(err: unknown, port: number, host: string): ClickrateError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return new ClickrateError('CR_ERR_CONFIG', `port ${port} on ${host} is in use by another process`, { port, host }, { cause: err });
  if (code === 'EACCES') return new ClickrateError('CR_ERR_CONFIG', `not allowed to listen on port ${port} on ${host}`, { port, host }, { cause: err });
  return new ClickrateError('CR_ERR_CONFIG', `serve could not start: ${(err as Error)?.message ?? String(err)}`, {}, { cause: err });
}
