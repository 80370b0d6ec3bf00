// Drains the spool into the store in batches, in the background, so the tracking edge never waits on the
// database; while the store is down it retries with capped backoff and the spool grows (see spool.ts).
// While the edge is busy it gives way, up to a bounded lag. A batch that keeps failing is searched
// for the records the store refuses, which go to the dead letters (spool-isolate.ts), so none stalls it.
import { ClickrateError, isClickrateError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { SegmentRange, Spool } from './spool.js';
import { ingestRange, type RangeIngest, type RangeStored } from './spool-ingest.js';

export interface SpoolWriterOptions {
  /** Records per store transaction (default: the store's ingestPacing, else 5,000). */
  batchRecords?: number;
  /** Pause between drains once the spool is empty (default: the store's ingestPacing, else 250 ms). */
  intervalMs?: number;
  /** First retry delay after a failure (default 500 ms), doubling per consecutive failure… */
  minBackoffMs?: number;
  /** …up to this (default 30 s), so a store that comes back is written to within 30 s. */
  maxBackoffMs?: number;
  /** Told about every failed batch (log it: the spool keeps growing until the store is back). */
  onError?: (err: ClickrateError, retryInMs: number) => void;
  /** Who reads and stores a batch (default: this thread, into `store`; serve: the store worker). */
  ingest?: RangeIngest;
  /** While the edge is busy (setBusy), the store may fall this far behind before the writer drains anyway (default 10 s). */
  maxLagMs?: number;
  /** After this many failures in a row the batch is searched for records the store refuses (default 3). */
  isolateAfter?: number;
}

export interface SpoolWriterStats {
  batches: number;
  /** Records handed to the store, replays included. */
  recordsWritten: number;
  inserted: number;
  /** Records the store already held: replays after a crash between its commit and our checkpoint. */
  duplicates: number;
  failures: number;
  consecutiveFailures: number;
  /** Batches searched for records the store refuses, after isolateAfter failures in a row. */
  isolations: number;
  lastError: string | null;
  /** The edge is busy: the writer holds back until the lag passes maxLagMs. */
  paced: boolean;
  /** How far the store is behind: 0 when the spool is drained, else the age (ms) of the oldest record not yet stored, at most. */
  lagMs: number;
  maxLagMs: number;
}

/** Progress marks kept (one per drain that found new records); past it, lag reads high until caught up. */
const MAX_MARKS = 1000;

export class SpoolWriter {
  private readonly batchRecords: number;
  private readonly intervalMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly onError: ((err: ClickrateError, retryInMs: number) => void) | undefined;
  private readonly ingest: RangeIngest;
  private readonly maxLagMs: number;
  private readonly isolateAfter: number;
  /** Failures in a row that were the store's (CR_ERR_STORE), which alone lead to a search. */
  private storeRefusalsInRow = 0;
  private busy = false;
  /** Every record appended before this time (epoch ms) is in the store. */
  private caughtUpAt = Date.now();
  /**
   * Where the spool ended (Spool.progress) when each drain began: once consumption passes a mark, every
   * record appended before its time is stored. TRICKY: under a steady load the spool is never empty at
   * the end of a drain, so "empty" alone would never move caughtUpAt and the lag would grow for ever.
   */
  private marks: Array<{ at: number; end: number }> = [];
  private running = false;
  private loopDone: Promise<void> | null = null;
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  /** The drain in progress (or a settled promise): drains run one after another. */
  private turn: Promise<unknown> = Promise.resolve();
  private readonly counters = {
    batches: 0,
    recordsWritten: 0,
    inserted: 0,
    duplicates: 0,
    failures: 0,
    consecutiveFailures: 0,
    isolations: 0,
    lastError: null as string | null,
  };

  constructor(
    private readonly spool: Spool,
    store: Store,
    opts: SpoolWriterOptions = {},
  ) {
    // A store that wants fewer, larger inserts (ClickHouse) sets the pace unless the caller does.
    this.batchRecords = opts.batchRecords ?? store.capabilities.ingestPacing?.batchRecords ?? 5000;
    this.intervalMs = opts.intervalMs ?? store.capabilities.ingestPacing?.intervalMs ?? 250;
    this.minBackoffMs = opts.minBackoffMs ?? 500;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.onError = opts.onError;
    this.ingest = opts.ingest ?? ((range) => ingestRange(store, range));
    this.maxLagMs = opts.maxLagMs ?? 10_000;
    this.isolateAfter = Math.max(1, opts.isolateAfter ?? 3);
  }

  /** The edge's thread is busy (true) or has room again (false): see the pacing in loop(). */
  setBusy(busy: boolean): void {
    const was = this.busy;
    this.busy = busy;
    // Wake a writer that was holding back, so the catch-up starts at once.
    if (was && !busy && this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
  }

  /** The age of the oldest record not yet in the store, at most (0 when the spool is drained). */
  lagMs(): number {
    return this.spool.stats().bytesPending === 0 ? 0 : Math.max(0, Date.now() - this.caughtUpAt);
  }

  /** Starts draining in the background. Its timers are unref'd: the server's listener keeps the process up. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Writes one batch (one store transaction). Returns the records handed over, 0 when the spool is empty.
   * Throws (CR_ERR_STORE / CR_ERR_SPOOL) when the batch failed; it stays in the spool and comes again.
   */
  drainOnce(): Promise<number> {
    // TRICKY: the background loop and a caller (stop, a test, the API) may ask at the same moment; the
    // spool allows one drain at a time, so a second ask waits for the first instead of failing.
    const run = this.turn.then(async () => {
      this.mark();
      try {
        return await this.spool.drainRange((range) => this.write(range), { maxRecords: this.batchRecords });
      } finally {
        const { consumed } = this.spool.progress();
        while (this.marks.length > 0 && this.marks[0]!.end <= consumed) this.caughtUpAt = this.marks.shift()!.at;
      }
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  private mark(): void {
    const { end } = this.spool.progress();
    const last = this.marks[this.marks.length - 1];
    // The same end: nothing was appended since the last mark, which now holds for a later time. The cap
    // bounds a long outage (a later mark is left out: the lag reads high until consumption passes the last).
    if (last && end === last.end) last.at = Date.now();
    else if (this.marks.length < MAX_MARKS) this.marks.push({ at: Date.now(), end });
  }

  /** Drains until the spool is empty; throws on the first failure. */
  async drainAll(): Promise<number> {
    let total = 0;
    for (let n = await this.drainOnce(); n > 0; n = await this.drainOnce()) total += n;
    return total;
  }

  /**
   * Stops the background loop, then drains what it can: until the spool is empty or the store fails.
   * Whatever is left stays on disk and is replayed by the next start. Returns records written by the stop.
   */
  async stop(): Promise<number> {
    this.running = false;
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
    if (this.loopDone) await this.loopDone;
    this.loopDone = null;
    try {
      return await this.drainAll();
    } catch (err) {
      this.recordFailure(err);
      return 0;
    }
  }

  stats(): SpoolWriterStats {
    const lagMs = this.lagMs();
    return { ...this.counters, paced: this.holdingBack(lagMs), lagMs, maxLagMs: this.maxLagMs };
  }

  private holdingBack(lagMs = this.lagMs()): boolean {
    return this.busy && lagMs < this.maxLagMs;
  }

  /**
   * One batch: read and stored by `ingest` (one store transaction: see spool-ingest.ts).
   * TRICKY: a store that is down and a record it will never take look alike at first: both fail the
   * batch. Only after isolateAfter failures in a row (the checkpoint has not moved, so it is the same
   * batch) is it stored in pieces, which tells them apart (spool-isolate.ts); while the store is down,
   * that costs a few more refused attempts per retry, and the backoff goes on as before.
   */
  private async write(range: SegmentRange): Promise<RangeStored> {
    const isolate = this.storeRefusalsInRow >= this.isolateAfter;
    if (isolate) this.counters.isolations++;
    const done = await this.ingest(isolate ? { ...range, isolate } : range);
    if (done.records > 0) {
      this.counters.batches++;
      this.counters.recordsWritten += done.records;
      this.counters.inserted += done.counts.inserted;
      this.counters.duplicates += done.counts.duplicates;
    }
    this.counters.consecutiveFailures = 0;
    this.storeRefusalsInRow = 0;
    return done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      // TRICKY: the edge's answers and the writer share the machine's cores (DuckDB's threads, the
      // worker's parsing); while the edge is busy the spool holds the events, up to maxLagMs behind.
      if (this.holdingBack()) {
        await this.sleep(Math.min(this.intervalMs, this.maxLagMs));
        continue;
      }
      let delay: number;
      try {
        const n = await this.drainOnce();
        // A full batch means more is waiting: go again at once; otherwise let events accumulate.
        delay = n >= this.batchRecords ? 0 : this.intervalMs;
      } catch (err) {
        const failures = this.recordFailure(err);
        delay = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** Math.min(failures - 1, 30));
        this.onError?.(toError(err), delay);
      }
      if (this.running) await this.sleep(delay);
    }
  }

  private recordFailure(err: unknown): number {
    this.counters.failures++;
    this.counters.lastError = toError(err).message;
    // Only the store's refusals point at a record: a spool (disk) failure is no reason to search the batch.
    if (isClickrateError(err) && err.code === 'CR_ERR_STORE') this.storeRefusalsInRow++;
    return ++this.counters.consecutiveFailures;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping = null;
        resolve();
      }, ms);
      timer.unref();
      this.sleeping = {
        timer,
        wake: () => {
          this.sleeping = null;
          resolve();
        },
      };
    });
  }
}

function toError(err: unknown): ClickrateError {
  return isClickrateError(err) ? err : new ClickrateError('CR_ERR_STORE', String((err as Error)?.message ?? err), {}, { cause: err });
}
