// Keeps a DuckDB store's files owner-only (0600): they hold recipients, client addresses and API key
// hashes, which no other local user may read (OWASP ASVS V8.3, sensitive data at rest; CWE-732).
import { chmodSync, statSync } from 'node:fs';

const OWNER_ONLY = 0o600;

/** The files DuckDB keeps for a database: the file itself and its write-ahead log. */
function storeFiles(path: string): string[] {
  return [path, `${path}.wal`];
}

/** A file's permission bits, or null when it is absent (DuckDB makes the WAL at the first write after a checkpoint). */
function modeOf(file: string): number | null {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return null;
  }
}

/** Permission bits of each of the store's files that exists. */
export function existingFiles(path: string): Map<string, number> {
  const modes = new Map<string, number>();
  for (const f of storeFiles(path)) {
    const mode = modeOf(f);
    if (mode !== null) modes.set(f, mode);
  }
  return modes;
}

/**
 * Sets each existing file to 0600 when group or others have any access; returns the files changed with
 * their modes before. A file this user may not chmod (opened read-only from another user) is said and
 * left as it is.
 */
function makeOwnerOnly(files: readonly string[], warn: (message: string) => void): Map<string, number> {
  const changed = new Map<string, number>();
  for (const file of files) {
    const mode = modeOf(file);
    if (mode === null || (mode & 0o077) === 0) continue;
    try {
      chmodSync(file, OWNER_ONLY);
      changed.set(file, mode);
    } catch (err) {
      warn(`${file} stays readable by other users: ${(err as Error).message}`);
    }
  }
  return changed;
}

/**
 * Right after DuckDB opened the store: a file it just made (holding no data yet) goes owner-only
 * silently; one that was there before with a wider mode is tightened, and the operator told.
 */
export function tightenAtOpen(path: string, before: ReadonlyMap<string, number>, warn: (message: string) => void): void {
  for (const [file, was] of makeOwnerOnly(storeFiles(path), warn)) {
    if (before.has(file)) warn(`${file} was readable by other users (mode ${was.toString(8)}); it is now owner-only (600)`);
  }
}

/**
 * Makes a WAL that DuckDB created since the last call owner-only; the store calls it after every write.
 * TRICKY: DuckDB deletes the WAL at each checkpoint and makes a new one at the next write, with mode
 * 0666 less the umask, so a chmod at open does not last. Until this runs, a new WAL is as open as the
 * umask leaves it: the command line sets a umask of 077 (cli/main.ts), which closes that gap for every
 * file it makes. A process umask is not set here: the store may live in a worker thread, where
 * process.umask(mask) throws, and it would change the mode of every file the embedding process makes.
 */
export function keepWalOwnerOnly(path: string, warn: (message: string) => void): void {
  makeOwnerOnly([`${path}.wal`], warn);
}
