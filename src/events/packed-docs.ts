// The compact form validated JSON Lines rows travel in from the parse workers to the store (joined
// strings, so no cost per row at the thread hop), and when a row's own JSON text may serve as its document.
import type { IdRepeatFilter } from './id-repeat-filter.js';

/**
 * Rows that passed validation, ready for a store that loads documents. Entry i of each list belongs
 * to row i. A document is the row's JSON text as validated: `ts` and `method` in it stay as written,
 * which is why the validated time travels beside it.
 */
export interface PackedDocs {
  /**
   * Newline-joined JSON objects as UTF-8 bytes; none contains a raw newline (JSON Lines rows cannot).
   * Bytes, not a string: they move between threads without a copy and stay out of the JS heap.
   */
  docs: Uint8Array;
  /** Comma-joined validated times, epoch milliseconds. */
  ts: string;
  /** Comma-joined ids `h:<digest>:<n>` for id-less rows (n numbered within the batch), empty for rows with an id. */
  ids: string;
  /**
   * The rows' ids that the import's filter (IdRepeatFilter, marked in the workers) had probably seen
   * already: fast mode's commit looks these up. Undefined when the ids were not marked, so that every id
   * must be checked.
   */
  repeats?: string[];
  /** Number of rows. */
  count: number;
}

/** The n-th position of `sep` in `s` (n from 1), or -1. */
function nth(s: string, sep: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = s.indexOf(sep, at + 1);
    if (at === -1) return -1;
  }
  return at;
}

/**
 * The first `rows` rows of a batch and the rest (0 < rows < count), cut at a row boundary: a store
 * that writes whole storage units (DuckDB row groups) takes exactly as many rows as fill them.
 * `repeats` is not carried over: it is read when the batch arrives, before any cut.
 */
export function splitPacked(p: PackedDocs, rows: number): [PackedDocs, PackedDocs] {
  let cut = -1;
  for (let i = 0; i < rows; i++) cut = p.docs.indexOf(10, cut + 1);
  const ts = nth(p.ts, ',', rows);
  const ids = nth(p.ids, ',', rows);
  return [
    { docs: p.docs.subarray(0, cut), ts: p.ts.slice(0, ts), ids: p.ids.slice(0, ids), count: rows },
    { docs: p.docs.subarray(cut + 1), ts: p.ts.slice(ts + 1), ids: p.ids.slice(ids + 1), count: p.count - rows },
  ];
}

/**
 * How an ingest resolves ids. `fast` inserts rows as they come and verifies at commit that no id
 * repeats; `exact` stages the whole file and resolves repeats and `h:` ordinals across all of it.
 */
export type PackedMode = 'fast' | 'exact';

/** An ingest session that can load packed documents (the DuckDB store's sessions can). */
export interface PackedIngestSession {
  /**
   * Must be called before the first appendDocs. In fast mode, `ids` is the filter the batches' ids were
   * marked in (their `repeats`); without one, commit checks every id.
   */
  setMode(mode: PackedMode, ids?: IdRepeatFilter): void;
  appendDocs(batch: PackedDocs): Promise<void>;
  /**
   * In fast mode: true once an id was found stored already or repeated, so the fast path cannot
   * decide which copy wins; the caller aborts and imports the file again in exact mode.
   */
  readonly conflicted: boolean;
}

export function isPackedIngestSession(s: object): s is PackedIngestSession {
  return typeof (s as Partial<PackedIngestSession>).appendDocs === 'function' && typeof (s as Partial<PackedIngestSession>).setMode === 'function';
}

// TRICKY: a row's own text is handed to DuckDB only when DuckDB's JSON reader is sure to see in it
// the very object JSON.parse validated. They differ on a repeated key (JSON.parse keeps the last
// value, DuckDB the first: `{"type":"bogus","type":"open"}` would validate as an open and be stored
// as "bogus"), and on numbers written as text, which parse-event.ts coerces. Other rows are sent as
// JSON.stringify of what was validated.
/** An escaped quote, or a quote followed by whitespace: one scan for both (this runs on every row). */
const NOT_PLAIN = /\\"|"\s/;

/**
 * True when `line` (valid JSON text of a flat object, as every valid event is, with `keys` keys)
 * names each key once. Every key ends in `"` followed by `:` unless whitespace comes between (ruled
 * out here); a `":` inside a string needs an escaped quote before it, or is a string opening with a
 * colon, and only adds to the count. So a count equal to the number of distinct keys proves that no
 * key repeats. Lines that are not so plain (rare: pretty-printed, escaped quotes) answer false.
 */
export function textNamesEachKeyOnce(line: string, keys: number): boolean {
  if (NOT_PLAIN.test(line)) return false;
  let n = 0;
  for (let at = line.indexOf('":'); at !== -1; at = line.indexOf('":', at + 2)) n++;
  return n === keys;
}
