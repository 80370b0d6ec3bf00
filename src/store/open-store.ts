// Resolves which store a command talks to and opens it; every command goes through here so the rule lives
// in one place: `--store URL`, else CLICKRATE_STORE, else the DuckDB file (`--db`, CLICKRATE_DB,
// ./clickrate.duckdb, SPEC.md). A --store that is a plain path is a DuckDB file too.
import { ClickrateError } from '../errors.js';
import { isClickHouseUrl } from './clickhouse/config.js';
import { openDuckDbStore, type DuckDbStoreOptions } from './duckdb/duckdb-store.js';
import type { Store } from './store.js';

const DEFAULT_DB = './clickrate.duckdb';

export interface StoreFlags {
  db?: string;
  store?: string;
}

function resolveDbPath(flag: string | undefined): string {
  return flag || process.env.CLICKRATE_DB || DEFAULT_DB;
}

/** The store address in effect: a clickhouse:// URL or a DuckDB path. */
export function resolveStore(opts: StoreFlags): { kind: 'clickhouse'; url: string } | { kind: 'duckdb'; path: string } {
  if (opts.store && opts.db) throw new ClickrateError('CR_ERR_BAD_INPUT', 'choose one of --store and --db');
  const chosen = opts.store || (opts.db ? undefined : process.env.CLICKRATE_STORE) || undefined;
  if (chosen && isClickHouseUrl(chosen)) return { kind: 'clickhouse', url: chosen };
  if (chosen && /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen))
    throw new ClickrateError('CR_ERR_CONFIG', `unknown store '${chosen}': use clickhouse://HOST:PORT/DB or a DuckDB file path`);
  return { kind: 'duckdb', path: chosen || resolveDbPath(opts.db) };
}

/**
 * Where files that live beside the store go (the signing keyring, the serve spool): beside the DuckDB
 * file, or in the working directory, named after the ClickHouse database, for a ClickHouse store.
 */
export function storeSidecarBase(opts: StoreFlags): string {
  const s = resolveStore(opts);
  if (s.kind === 'duckdb') return s.path;
  const db = new URL(s.url).pathname.replace(/^\//, '') || 'clickrate';
  return `./clickrate-${db}`;
}

/** A short name of the store for messages (never a password). */
export function describeStore(opts: StoreFlags): string {
  const s = resolveStore(opts);
  return s.kind === 'duckdb' ? s.path : s.url.replace(/\/\/[^@/]*@/, '//');
}

/** Where the store's warnings for the operator go by default: stderr, as the command line's own. */
const warnOnStderr = (message: string): void => void process.stderr.write(`warning: ${message}\n`);

export async function openStore(opts: StoreFlags, duck: DuckDbStoreOptions = {}): Promise<Store> {
  const s = resolveStore(opts);
  // The store's warnings (a file that was readable by others) go to the operator on stderr.
  if (s.kind === 'duckdb') return openDuckDbStore(s.path, { warn: warnOnStderr, ...duck });
  // Loaded only when asked for: DuckDB users pay nothing for the ClickHouse client at startup.
  const { openClickHouseStore } = await import('./clickhouse/clickhouse-store.js');
  return openClickHouseStore(s.url);
}

/** Opens the store, runs fn, and always closes the store (flushing DuckDB's WAL) afterwards. */
export async function withStore<T>(opts: StoreFlags, fn: (store: Store) => Promise<T>, duck?: DuckDbStoreOptions): Promise<T> {
  const store = await openStore(opts, duck);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
