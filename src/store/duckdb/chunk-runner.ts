// Runs the ingest's per-chunk statements on one connection: each SQL text prepared once per session,
// its parameters bound straight into DuckDB, and DuckDB's memory limit lowered (and its allocator told
// to hand memory back) while a file streams in.
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { PackedDocs } from '../../events/packed-docs.js';

/** One part of a chunk: the documents, the comma-joined times and the comma-joined `h:` ids. */
export interface ChunkParams {
  docs: Uint8Array;
  ts: string;
  ids: string;
}

/**
 * TRICKY: DuckDB allocates through its own jemalloc (statically linked into libduckdb, prefixed
 * `duckdb_je_`), so neither glibc's MALLOC_* variables nor a glibc heap profile reach it. jemalloc keeps
 * pages freed by DuckDB mapped for reuse, and while a file streams in that kept 70–150 MB above DuckDB's
 * own count (10M events: 531–604 MB peak RSS). With this threshold at 0 DuckDB hands them back after each
 * bulk free: 448–497 MB, for up to about 7% of the import's time (docs/performance-history.md). Thresholds
 * of 16 MB and up kept the memory.
 */
const FLUSH_SETTING = 'allocator_bulk_deallocation_flush_threshold';
const OPTIMIZERS_SETTING = 'disabled_optimizers';

// TRICKY: chunk data is bound with bindBlob/bindVarchar, never as blobValue() parameters. A value
// object holds a native copy of its bytes (a 23 MB chunk) that only V8's garbage collector frees, and
// V8 does not know that memory exists: on an import's quiet main thread several chunks' copies piled
// up before a major collection came (about 60 MB of the peak at 1M events).
export class ChunkRunner {
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();
  /** The limit the session started with (DuckDB's own formatting), once fitMemoryLimit ran. */
  private savedLimit: string | null = null;
  private setLimit = Number.POSITIVE_INFINITY;
  /** allocator_bulk_deallocation_flush_threshold as the session started with it, while streaming. */
  private savedFlush: string | null = null;
  /** disabled_optimizers as the session started with it, while disableOptimizer holds one off. */
  private savedOptimizers: string | null = null;

  constructor(private readonly conn: DuckDBConnection) {}

  /**
   * Runs `sql` with part p bound to $3p+1 (documents, a BLOB), $3p+2 (times) and $3p+3 (ids), and
   * `extra`, when given, to the parameter after them; returns the rows it changed. Empties `parts`
   * once they are bound (DuckDB has its own copy), so that their bytes can be collected meanwhile.
   */
  async run(sql: string, parts: ChunkParams[], extra?: number): Promise<number> {
    let p = this.prepared.get(sql);
    if (!p) {
      p = await this.conn.prepare(sql);
      this.prepared.set(sql, p);
    }
    parts.forEach((part, i) => {
      p.bindBlob(3 * i + 1, part.docs);
      p.bindVarchar(3 * i + 2, part.ts);
      p.bindVarchar(3 * i + 3, part.ids);
    });
    if (extra !== undefined) p.bindBigInt(3 * parts.length + 1, BigInt(extra));
    parts.length = 0;
    try {
      const res = await p.run();
      return res.rowsChanged;
    } finally {
      // Frees the bound copy now, not when the statement is next used.
      p.clearBindings();
    }
  }

  /**
   * Sets DuckDB's memory_limit for a chunk of `chunkBytes` documents: `perChunkByte` times that, at
   * least `floorBytes`, never above the limit the session started with (restored by restore()). Why:
   * as a file streams in, DuckDB keeps the blocks it has just written cached up to its limit (200 MB
   * of them by 10M events under 256 MB) and never reads them back, while the insert itself needs a
   * little over twice the chunk (48 MB failed with "Out of Memory" on 23 MB chunks).
   */
  async fitMemoryLimit(chunkBytes: number, perChunkByte: number, floorBytes: number): Promise<void> {
    if (this.savedLimit === null) {
      const r = await this.conn.runAndReadAll(`SELECT current_setting('memory_limit') AS current`);
      const row = r.getRowObjectsJS()[0];
      this.savedLimit = String(row?.current ?? '');
      this.setLimit = bytesOf(this.savedLimit);
      await this.flushFreedMemory();
    }
    const want = Math.min(bytesOf(this.savedLimit), Math.max(floorBytes, Math.ceil(chunkBytes * perChunkByte)));
    // Only a change of more than a tenth is worth a SET (chunks vary a little in size).
    if (Math.abs(want - this.setLimit) <= this.setLimit / 10) return;
    // A whole number of bytes, computed here: never user text.
    await this.conn.run(`SET memory_limit = '${Math.round(want / 1024)}KiB'`);
    this.setLimit = want;
  }

