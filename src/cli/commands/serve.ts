// `clickrate serve [--port N] [--db PATH | --store URL] [--base-url URL]`: tracking edge, HTTP API and dashboard in one
// process (SPEC.md); the store lives in a worker thread (store/worker/), off the redirects' event loop.
// With --demo, an empty database is first filled with the demo data.
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadDemo } from '../../demo/load-demo.js';
import { ClickrateError } from '../../errors.js';
import { createApiKey } from '../../http/api-keys.js';
import { ClickrateServer } from '../../server/server.js';
import { loadOrCreateKeyring } from '../../http/signing-keys.js';
import { listCampaigns } from '../../metrics/list-campaigns.js';
import { out } from '../io.js';
import { describeStore, storeSidecarBase } from '../../store/open-store.js';
import { StoreWorker } from '../../store/worker/store-client.js';

interface ServeOptions {
  port: string;
  host: string;
  db?: string; store?: string;
  baseUrl?: string;
  spool?: string;
  trustProxy?: string;
  demo?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve tracked redirects and pixels, the HTTP API and the dashboard.')
    .option('--port <n>', 'port to listen on', process.env.PORT ?? '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--base-url <url>', 'public origin of tracked links (default $CLICKRATE_BASE_URL or http://localhost:PORT)')
    .option('--spool <dir>', 'spool folder for clicks and opens not yet in the store (default DB.spool)')
    .option('--trust-proxy <list>', 'addresses/CIDRs whose X-Forwarded-For is believed (default $CLICKRATE_TRUSTED_PROXIES)')
    .option('--demo', 'load the demo data first when the database has no campaigns')
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ClickrateError('CR_ERR_BAD_INPUT', `--port must be 0–65535, got '${opts.port}'`);
      // The keyring and spool live beside a DuckDB file; beside ./clickrate-DB for a ClickHouse store.
      // Edges sharing a ClickHouse store must share signing keys through CLICKRATE_KEYRING.
      const dbPath = storeSidecarBase(opts);
      const log = pino({ level: process.env.CLICKRATE_LOG_LEVEL ?? 'info' });
      // The worker opens the store from the same flags; this thread talks to it through worker.store. It runs
      // at nice 10 with one DuckDB thread so the redirects keep a core (BENCHMARKS.md, tracking edge).
      const worker = await StoreWorker.start({ store: { db: opts.db, store: opts.store }, nice: 10, duck: { threads: 1 } }, (msg, err) => log.warn({ err }, msg));
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
      const server = new ClickrateServer({
        store,
        keyring,
        baseUrl: opts.baseUrl ?? process.env.CLICKRATE_BASE_URL ?? `http://localhost:${port}`,
        spoolDir: opts.spool ?? `${dbPath}.spool`,
        trustedProxies: opts.trustProxy ?? process.env.CLICKRATE_TRUSTED_PROXIES,
        logger: log,
        envApiKey,
        storeWork: { ingest: (range) => worker.ingest(range), classifier: worker },
      });
      const bound = await server.listen(port, opts.host);
      const shown = opts.host === '0.0.0.0' || opts.host === '127.0.0.1' ? 'localhost' : opts.host;
      out(`clickrate is serving ${describeStore(opts)} (signing keys: ${source})`);
      out(`Dashboard: http://${shown}:${bound}/`);
      let closing = false;
      const stop = async (signal: string) => {
        if (closing) return;
        closing = true;
        log.info({ signal }, 'shutting down: draining the spool into the store');
        await server.close();
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
