// `clickrate backup --to DIR`: a consistent copy of the DuckDB store and its signing keyring in a new
// folder (0700, files 0600; docs/privacy.md). Safe while `serve` runs: DuckDB lets one process hold the
// file, so when it is held the copy is asked of the running server (POST /api/v1/backup), which makes
// it inside its own store. What the spool holds but the store does not yet is not in it (see the docs).
import { chmodSync, createWriteStream, existsSync, realpathSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { ClickrateError, isClickrateError } from '../../errors.js';
import { keyringPathFor } from '../../http/signing-keys.js';
import { resolveStore } from '../../store/open-store.js';
import { withCliStore } from '../store-access.js';
import { CLICKHOUSE_BACKUPS } from '../../store/privacy-cut.js';
import { KEYRING_ENV, KEYRING_FILE_ENV } from '../../tracking/keyring.js';
import { BACKUP_DB, BACKUP_KEYRING, writeManifest } from '../backup-manifest.js';
import { out } from '../io.js';

interface BackupOptions {
  to: string;
  db?: string;
  store?: string;
  server?: string;
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Copy the DuckDB store and its signing keyring into a new folder (works while serve runs).')
    .requiredOption('--to <dir>', 'a new or empty folder for the backup')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'a DuckDB file (ClickHouse stores are backed up with their own tools)')
    .option('--server <url>', 'the serve holding the file, asked when it is in use (default $CLICKRATE_SERVER_URL or http://127.0.0.1:$PORT, 8080)')
    .action(async (opts: BackupOptions) => {
      const s = resolveStore(opts);
      if (s.kind !== 'duckdb') throw new ClickrateError('CR_ERR_CONFIG', CLICKHOUSE_BACKUPS);
      if (!existsSync(s.path)) throw new ClickrateError('CR_ERR_NOT_FOUND', `no DuckDB file at ${s.path}`, { path: s.path });
      const dir = resolve(opts.to);
      makePrivateFolder(dir);
      const file = join(dir, BACKUP_DB);
      const copied = await copyStore(opts, file, s.path);
      const keyring = keyringText(s.path);
      if (keyring !== null) writeFileSync(join(dir, BACKUP_KEYRING), keyring, { mode: 0o600, flag: 'wx' });
      writeManifest(dir, {
        format: 'clickrate-backup',
        version: 1,
        store: 'duckdb',
        created_at: new Date().toISOString(),
        schema_version: copied.schemaVersion,
        events: copied.events,
        keyring: keyring !== null,
      });
      out(
        `Backed up ${copied.events} events (schema ${copied.schemaVersion}) ${copied.via} into ${dir}${keyring === null ? ' (no keyring found to copy)' : ', with the signing keyring'}.`,
      );
    });
}

/** A new folder, or an empty one, made owner-only: the backup holds personal data and the keyring. */
function makePrivateFolder(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ClickrateError('CR_ERR_BAD_INPUT', `${dir} is not empty; back up into a new folder`, { dir });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to a folder it makes, and through the umask: chmod says it exactly.
  chmodSync(dir, 0o700);
}

/** The copy, made by this process when it can open the file, else by the serve that holds it. */
async function copyStore(opts: BackupOptions, file: string, path: string): Promise<{ schemaVersion: number; events: number; via: string }> {
  try {
    // A serve that published its local credential copies its own store (cli/store-access.ts).
    return await withCliStore(opts, async (store, access) => ({
      ...(await store.backupTo(file)),
      via: access.server ? `through ${access.server.url}` : 'from the file',
    }));
  } catch (err) {
    // DuckDB's lock message (duckdb-store.ts adds the hint about serve): a process that published no
    // credential holds the file (a serve on another machine's mount, an older build): ask it over HTTP.
    if (!(isClickrateError(err) && err.code === 'CR_ERR_STORE' && /lock/i.test(err.message))) throw err;
  }
  const server = (opts.server ?? process.env.CLICKRATE_SERVER_URL ?? `http://127.0.0.1:${process.env.PORT ?? '8080'}`).replace(/\/+$/, '');
  const key = process.env.CLICKRATE_API_KEY;
  if (!key) {
    throw new ClickrateError(
      'CR_ERR_UNAUTHORIZED',
      'the store is in use (by serve?): set CLICKRATE_API_KEY to an API key of that server, and --server to its address, to back it up through it',
    );
  }
  let res: Response;
  try {
    res = await fetch(`${server}/api/v1/backup`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  } catch (err) {
    throw new ClickrateError(
      'CR_ERR_STORE',
      `the store is in use, and the server at ${server} that could copy it did not answer (${(err as Error).message}); give its address with --server`,
      { server },
      { cause: err },
    );
  }
  if (res.status !== 200 || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ClickrateError('CR_ERR_STORE', `the server at ${server} refused the backup (${res.status}): ${body?.error?.message ?? res.statusText}`, {
      server,
      status: res.status,
    });
  }
  // A server of another store (the default address, a wrong --server) would hand over the wrong copy.
  const source = decodeURIComponent(res.headers.get('x-clickrate-store') ?? '');
  if (source !== realpathSync(path)) {
    await res.body.cancel();
    throw new ClickrateError(
      'CR_ERR_BACKUP',
      `the server at ${server} serves ${source || 'another store'}, not ${path}; give the address of the serve of ${path} with --server`,
      { server },
    );
  }
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file, { mode: 0o600, flags: 'wx' }));
  return {
    schemaVersion: Number(res.headers.get('x-clickrate-schema-version')),
    events: Number(res.headers.get('x-clickrate-events')),
    via: `through ${server}`,
  };
}

/** The keyring the store's links are signed with, as serve finds it (http/signing-keys.ts), or null. */
function keyringText(dbPath: string): string | null {
  if (process.env[KEYRING_ENV]) return process.env[KEYRING_ENV]!;
  const path = process.env[KEYRING_FILE_ENV] || keyringPathFor(dbPath);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}
