// The import's direct lane: when the parse workers have validated a whole JSON Lines file and every row
// reads the same in the store's own JSON reader, the store loads the file itself (DuckDB reads it in parallel).
import { resolve } from 'node:path';
import type { IdRepeatFilter } from './id-repeat-filter.js';
import type { ParsedEvent } from './parse-event.js';

/**
 * Instants are checked as a sum of `ts % TS_CHECK_MODULUS` over the rows: exact in a JS number per
 * block (a 1 MB block holds under 20,000 rows, each term under 2^30) and in DuckDB's HUGEINT sum.
 */
export const TS_CHECK_MODULUS = 1_000_000_007;

/** The rows a block (or a file) holds, and the sum of their instants modulo TS_CHECK_MODULUS. */
export interface ScanTotals {
  rows: number;
  tsSum: number;
}

/** What the store's read of the file must match; any difference and nothing of its read is kept. */
export interface LoadCheck {
  rows: number;
  tsSum: bigint;
  /**
   * The file as validated: a file changed or replaced since must be read again. The inode and change
   * time as well as size and modification time, since `cp -p` or `touch -d` can restore the latter two
   * but nobody can set a change time.
   */
  file: FileIdentity;
  /**
   * Some rows as validated and normalized (the first of every so many blocks, each with an id): the
   * store compares every column of its own read of them. The count and the instants catch a row lost or
   * misread; these catch a reader that changes a column everywhere (as `key=value` folders in the path did).
   */
  sample: readonly ParsedEvent[];
}

/** Samples a scan keeps at most (a 10M-event file has about 2,000 blocks; 100M, 20,000). */
export const MAX_SAMPLES = 1024;

export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** The identity of a file as `stat` gives it (see LoadCheck.file). */
export const identityOf = (st: FileIdentity): FileIdentity => ({ dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });

export const sameFile = (a: FileIdentity, b: FileIdentity): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/** An ingest session whose store can read a validated JSON Lines file itself. */
export interface DirectLoadSession {
  /**
   * Loads every row of `path` (absolute, free of glob characters: see directPath) into the session;
   * commit then checks that no id repeats, as in fast mode (`filter` has seen every id of the file).
   * Resolves false when the rows read are not the rows validated (`check`), and the session must be
   * aborted: the caller then streams the file. Also false, with `conflicted` set and nothing loaded,
   * when a sampled id is stored already (a re-import): the caller takes the exact path.
   */
  loadJsonLines(path: string, check: LoadCheck, filter: IdRepeatFilter): Promise<boolean>;
  readonly conflicted: boolean;
}

export function isDirectLoadSession(s: object): s is DirectLoadSession {
  return typeof (s as Partial<DirectLoadSession>).loadJsonLines === 'function';
}

/** Characters DuckDB's file readers take as a glob pattern (`*`, `?`, `[…]`), or that Windows paths use. */
const GLOB = /[*?[\]{}\\]/;

/**
 * The absolute path a store's reader may be given for `file`, or null when the file must be streamed:
 * a compressed file (DuckDB would inflate it on one thread, no faster than streaming), or a path its
 * reader would expand as a pattern (`events[1].jsonl` matches `events1.jsonl`).
 */
export function directPath(file: string): string | null {
  const abs = resolve(file);
  if (GLOB.test(abs) || !/\.(jsonl|ndjson|json)$/i.test(abs)) return null;
  return abs;
}

// The forms of `ts` (all ISO 8601 with an offset, as the schema requires) that DuckDB's
// CAST(ts AS TIMESTAMPTZ) reads to the instant Date.parse gives, measured against it (direct-load.test.ts).
// TRICKY: outside them the two differ. DuckDB refuses `HH:MM` without seconds and a lower-case `z`;
// and past three decimals it keeps microseconds and truncates towards zero, where Date.parse drops the
// digits first, so before 1970 (…59.9999Z: Date.parse -1 ms, DuckDB 0) the instants part.
const STORE_TS = /^(\d{4})-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.(\d{1,9}))?(?:Z|[+-]\d{2}:?\d{2})$/;

/** True when the store reads this `ts`, which the schema accepted, to the same instant as the import did. */
export function storeReadsTs(ts: string): boolean {
  // The common `…sssZ` form (toISOString's) without a regular expression, since this runs on every row:
  // the schema's pattern leaves no other text of 24 characters ending in Z.
  if (ts.length === 24 && ts.charCodeAt(23) === 90) return true;
  const m = STORE_TS.exec(ts);
  if (m === null) return false;
  // Sub-millisecond digits only where the instant cannot be negative (a day of offset past 1970).
  return (m[2] ?? '').length <= 3 || Number(m[1]) >= 1971;
}
