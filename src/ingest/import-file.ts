// Imports one event file into a store, all or nothing (SPEC.md: "all or nothing per file; a bad row is
// named by file and line"): every row is validated while streaming; one bad row rolls the file back.
import { access, stat } from 'node:fs/promises';
import { ClickrateError, isClickrateError } from '../errors.js';
import { isStrictIngestSession, refusalsOf } from '../store/message-owner.js';
import type { IngestCounts, IngestEvent, IngestSession, Store } from '../store/store.js';
import { BadRows } from '../events/bad-rows.js';
import { directPath, isDirectLoadSession } from '../events/direct-load.js';
import { contentDigest } from '../events/event-id.js';
import { IdRepeatFilter } from '../events/id-repeat-filter.js';
import { isPackedIngestSession, type PackedIngestSession, type PackedMode } from '../events/packed-docs.js';
import { defaultWorkerCount } from '../events/parse-pool.js';
import type { ParseReply } from '../events/parse-worker.js';
import { dropEmptyCells, parseEvent } from '../events/parse-event.js';
import { formatOf, readEventFile } from '../events/read-events.js';
import { refusedFileError } from './refused-lines.js';
import { runBlocks } from '../events/run-blocks.js';
import { scanFile, type ImportProgress } from '../events/scan-file.js';

const BATCH = 8192;
/** Blocks handed to the workers ahead of the one being stored: bounds memory, keeps workers busy. */
const AHEAD = 3;

export interface ImportFileResult extends IngestCounts {
  file: string;
  /**
   * How the rows reached the store: `direct`, validated whole and then read by the store itself
   * (direct-load.ts); `stream`, validated and stored block by block (CSV always); `exact`, JSON Lines
   * streamed again to resolve ids that repeat (a re-import, or repeats within the file).
   */
  lane: 'direct' | 'stream' | 'exact';
}

export interface ImportFileOptions {
  /** Parse worker threads for JSON Lines (default: see defaultWorkerCount and scanWorkerCount in parse-pool.ts). */
  parseWorkers?: number;
  /** False: never the direct lane (benchmarks compare the lanes with it). Default true. */
  direct?: boolean;
  /**
   * Told the lines read and validated so far, after each block (JSON Lines) or batch (CSV), and
   * `committing` once the whole file is read. A file read again (the streaming lane after the direct
   * one declined it, or exact mode after repeated ids) starts the count again from 0.
   */
  onProgress?: (progress: ImportProgress) => void;
}

export async function importFile(store: Store, file: string, opts: ImportFileOptions = {}): Promise<ImportFileResult> {
  try {
    await access(file);
  } catch {
    throw new ClickrateError('CR_ERR_NOT_FOUND', `${file}: no such file`, { file });
  }
  try {
    return await importLanes(store, file, opts);
  } catch (err) {
    // The store refused events (a sent naming a message of another campaign): nothing of the file was
    // stored (every session is strict), and the refused rows are named like bad ones.
    const refusals = refusalsOf(err);
    if (refusals) throw await refusedFileError(file, refusals.refused, refusals.count);
    throw err;
  }
}

/**
 * A session that refuses the whole file rather than store part of it: SPEC.md's "all or nothing per
 * file" holds for events the store refuses at commit, as for bad rows.
 */
async function beginFileIngest(store: Store): Promise<IngestSession> {
  const session = await store.beginIngest();
  if (isStrictIngestSession(session)) session.strict();
  else {
    await session.abort();
    throw new ClickrateError('CR_ERR_STORE', 'this store cannot import a file all or nothing (its ingest sessions cannot be made strict)');
  }
  return session;
}

async function importLanes(store: Store, file: string, opts: ImportFileOptions): Promise<ImportFileResult> {
  const format = formatOf(file);
  let mode: PackedMode = 'fast';
  let direct = format === 'jsonl' && store.capabilities.readsJsonLines && opts.direct !== false ? directPath(file) : null;
  for (;;) {
    if (direct !== null) {
      const done = await importDirect(store, file, direct, opts).catch((err: unknown) => {
        if (isClickrateError(err)) throw err;
        throw new ClickrateError('CR_ERR_BAD_FILE', `${file}: ${(err as Error).message}`, { file }, { cause: err });
      });
      if (typeof done === 'object') return { file, ...done, lane: 'direct' };
      // An id repeats: resolved by the exact path; anything else the direct lane cannot take streams.
      if (done === 'conflict') mode = 'exact';
      direct = null;
      continue;
    }
    const session = await beginFileIngest(store);
    try {
      if (format === 'jsonl' && isPackedIngestSession(session)) {
        const counts = await importPacked(session, file, mode, opts);
        if (counts === 'conflict') {
          // An id repeats (a re-import, or duplicates in the file): the fast path cannot tell which
          // copy wins, so the file is read again and its ids resolved across the whole file.
          mode = 'exact';
          continue;
        }
        return { file, ...counts, lane: mode === 'exact' ? 'exact' : 'stream' };
      }
      return { file, ...(await importRecords(session, file, opts.onProgress)), lane: 'stream' };
    } catch (err) {
      await session.abort();
      if (isClickrateError(err)) throw err;
      throw new ClickrateError('CR_ERR_BAD_FILE', `${file}: ${(err as Error).message}`, { file }, { cause: err });
    }
  }
}