  /**
   * The allocator set to hand memory back, while a file streams in (fitMemoryLimit) or DuckDB reads one
   * itself (the direct lane; 10M events: 288–297 MB peak RSS with it, 392–402 MB without; docs/performance-history.md).
   * Put back by restore().
   */
  async flushFreedMemory(): Promise<void> {
    if (this.savedFlush !== null) return;
    const r = await this.conn.runAndReadAll(`SELECT current_setting('${FLUSH_SETTING}') AS flush`);
    this.savedFlush = String(r.getRowObjectsJS()[0]?.flush ?? '');
    await this.conn.run(`SET ${FLUSH_SETTING} = '0KiB'`);
  }

  /**
   * Turns one of DuckDB's optimizers off (`name`: DuckDB's own, never user text) until restoreOptimizers()
   * or restore(). TRICKY: like the memory limit this is an instance setting, seen by every connection
   * meanwhile, and inside a transaction that a failed statement aborted it cannot be set back at all:
   * restore() after the ROLLBACK does it then. False when this DuckDB has no such optimizer (refused).
   */
  async disableOptimizer(name: string): Promise<boolean> {
    const r = await this.conn.runAndReadAll(`SELECT current_setting('${OPTIMIZERS_SETTING}') AS d`);
    const now = String(r.getRowObjectsJS()[0]?.d ?? '');
    if (now.split(',').includes(name)) return true;
    try {
      await this.conn.run(`SET ${OPTIMIZERS_SETTING} = '${[now, name].filter((x) => x !== '').join(',')}'`);
    } catch {
      return false;
    }
    this.savedOptimizers ??= now;
    return true;
  }

  /** Puts disabled_optimizers back as it was before disableOptimizer. */
  async restoreOptimizers(): Promise<void> {
    if (this.savedOptimizers === null) return;
    await this.conn.run(`SET ${OPTIMIZERS_SETTING} = '${this.savedOptimizers}'`);
    this.savedOptimizers = null;
  }

  /** Puts the session's memory limit back (the allocator stays as streaming set it, until restore()). */
  async restoreLimit(): Promise<void> {
    if (this.savedLimit === null) return;
    const limit = this.savedLimit;
    const changed = this.setLimit !== bytesOf(limit);
    this.savedLimit = null;
    this.setLimit = Number.POSITIVE_INFINITY;
    if (changed) await this.conn.run(`SET memory_limit = '${untruncated(limit)}'`);
  }

  /** Puts back everything fitMemoryLimit changed and frees the prepared statements. */
  async restore(): Promise<void> {
    for (const p of this.prepared.values()) p.destroySync();
    this.prepared.clear();
    await this.restoreOptimizers();
    await this.restoreLimit();
    const flush = this.savedFlush;
    this.savedFlush = null;
    // DuckDB's own formatting of a size it printed ('512.0 MiB'), never user text.
    if (flush !== null && bytesOf(flush) !== Number.POSITIVE_INFINITY) await this.conn.run(`SET ${FLUSH_SETTING} = '${flush}'`);
  }
}

/**
 * A size as DuckDB prints it, made exact enough to set again. TRICKY: DuckDB truncates to one decimal
 * ('512MB' prints as '488.2 MiB', really 488.28), so setting the printed text back lowered the limit a
 * little every time; the middle of the printed interval ('488.25 MiB') prints the same again.
 */
export function untruncated(size: string): string {
  return size.replace(/^(\s*\d+\.\d+)(?=\s*[A-Za-z])/, '$15');
}

const UNITS: Record<string, number> = { B: 1, BYTES: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/** Bytes in a DuckDB size such as '256MB' or '244.1 MiB'; unreadable sizes count as unlimited. */
export function bytesOf(size: string): number {
  const m = /^\s*([\d.]+)\s*([A-Za-z]+)\s*$/.exec(size);
  const unit = m ? UNITS[(m[2] as string).toUpperCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : Number.POSITIVE_INFINITY;
}

/** The batches as at most `max` parts: neighbours merged (documents newline-joined) when there are more. */
export function mergeParts(batches: readonly PackedDocs[], max: number): ChunkParams[] {
  const per = Math.ceil(batches.length / max);
  const parts: ChunkParams[] = [];
  for (let i = 0; i < batches.length; i += per) {
    const group = batches.slice(i, i + per);
    const first = group[0] as PackedDocs;
    if (group.length === 1) {
      parts.push({ docs: first.docs, ts: first.ts, ids: first.ids });
      continue;
    }
    const docs = new Uint8Array(group.reduce((n, p) => n + p.docs.length + 1, -1));
    let at = 0;
    for (const p of group) {
      if (at > 0) docs[at++] = 10;
      docs.set(p.docs, at);
      at += p.docs.length;
    }
    parts.push({ docs, ts: group.map((p) => p.ts).join(','), ids: group.map((p) => p.ids).join(',') });
  }
  return parts;
}

/** A memory_limit as DuckDB shows it ('244.1 MiB', '18.8 GiB') in bytes; null when unreadable. */
export function memoryLimitBytes(text: string): number | null {
  const m = /^([\d.]+)\s*(bytes|[KMGT]i?B)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'bytes').toUpperCase().replace('I', '');
  return Number(m[1]) * 1024 ** Math.max(0, ['BYTES', 'KB', 'MB', 'GB', 'TB'].indexOf(unit));
}
