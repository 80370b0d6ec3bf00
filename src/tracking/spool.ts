// The durable spool between the tracking edge and the store: clicks and opens are appended to JSON-lines
// segment files without waiting on the database, and drained in order, in batches, once the store can take them.
import { ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { isClickrateError } from '../errors.js';
import {
  acquireLock,
  makeOwnerOnlyDir,
  recoverSpool,
  segmentPath,
  spoolError,
  writeCheckpoint,
  FILE_MODE,
  type Checkpoint,
  type SegmentInfo,
} from './spool-files.js';
import { GroupCommit } from './spool-commit.js';
import { DeadLetterFile, type DeadLetterListener, type DeadLetterStats } from './spool-dead-letter.js';
import type { SpoolEvent } from './spool-read.js';
import type { DrainOptions, RangeConsumed, SegmentRange } from './spool-range.js';

export type { SpoolEvent } from './spool-read.js';
export type { DrainOptions, RangeConsumed, SegmentRange } from './spool-range.js';

/**
 * Guarantees (what the redirect can promise the user):
 * - Once `append` returns, the record is in the OS page cache: it survives kill -9 (or a crash) of this
 *   process. It survives power loss once the next group commit has fsynced it, within `fsyncIntervalMs`
 *   (5 ms by default), or at once for callers that `await appendDurable(...)` / `flushed()`.
 * - Cost: `append` is one JSON.stringify plus one write(2): measured ~3 µs per 340-byte click (200,000
 *   appends, default segments, Node 20 on Linux); `appendLines` writes many records in one write(2) (the
 *   edge: one per event-loop turn); `appendDurable` waits ~5 ms (the group-commit window).
 *   spool.test.ts prints a higher figure because its tiny segments roll (open + fsync) every few records.
 * - Delivery is AT-LEAST-ONCE: a checkpoint is written after the consumer resolves, so a crash between
 *   the store's commit and the checkpoint replays that batch. Records carry event ids and the store
 *   ignores ids it already holds, so the replay changes nothing. A consumer must be idempotent.
 * - Size limit: at most `maxBytes` (default 1 GiB) of unconsumed records; disk use stays under
 *   maxBytes + segmentBytes (the consumed head of the oldest segment lingers until the segment is done).
 *   At ~340 bytes per click that is ~3 million events: at 200 clicks/s, over four hours with the store down.
 *   At the limit `append` throws CR_ERR_SPOOL and counts the event in `stats().recordsDropped`: the edge
 *   must still redirect (never break a user's click for a metric), log, and expose the count.
 * - Never stalled by one record: what the consumer sets aside (a line that is not a record, a record the
 *   store refuses) goes to the dead letters (spool-dead-letter.ts) before the checkpoint passes it.
 * - Owner-only: the folder is 0700 and every file in it 0600 (recipients' addresses and agents), wider
 *   modes tightened at open.
 */

export interface SpoolOptions {
  dir: string;
  /** Unconsumed bytes allowed on disk before `append` refuses (default 1 GiB). */
  maxBytes?: number;
  /** A segment is closed and a new one started past this size (default 16 MiB). */
  segmentBytes?: number;
  /** Group-commit delay: appends within this window share one fsync (default 5 ms). */
  fsyncIntervalMs?: number;
}

export interface SpoolStats extends DeadLetterStats {
  bytesPending: number;
  segments: number;
  maxBytes: number;
  /** Counters since open. */
  recordsAppended: number;
  recordsDropped: number;
  /** Lines that did not read back as records (dead-lettered, and counted in deadLettered too). */
  recordsCorrupt: number;
  /** Bytes of torn tails cut at open (power loss or a full disk in the last run). */
  tornBytesRecovered: number;
  fsyncErrors: number;
}

const GIB = 1024 * 1024 * 1024;

export class Spool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly fsyncIntervalMs: number;

  private segments: SegmentInfo[];
  private cp: Checkpoint;
  private nextSeq: number;
  private bytesPending: number;
  private bytesConsumed = 0;
  /** The segment this process appends to; null until the first append (a restart never reopens one). */
  private active: { seq: number; fd: number } | null = null;
  private readonly commit: GroupCommit;
  private rollNext = false;
  private draining: Promise<number> | null = null;
  private closed = false;
  private readonly releaseLock: () => void;
  private readonly deadLetters: DeadLetterFile;
  private readonly counters = { recordsAppended: 0, recordsDropped: 0, tornBytesRecovered: 0 };

  private constructor(opts: Required<SpoolOptions>, releaseLock: () => void) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
    this.segmentBytes = opts.segmentBytes;
    this.fsyncIntervalMs = opts.fsyncIntervalMs;
    this.releaseLock = releaseLock;
    const state = recoverSpool(this.dir);
    this.segments = state.segments;
    this.cp = state.checkpoint;
    this.nextSeq = state.nextSeq;
    this.bytesPending = state.bytesPending;
    this.counters.tornBytesRecovered = state.tornBytes;
    this.commit = new GroupCommit(this.dir, this.fsyncIntervalMs);
    this.deadLetters = new DeadLetterFile(this.dir);
  }

  static open(opts: SpoolOptions): Spool {
    const dir = resolve(opts.dir);
    const full: Required<SpoolOptions> = {
      dir,
      maxBytes: opts.maxBytes ?? GIB,
      segmentBytes: opts.segmentBytes ?? 16 * 1024 * 1024,
      fsyncIntervalMs: opts.fsyncIntervalMs ?? 5,
    };
    if (!(full.maxBytes > 0) || !(full.segmentBytes > 0) || !(full.fsyncIntervalMs >= 0)) {
      throw spoolError('spool maxBytes and segmentBytes must be positive and fsyncIntervalMs not negative', { ...full });
    }
    makeOwnerOnlyDir(dir);
    const release = acquireLock(dir);
    try {
      return new Spool(full, release);
    } catch (err) {
      release();
      throw isClickrateError(err) ? err : spoolError(`cannot open the spool in ${dir}`, { dir }, err);
    }
  }

  /**
   * Appends one record; when it returns the record survives kill -9. Throws CR_ERR_SPOOL at the size
   * limit or on a write error (the record is then counted as dropped and is not on disk).
   */
  append(record: SpoolEvent): void {
    if (typeof record.id !== 'string' || record.id === '') throw spoolError('a spool record needs an event id (the store dedupes replays by id)');
    // TRICKY: JSON.stringify escapes newlines inside strings, so one record is always exactly one line.
    this.appendLines(`${JSON.stringify(record)}\n`, 1);
  }

  /**
   * Appends `count` records already encoded as JSON lines (each ending in '\n', each with an id) in ONE
   * write(2): all of them survive kill -9 once this returns, or none is recorded (all count as dropped).
   * The tracking edge batches the clicks of one event-loop turn this way (http/edge-batch.ts).
   */
  appendLines(text: string, count: number): void {
    if (this.closed) throw spoolError('the spool is closed', { dir: this.dir });
    const bytes = Buffer.byteLength(text, 'utf8');
    if (this.bytesPending + bytes > this.maxBytes) {
      this.counters.recordsDropped += count;
      throw spoolError(`the spool is full (${this.bytesPending} of ${this.maxBytes} bytes pending): the store has not drained it`, {
        dir: this.dir,
        bytesPending: this.bytesPending,
        maxBytes: this.maxBytes,
      });
    }
    let seg = this.segments[this.segments.length - 1];
    if (this.rollNext || !this.active || !seg || seg.seq !== this.active.seq || (seg.size > 0 && seg.size + bytes > this.segmentBytes)) {
      try {
        seg = this.roll();
      } catch (err) {
        this.counters.recordsDropped += count;
        throw err;
      }
      this.rollNext = false;
    }
    const active = this.active as { seq: number; fd: number };
    try {
      // The string is written as it is (no Buffer made here); only a short write copies out the rest.
      const written = writeSync(active.fd, text);
      if (written < bytes) {
        const buf = Buffer.from(text, 'utf8');
        for (let done = written; done < bytes; ) done += writeSync(active.fd, buf, done, bytes - done);
      }
    } catch (err) {
      // TRICKY: a partial write (ENOSPC) would glue the next record onto half of this one. Cut it off.
      try {
        ftruncateSync(active.fd, seg.size);
      } catch {
        // Leave the torn bytes at the end of this segment (readers stop at seg.size, the next open cuts
        // them) and never append after them.
        this.rollNext = true;
      }
      this.counters.recordsDropped += count;
      throw spoolError('cannot write to the spool', { dir: this.dir }, err);
    }
    seg.size += bytes;
    this.bytesPending += bytes;
    this.counters.recordsAppended += count;
    this.commit.noteAppend(count);
  }

  /** Appends, then resolves once the record is fsynced (survives power loss). */
  appendDurable(record: SpoolEvent): Promise<void> {
    this.append(record);
    return this.flushed();
  }

  /** Resolves once every record appended so far is fsynced; rejects with CR_ERR_SPOOL if fsync fails. */
  flushed(): Promise<void> {
    return this.commit.flushed();
  }

  private roll(): SegmentInfo {
    const seq = this.nextSeq;
    let fd: number;
    try {
      fd = openSync(segmentPath(this.dir, seq), 'a', FILE_MODE);
    } catch (err) {
      throw spoolError('cannot create a spool segment', { dir: this.dir, seq }, err);
    }
    this.nextSeq++;
    this.active = { seq, fd };
    this.commit.setActive(fd); // the previous segment gets its last fsync, then is closed
    const seg = { seq, size: 0 };
    this.segments.push(seg);
    return seg;
  }

  /**
   * Hands out where the next batch of records is (in append order), not the records: the consumer reads
   * and stores them (in another thread: the store worker reads the segment itself, so the edge's thread
   * never parses a record) and says how far it got. Once it resolves, the batch is checkpointed and fully
   * consumed segments are deleted; if it throws, nothing advances and the same records come again next
   * time. Returns how many records were consumed (0: the spool is empty). Only this Spool appends,
   * checkpoints and deletes segments.
   */
  async drainRange(consume: (range: SegmentRange) => Promise<RangeConsumed>, opts: DrainOptions = {}): Promise<number> {
    if (this.closed) throw spoolError('the spool is closed', { dir: this.dir });
    if (this.draining) throw spoolError('a drain of this spool is already running', { dir: this.dir });
    const run = this.drainBatch(consume, Math.max(1, opts.maxRecords ?? 5000));
    this.draining = run;
    try {
      return await run;
    } finally {
      this.draining = null;
    }
  }

  private async drainBatch(consume: (range: SegmentRange) => Promise<RangeConsumed>, maxRecords: number): Promise<number> {
    for (;;) {
      const head = this.segments[0];
      if (!head) return 0;
      // Only the last segment can be active, and only it grows while we read; a rolled one is final.
      const isActive = this.active?.seq === head.seq;
      if (this.cp.offset >= head.size) {
        if (isActive) return 0;
        await this.advanceSegment();
        continue;
      }
      // TRICKY: head.size is read now, once: appends during the consumer's work grow it, and the range
      // must stop at whole records the consumer can see.
      const after = this.segments[1];
      const next = after ? { path: segmentPath(this.dir, after.seq), limit: after.size } : undefined;
      const batch = await consume({ path: segmentPath(this.dir, head.seq), from: this.cp.offset, limit: head.size, maxRecords, next });
      if (batch.end <= this.cp.offset) throw spoolError('the spool segment has a record without its newline', { dir: this.dir, segment: head.seq });
      // Set aside (fsynced) before the checkpoint moves past them; if that fails, nothing advances.
      await this.deadLetters.append(batch.dead);
      this.bytesPending -= batch.end - this.cp.offset;
      this.bytesConsumed += batch.end - this.cp.offset;
      this.cp = { segment: head.seq, offset: batch.end };
      if (batch.end >= head.size && !isActive) await this.advanceSegment();
      else await writeCheckpoint(this.dir, this.cp);
      if (batch.records > 0) return batch.records;
    }
  }

  /** Who hears of records set aside (one listener; serve logs them as warnings). */
  setDeadLetterListener(listener: DeadLetterListener | null): void {
    this.deadLetters.listener = listener;
  }

  /** The head segment is fully consumed: move the checkpoint past it, then delete it (in that order). */
  private async advanceSegment(): Promise<void> {
    const head = this.segments.shift() as SegmentInfo;
    const next = this.segments[0];
    this.cp = { segment: next ? next.seq : this.nextSeq, offset: 0 };
    await writeCheckpoint(this.dir, this.cp);
    unlinkSync(segmentPath(this.dir, head.seq));
  }

  /** Bytes consumed since open, and the end of what was appended in the same count (SpoolWriter's lag). */
  progress(): { consumed: number; end: number } {
    return { consumed: this.bytesConsumed, end: this.bytesConsumed + this.bytesPending };
  }

  stats(): SpoolStats {
    return {
      bytesPending: this.bytesPending,
      segments: this.segments.length,
      maxBytes: this.maxBytes,
      ...this.counters,
      recordsCorrupt: this.deadLetters.unreadable,
      fsyncErrors: this.commit.fsyncErrors,
      ...this.deadLetters.stats(),
    };
  }

  /** Fsyncs what was appended, closes the files and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.draining) await this.draining.catch(() => undefined);
    try {
      await this.commit.close();
    } finally {
      this.active = null;
      this.releaseLock();
    }
  }
}
