// `clickrate restore --from DIR`: puts a backup made by `clickrate backup` in place as the DuckDB store,
// with its keyring beside it (docs/privacy.md). It refuses a folder that is not a backup, a backup that
// does not hold what its manifest says, and a store that a process (serve) has open; an existing store
// that no one uses is replaced only with --force.
import { chmodSync, copyFileSync, constants, existsSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { keyringPathFor } from '../../http/signing-keys.js';
import { openDuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { DUCKDB_MIGRATIONS } from '../../store/duckdb/migrations.js';
import { resolveStore } from '../../store/open-store.js';
import { withCliStore } from '../store-access.js';
import { BACKUP_DB, BACKUP_KEYRING, readManifest, type BackupManifest } from '../backup-manifest.js';
import { out } from '../io.js';

export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description('Put a backup in place as the DuckDB store, with its keyring (refuses a store in use).')
    .requiredOption('--from <dir>', 'a folder made by `clickrate backup`')
    .option('--db <path>', 'DuckDB file to restore into (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'a DuckDB file to restore into')
    .option('--force', 'replace an existing store (and keyring) that no process is using')
    .action(async (opts: { from: string; db?: string; store?: string; force?: boolean }) => {
      const s = resolveStore(opts);
      if (s.kind !== 'duckdb') throw new ClickrateError('CR_ERR_CONFIG', "a ClickHouse store is restored with the server's own tools: see docs/privacy.md");
      const dir = resolve(opts.from);
      const manifest = readManifest(dir);
      await checkBackup(dir, manifest);
      const target = resolve(s.path);
      const keyringPath = keyringPathFor(target);
      await checkTarget(target, manifest.keyring ? keyringPath : null, opts.force === true);
      // Copied beside the target, then renamed over it: a restore cut short leaves the old store whole.
      const partial = `${target}.restoring`;
      rmSync(partial, { force: true });
      copyFileSync(join(dir, BACKUP_DB), partial, constants.COPYFILE_EXCL);
      chmodSync(partial, 0o600);
      // The old store's WAL belongs to the old file: replayed onto the backup it would corrupt it.
      rmSync(`${target}.wal`, { force: true });
      renameSync(partial, target);
      if (manifest.keyring) writeFileSync(keyringPath, readFileSync(join(dir, BACKUP_KEYRING)), { mode: 0o600 });
      // Opened as every command opens it: a backup from an older build is migrated here.
      const events = await withCliStore({ db: target }, async (store) =>
        Number((await store.query({ sql: 'SELECT count(*) AS n FROM events', params: {} }))[0]?.n),
      );
      out(
        `Restored ${events} events from the backup of ${manifest.created_at} into ${target}${manifest.keyring ? `, and its keyring into ${keyringPath}` : ''}.`,
      );
    });
}

/** The backup's file opens and holds what its manifest says; CR_ERR_BACKUP otherwise. */
async function checkBackup(dir: string, m: BackupManifest): Promise<void> {
  const file = join(dir, BACKUP_DB);
  if (!existsSync(file)) throw new ClickrateError('CR_ERR_BACKUP', `${dir} is not a complete backup: ${BACKUP_DB} is missing`, { dir });
  if (m.keyring && !existsSync(join(dir, BACKUP_KEYRING)))
    throw new ClickrateError('CR_ERR_BACKUP', `${dir} is not a complete backup: ${BACKUP_KEYRING} is missing`, { dir });
  const latest = DUCKDB_MIGRATIONS.at(-1)?.version ?? 0;
  if (m.schema_version > latest)
    throw new ClickrateError('CR_ERR_BACKUP', `the backup has schema version ${m.schema_version}, newer than this build knows (${latest}); upgrade clickrate`);
  let found: { v: number; n: number };
  try {
    const store = await openDuckDbStore(file, { readOnly: true, warn: () => undefined });
    try {
      const [r] = await store.query({ sql: 'SELECT (SELECT max(version) FROM schema_migrations) AS v, (SELECT count(*) FROM events) AS n', params: {} });
      found = { v: Number(r?.v), n: Number(r?.n) };
    } finally {
      await store.close();
    }
  } catch (err) {
    throw new ClickrateError('CR_ERR_BACKUP', `${file} is not a clickrate store: ${(err as Error).message}`, { dir }, { cause: err });
  }
  if (found.v !== m.schema_version || found.n !== m.events) {
    throw new ClickrateError(
      'CR_ERR_BACKUP',
      `${file} does not hold what the manifest says (schema ${found.v}, ${found.n} events; manifest: ${m.schema_version}, ${m.events})`,
      { dir },
    );
  }
}

/** The target may be replaced: absent, or (with --force) present and open in no process. */
async function checkTarget(target: string, keyringPath: string | null, force: boolean): Promise<void> {
  if (existsSync(target)) {
    try {
      // TRICKY: DuckDB's own lock is the test: a process holding the file (serve) makes this open fail.
      await (await openDuckDbStore(target, { readOnly: true, warn: () => undefined })).close();
    } catch (err) {
      if (/lock/i.test((err as Error).message)) {
        throw new ClickrateError(
          'CR_ERR_BACKUP',
          `${target} is in use by another process (serve?): stop it before restoring over it`,
          { path: target },
          { cause: err },
        );
      }
    }
    if (!force) throw new ClickrateError('CR_ERR_BACKUP', `${target} exists; restore into a new path, or add --force to replace it`, { path: target });
  }
  if (keyringPath && existsSync(keyringPath) && !force) {
    throw new ClickrateError('CR_ERR_BACKUP', `${keyringPath} exists; add --force to replace it with the backup's keyring`, { path: keyringPath });
  }
}
