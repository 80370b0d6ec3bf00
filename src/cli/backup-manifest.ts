// What a backup folder holds (docs/privacy.md, "Backups"): the store as one DuckDB file, the signing
// keyring, and manifest.json saying what they are, so a restore can refuse a folder that is not a backup
// (or is a backup of something else) before it touches anything.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ClickrateError } from '../errors.js';

export const BACKUP_DB = 'clickrate.duckdb';
export const BACKUP_KEYRING = 'keyring.json';
const MANIFEST = 'manifest.json';

const manifestSchema = z.object({
  format: z.literal('clickrate-backup'),
  version: z.literal(1),
  store: z.literal('duckdb'),
  created_at: z.string(),
  schema_version: z.number().int().positive(),
  events: z.number().int().nonnegative(),
  /** True when the folder holds the keyring (BACKUP_KEYRING). */
  keyring: z.boolean(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/** Writes the manifest last: a folder without one is a backup that did not finish. 0600 like the rest. */
export function writeManifest(dir: string, m: BackupManifest): void {
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}

/** The folder's manifest, or CR_ERR_BACKUP saying why the folder is not a backup. */
export function readManifest(dir: string): BackupManifest {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch (err) {
    throw new ClickrateError(
      'CR_ERR_BACKUP',
      `${dir} is not a clickrate backup: it has no readable ${MANIFEST} (${(err as Error).message})`,
      { dir },
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ClickrateError('CR_ERR_BACKUP', `${dir} is not a clickrate backup: ${MANIFEST} is not JSON`, { dir });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ClickrateError(
      'CR_ERR_BACKUP',
      `${dir} is not a clickrate backup: ${MANIFEST} field '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}`,
      { dir },
    );
  }
  return parsed.data;
}
