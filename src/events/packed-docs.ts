// The compact form validated JSON Lines rows travel in, from the parse workers to the store: three
// joined strings per batch instead of an array of objects, so that neither the thread hop nor the
// hand-over to the store costs anything per row.

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
  /** Number of rows. */
  count: number;
}

/**
 * How an ingest resolves ids. `fast` inserts rows as they come and verifies at commit that no id
 * repeats; `exact` stages the whole file and resolves repeats and `h:` ordinals across all of it.
 */
export type PackedMode = 'fast' | 'exact';

/** An ingest session that can load packed documents (the DuckDB store's sessions can). */
export interface PackedIngestSession {
  /** Must be called before the first appendDocs. */
  setMode(mode: PackedMode): void;
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
