// Worker thread body: parses and validates one batch of whole JSON Lines (bytes) with the same
// checks every input path uses (parse-event.ts), and packs the valid rows as documents (packed-docs.ts)
// or, for a store that reads the file itself, only counts them (direct-load.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { contentDigest } from './event-id.js';
import { givenUp, sighted } from './id-repeat-filter.js';
import { textNamesEachKeyOnce, type PackedDocs } from './packed-docs.js';
import { storeReadsTs, TS_CHECK_MODULUS, type ScanTotals } from './direct-load.js';
import type { EventInput } from './event.js';
import { checkEvent, coerceNumbers, normalize, type ParsedEvent } from './parse-event.js';

/** What a pool tells each of its workers once, at start. */
export interface WorkerSetup {
  /** The import's id filter (IdRepeatFilter.shared), when its ids are to be marked; absent in exact mode. */
  ids?: SharedArrayBuffer;
}

export interface ParseRequest {
  batch: number;
  bytes: Uint8Array;
  /** Validate only, for a store that will read the file itself (see direct-load.ts); default: pack. */
  scan?: boolean;
}

/** What every reply tells: how many lines, and the bad rows. */
export interface BlockReply {
  batch: number;
  /** Lines in the batch (blank ones included), to number the lines of later batches. */
  lines: number;
  /** Bad rows in the batch; only the first few are described in `errors`. */
  bad: number;
  errors: { line: number; reason: string }[];
}

export interface ParseReply extends PackedDocs, BlockReply {}

/** A scanned block: its rows' totals, and whether the store may read every row's own text. */
export interface ScanReply extends BlockReply, ScanTotals {
  /** False once a row is one the store would read differently (see readsAsValidated), or has no id. */
  direct: boolean;
  /** Ids the pool's filter had (probably) marked already: candidates for the repeat check (while `direct`). */
  repeats: string[];
  /** The block's first row as stored (normalized), for the store to compare its own read of it with. */
  sample: ParsedEvent | null;
}

const MAX_ERRORS = 20;
const setup = (workerData ?? {}) as WorkerSetup;
const idCells = setup.ids === undefined ? null : new Int32Array(setup.ids);

/**
 * Marks the ids in the pool's filter and returns those it had marked already, or undefined when the pool
 * has no filter: the store must then check every id (see PackedDocs.repeats).
 */
function markIds(ids: readonly string[]): string[] | undefined {
  if (idCells === null) return undefined;
  const repeats: string[] = [];
  // Once the filter is given up, every id is checked at commit anyway.
  if (givenUp(idCells)) return repeats;
  for (const id of ids) if (sighted(idCells, id)) repeats.push(id);
  return repeats;
}
// TRICKY: ignoreBOM keeps a byte order mark in the text. By default TextDecoder drops one at the start
// of every block, so a BOM was validated away while its bytes still went to DuckDB, which refused the
// whole file with an error naming no line. See textOf.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const BOM = '\uFEFF';

/**
 * A block's text, and whether it began with the byte order mark some Windows tools write: accepted at the
 * start of the file only (as the CSV reader does), and dropped, so the block's own bytes can no longer
 * stand for its documents. A BOM anywhere else begins a line that is not JSON.
 */
