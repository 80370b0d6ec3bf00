// A consistent copy of a DuckDB store into a new file, made through the store's own connection, so it
// works while `serve` holds the file's lock (DuckDB locks a file for one process: another process can
// neither read nor copy it safely). ATTACH + COPY FROM DATABASE copies every table in one transaction:
// https://duckdb.org/docs/stable/sql/statements/copy#copy-from-database--to
import { chmodSync, existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ClickrateError } from '../../errors.js';

/** The alias the copy is attached under while it is written. */
const ALIAS = 'cr_backup';

/** Copies every table of the connection's database into `file` (which must not exist); 0600 after. */
export async function backupDuckDb(conn: DuckDBConnection, file: string, storageVersion: string): Promise<{ schemaVersion: number; events: number }> {
  if (existsSync(file)) throw new ClickrateError('CR_ERR_BAD_INPUT', `backup file ${file} exists already; back up into a new folder`, { file });
  // TRICKY: ATTACH takes no bound parameter for its path; the path is quoted here (quotes doubled) and
  // refused when it holds a NUL, which no file name can.
  if (file.includes('\0')) throw new ClickrateError('CR_ERR_BAD_INPUT', 'a backup path cannot hold a NUL character');
  const [db] = (await conn.runAndReadAll('SELECT current_database() AS d')).getRowObjectsJS();
  const source = `"${String(db?.d ?? 'main').replaceAll('"', '""')}"`;
  await conn.run(`ATTACH '${file.replaceAll("'", "''")}' AS ${ALIAS} (STORAGE_VERSION '${storageVersion}')`);
  let copied: { schemaVersion: number; events: number };
  try {
    await conn.run(`COPY FROM DATABASE ${source} TO ${ALIAS}`);
    const [c] = (
      await conn.runAndReadAll(`SELECT (SELECT max(version) FROM ${ALIAS}.schema_migrations) AS v, (SELECT count(*) FROM ${ALIAS}.events) AS n`)
    ).getRowObjectsJS();
    copied = { schemaVersion: Number(c?.v ?? 0), events: Number(c?.n ?? 0) };
  } finally {
    // Detaching checkpoints the copy: it is one file, with no WAL beside it.
    await conn.run(`DETACH ${ALIAS}`).catch(() => undefined);
  }
  // It holds everything the store does: personal data, key hashes.
  chmodSync(file, 0o600);
  return copied;
}
