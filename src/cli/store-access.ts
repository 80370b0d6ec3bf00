// The one way a command reaches its store. A DuckDB file held by `clickrate serve` (which publishes
// `DB.serve.json` beside it) is reached through that server, over loopback with its local credential;
// otherwise the command opens the file (or the ClickHouse store) itself. Either way the command gets a
// Store and runs the same code, so its output is the same. Reading commands refuse a path with no store
// and a file that is not clickrate's, rather than making a new, empty store there.
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { ClickrateError } from '../errors.js';
import { findLocalServer, forgetStale, type LocalServerInfo } from '../http/local-credential.js';
import type { DuckDbStoreOptions } from '../store/duckdb/duckdb-store.js';
import { openStore, resolveStore, type StoreFlags } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { connectServedStore, ServerGone } from './served-store.js';

export interface StoreAccessOptions {
  /**
   * 'read' (default): the store must exist already (report, explain, campaigns, keys list/revoke,
   * classify). 'write': a DuckDB path with no file yet gets a new store (import, demo, keys create, wrap).
   */
  use?: 'read' | 'write';
  /** DuckDB settings for a file this command opens itself (a server's store keeps its own). */
  duck?: DuckDbStoreOptions;
}

export interface StoreAccess {
  store: Store;
  /** The running server the store is reached through, or null when this command opened it. */
  server: LocalServerInfo | null;
}

/** Opens the command's store (see the file comment); close it with `access.store.close()`. */
async function openStoreAccess(flags: StoreFlags, opts: StoreAccessOptions = {}): Promise<StoreAccess> {
  const where = resolveStore(flags);
  if (where.kind === 'clickhouse') return { store: await openStore(flags, opts.duck), server: null };
  const served = findLocalServer(where.path);
  if (served) {
    try {
      return { store: await connectServedStore(served), server: served };
    } catch (err) {
      if (!(err instanceof ServerGone)) throw err;
      // Its process lives but does not answer as that server (a reused pid): the file is stale.
      forgetStale(where.path, served);
    }
  }
  if (!existsSync(where.path)) {
    if (opts.use !== 'write') {
      throw new ClickrateError(
        'CR_ERR_NOT_FOUND',
        `no clickrate store at ${where.path} (\`clickrate import FILE\` or \`clickrate demo\` makes one; or pass --db PATH)`,
        {
          path: where.path,
        },
      );
    }
  } else await assertClickrateFile(where.path);
  return { store: await openStore(flags, opts.duck), server: null };
}

/**
 * For `serve`, which opens its store in a worker of its own: a DuckDB file that exists must be a clickrate
 * store (a new path gets a new store, as for any writing command).
 */
export async function assertStorePath(flags: StoreFlags): Promise<void> {
  const where = resolveStore(flags);
  if (where.kind === 'duckdb' && existsSync(where.path)) await assertClickrateFile(where.path);
}

/** Runs fn on the command's store and always lets it go afterwards (a file is closed, a lease ended). */
export async function withCliStore<T>(flags: StoreFlags, fn: (store: Store, access: StoreAccess) => Promise<T>, opts?: StoreAccessOptions): Promise<T> {
  const access = await openStoreAccess(flags, opts);
  try {
    return await fn(access.store, access);
  } finally {
    await access.store.close();
  }
}

/** DuckDB's file header: the magic bytes "DUCK" at offset 8 (DuckDB's storage format, main header). */
const DUCKDB_MAGIC = { offset: 8, bytes: 'DUCK' } as const;

/**
 * Refuses a file that is not a clickrate store before the store opens it for writing, which would add
 * clickrate's tables to someone else's DuckDB database. TRICKY: that takes a look inside, so the file is
 * opened once read-only first (milliseconds: only its catalog is read).
 */
async function assertClickrateFile(path: string): Promise<void> {
  const head = Buffer.alloc(DUCKDB_MAGIC.offset + DUCKDB_MAGIC.bytes.length);
  const notOurs = (why: string) => new ClickrateError('CR_ERR_BAD_INPUT', `${path} is not a clickrate store: ${why}`, { path });
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    // A folder (EISDIR), or a file this user may not read.
    throw notOurs(`it cannot be read as a file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (read < head.length || head.subarray(DUCKDB_MAGIC.offset).toString('latin1') !== DUCKDB_MAGIC.bytes) throw notOurs('it is not a DuckDB database file');
  const { openDuckDbStore } = await import('../store/duckdb/duckdb-store.js');
  const peek = await openDuckDbStore(path, { readOnly: true, messageFacts: false, warn: () => undefined });
  try {
    const rows = await peek.query({ sql: "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_migrations'", params: {} });
    if (Number(rows[0]?.n ?? 0) === 0) throw notOurs('a DuckDB database without clickrate tables');
  } finally {
    await peek.close();
  }
}