function textOf(req: ParseRequest): { text: string; bom: boolean } {
  const text = decoder.decode(req.bytes);
  return req.batch === 0 && text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** A row that passed every check: its text, what JSON.parse made of it, and what was validated. */
interface ValidRow {
  index: number;
  line: string;
  parsed: Record<string, unknown>;
  input: EventInput;
  ts: number;
}

/**
 * Validates every line of a block with the checks of every input path (parse-event.ts), calling `row`
 * for each valid one while the block has no bad row yet. Blank lines are skipped, and so reported.
 */
function checkLines(text: string, row: (r: ValidRow) => void): Omit<BlockReply, 'batch'> & { blank: boolean; count: number } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const errors: BlockReply['errors'] = [];
  let bad = 0;
  let blank = false;
  let count = 0;
  const fail = (line: number, reason: string) => {
    bad++;
    if (errors.length < MAX_ERRORS) errors.push({ line, reason });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    let value: unknown;
    try {
      value = JSON.parse(line); // JSON allows the \r of a CRLF line as whitespace, and so does DuckDB
    } catch (err) {
      if (line.trim() === '') {
        blank = true;
        continue;
      }
      fail(i + 1, `not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      fail(i + 1, 'each line must be one JSON object');
      continue;
    }
    const parsed = value as Record<string, unknown>;
    const input = coerceNumbers(parsed);
    const checked = checkEvent(input);
    if (!checked.ok) {
      fail(i + 1, checked.reason);
      continue;
    }
    if (bad > 0) continue; // the file is lost already; only bad rows still matter
    count++;
    row({ index: i, line, parsed, input: checked.input, ts: checked.ts });
  }
  return { lines: lines.length, bad, errors, blank, count };
}

/**
 * True when a store reading the row's own text (DuckDB's JSON reader) sees the object validated: no
 * number was coerced from text and no key repeats (see packed-docs.ts).
 */
const readsAsValidated = (r: ValidRow) => r.input === r.parsed && textNamesEachKeyOnce(r.line, Object.keys(r.parsed).length);

export function parseBatch(req: ParseRequest): ParseReply {
  const { text, bom } = textOf(req);
  const ts: number[] = [];
  const ids: string[] = [];
  // The ids to mark in the filter: those the rows gave, and the `h:` ids made for the others.
  const marked: string[] = [];
  // Rows whose own text DuckDB must not read (see packed-docs.ts), by index, with the text to use.
  const rewritten = new Map<number, string>();
  // `h:` ordinals within this batch; a digest repeated in another batch makes the same id there,
  // which the fast path's commit check sees as a repeat and hands to the exact path.
  const ordinals = new Map<string, number>();
  const block = checkLines(text, (r) => {
    if (!readsAsValidated(r)) rewritten.set(r.index, JSON.stringify(r.input));
    ts.push(r.ts);
    if (r.input.id !== undefined) {
      ids.push('');
      marked.push(r.input.id);
      return;
    }
    const digest = contentDigest(normalize(r.input, r.ts));
    const n = (ordinals.get(digest) ?? 0) + 1;
    ordinals.set(digest, n);
    const id = `h:${digest}:${n}`;
    ids.push(id);
    marked.push(id);
  });
  const head = { batch: req.batch, lines: block.lines, bad: block.bad, errors: block.errors };
  if (block.bad > 0 || block.count === 0) return { ...head, count: 0, docs: new Uint8Array(0), ts: '', ids: '', repeats: [] };
  // TRICKY: the documents are the block's own bytes, sent back without a copy, not a string built per
  // row (that alone cost a fifth of the parse time). Blank lines, rewritten rows and bytes that are
  // not UTF-8 (read as U+FFFD, as validated) are rare and force a rebuild from the text, as does a BOM.
  let docs: Uint8Array;
  if (bom || block.blank || rewritten.size > 0 || text.includes('\uFFFD')) {
    const kept: string[] = [];
    const all = text.split('\n');
    for (let i = 0; i < all.length; i++) {
      const line = all[i] as string;
      if (line.trim() !== '') kept.push(rewritten.get(i) ?? line);
    }
    docs = Buffer.from(kept.join('\n'));
  } else {
    docs = req.bytes.at(-1) === 10 ? req.bytes.subarray(0, -1) : req.bytes;
  }
  return { ...head, count: ts.length, docs, ts: ts.join(','), ids: ids.join(','), repeats: markIds(marked) };
}

/**
 * Validates a block for the direct lane (direct-load.ts): nothing is packed, the rows are only counted
 * and their instants summed, for the store to check its own read of the file against.
 */
export function scanBatch(req: ParseRequest): ScanReply {
  const { text, bom } = textOf(req);
  const given: string[] = [];
  let tsSum = 0;
  let sample: ParsedEvent | null = null;
  // Bytes that are not UTF-8 were validated as U+FFFD, and a BOM was dropped: the store's reader refuses both.
  let direct = !bom && !text.includes('\uFFFD');
  const block = checkLines(text, (r) => {
    tsSum += r.ts % TS_CHECK_MODULUS;
    if (!direct) return;
    // An id-less row needs its `h:` id from the content digest, which only the streaming path computes.
    if (r.input.id === undefined || !storeReadsTs(r.input.ts) || !readsAsValidated(r)) direct = false;
    else given.push(r.input.id);
    sample ??= normalize(r.input, r.ts);
  });
  return {
    batch: req.batch,
    lines: block.lines,
    bad: block.bad,
    errors: block.errors,
    rows: block.count,
    tsSum,
    direct,
    repeats: direct ? (markIds(given) ?? []) : [],
    sample,
  };
}

parentPort?.on('message', (req: ParseRequest) => {
  const reply = req.scan ? scanBatch(req) : parseBatch(req);
  // The request's buffer is this thread's own (moved or cloned here), so it can move back; a rebuilt
  // one may sit in Buffer's shared pool and is copied instead.
  parentPort?.postMessage(reply, 'docs' in reply && reply.docs.buffer === req.bytes.buffer ? [req.bytes.buffer as ArrayBuffer] : []);
});