/**
 * The direct lane (direct-load.ts): the whole file validated on every core first, then read by the store
 * itself. 'stream' when a row or the store's read of the file needs the streaming path; 'conflict' when an
 * id repeats and the exact path must resolve it.
 */
async function importDirect(store: Store, file: string, path: string, opts: ImportFileOptions): Promise<IngestCounts | 'stream' | 'conflict'> {
  const scan = await scanFile(file, { workers: opts.parseWorkers, expectedRows: await expectedRows(file), onProgress: opts.onProgress });
  if (!scan.direct) return 'stream';
  const session = await beginFileIngest(store);
  try {
    if (!isDirectLoadSession(session) || !isPackedIngestSession(session)) {
      await session.abort();
      return 'stream';
    }
    opts.onProgress?.({ lines: scan.lines, committing: true });
    if (!(await session.loadJsonLines(path, scan.check, scan.filter))) {
      // Conflicted: a re-import, seen in the sample before anything was loaded.
      const conflict = session.conflicted;
      await session.abort();
      return conflict ? 'conflict' : 'stream';
    }
    try {
      return await session.commit();
    } catch (err) {
      if (session.conflicted) return 'conflict';
      throw err;
    }
  } catch (err) {
    await session.abort();
    throw err;
  }
}

/** JSON Lines: worker threads parse and validate blocks of lines; the store loads packed documents. */
async function importPacked(
  session: IngestSession & PackedIngestSession,
  file: string,
  mode: PackedMode,
  opts: ImportFileOptions,
): Promise<IngestCounts | 'conflict'> {
  // Fast mode: the workers mark every id in a shared filter, and commit looks up the few it saw twice.
  const ids = mode === 'fast' ? new IdRepeatFilter(await expectedRows(file)) : undefined;
  session.setMode(mode, ids);
  const bad = new BadRows(file);
  const lines = await runBlocks<ParseReply>(file, bad, {
    workers: opts.parseWorkers ?? defaultWorkerCount(),
    ahead: AHEAD,
    ids,
    send: (pool, batch, block) => pool.parse(batch, block),
    take: async (reply, lines) => {
      if (bad.count === 0) await session.appendDocs(reply);
      opts.onProgress?.({ lines, committing: false });
    },
    stop: () => session.conflicted,
  });
  bad.throwIfAny();
  if (session.conflicted) {
    await session.abort();
    return 'conflict';
  }
  opts.onProgress?.({ lines, committing: true });
  try {
    return await session.commit();
  } catch (err) {
    if (session.conflicted) return 'conflict';
    throw err;
  }
}

/** A guess at a JSON Lines file's rows from its size (events run 100–250 bytes; gzip shrinks them about 8×). */
async function expectedRows(file: string): Promise<number> {
  const { size } = await stat(file);
  return Math.ceil((file.toLowerCase().endsWith('.gz') ? size * 8 : size) / 100);
}

/** CSV, and stores that take event objects: validated on the main thread, a batch at a time. */
async function importRecords(session: IngestSession, file: string, onProgress?: (progress: ImportProgress) => void): Promise<IngestCounts> {
  const bad = new BadRows(file);
  let batch: IngestEvent[] = [];
  let lines = 0;
  for await (const rec of readEventFile(file)) {
    lines = rec.line;
    if ('error' in rec) {
      bad.add(rec.line, rec.error);
    } else {
      // JSON lines carry absence as a missing key; CSV carries it as an empty cell.
      const parsed = parseEvent(rec.text === undefined ? dropEmptyCells(rec.value) : rec.value);
      if (!parsed.ok) {
        bad.add(rec.line, parsed.reason);
      } else if (bad.count === 0) {
        // Extended in place rather than copied: this runs per row, and copies are what the GC pays for.
        const e = parsed.event as IngestEvent;
        e.digest = e.id === null ? contentDigest(e) : null;
        if (rec.text !== undefined) e.raw = rec.text;
        batch.push(e);
        if (batch.length >= BATCH) {
          await session.append(batch);
          batch = [];
          onProgress?.({ lines, committing: false });
        }
      }
    }
    if (bad.full) break;
  }
  bad.throwIfAny();
  if (batch.length > 0) await session.append(batch);
  onProgress?.({ lines, committing: true });
  return session.commit();
}
