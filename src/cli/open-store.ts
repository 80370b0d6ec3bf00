// Resolves which store a command talks to (SPEC.md: `--db PATH`, else CLICKRATE_DB, else
// ./clickrate.duckdb) and opens it; every command goes through here so the rule lives in one place.
import { openDuckDbStore, type DuckDbStoreOptions } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';

export const DEFAULT_DB = './clickrate.duckdb';

export function resolveDbPath(flag: string | undefined): string {
  return flag || process.env.CLICKRATE_DB || DEFAULT_DB;
}

export async function openStore(opts: { db?: string }, duck: DuckDbStoreOptions = {}): Promise<Store> {
  return openDuckDbStore(resolveDbPath(opts.db), duck);
}

/** Opens the store, runs fn, and always closes the store (flushing DuckDB's WAL) afterwards. */
export async function withStore<T>(opts: { db?: string }, fn: (store: Store) => Promise<T>, duck?: DuckDbStoreOptions): Promise<T> {
  const store = await openStore(opts, duck);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
