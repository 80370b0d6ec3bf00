// `clickrate keys create|list|revoke`: API keys for /api/* (SPEC.md), stored hashed in the store so every
// edge that shares the store accepts them. A key is printed once, at creation.
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { createApiKey } from '../../http/api-keys.js';
import { table } from '../format-table.js';
import { out } from '../io.js';
import { withCliStore } from '../store-access.js';
import { safeText } from '../safe-text.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Create, list and revoke API keys.');
  keys
    .command('create')
    .description('Make an API key and print it (once).')
    .option('--name <name>', 'what the key is for', 'api key')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .action(async (opts: { name: string; db?: string; store?: string }) => {
      const { key, record } = await withCliStore(opts, (store) => createApiKey(store, opts.name), { use: 'write' });
      out(key);
      process.stderr.write(`key ${record.id} ("${safeText(record.name)}") created; it is stored hashed and cannot be shown again\n`);
    });
  keys
    .command('list')
    .option('--db <path>', 'DuckDB file')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; store?: string; json?: boolean }) => {
      const list = await withCliStore(opts, (store) => store.listApiKeys());
      const shown = list.map(({ hash: _hash, ...k }) => k);
      if (opts.json) return out(JSON.stringify(shown, null, 2));
      out(
        table(
          ['id', 'name', 'starts with', 'created', 'revoked'],
          shown.map((k) => [k.id, k.name, `${k.prefix}…`, new Date(k.created_at).toISOString(), k.revoked_at ? new Date(k.revoked_at).toISOString() : null]),
        ),
      );
    });
  keys
    .command('revoke')
    .argument('<id>', 'key id (from `keys list`)')
    .option('--db <path>', 'DuckDB file')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .action(async (id: string, opts: { db?: string; store?: string }) => {
      const { done, kind } = await withCliStore(opts, async (store) => ({ done: await store.revokeApiKey(id, Date.now()), kind: store.kind }));
      if (!done) throw new ClickrateError('CR_ERR_NOT_FOUND', `no active API key with id '${id}'`);
      // A server on this DuckDB file revoked it itself (through its credential) and refuses it at once;
      // servers sharing a ClickHouse store re-read a key after their cache's 30 s (http/api-keys.ts).
      const others = kind === 'clickhouse' ? ' (other servers sharing this store refuse it within 30 s)' : '';
      out(`key ${safeText(id)} revoked${others}`);
    });
}
