// Periodic classification passes (reclassify) over a store, one at a time, giving way while the edge is
// busy up to a bounded lag. Runs in the store worker under `serve`, or in the edge's thread in tests.
import { DEFAULT_CLASSIFIER_CONFIG } from '../../classify/config.js';
import { reclassify } from '../../classify/reclassify.js';
import type { Store, VerdictPass } from '../../store/store.js';

/** After a pass, the timer waits this many times its length before the next one. */
const DUTY_REST = 3;

export interface ClassifyStats {
  passes: number;
  failures: number;
  /** Epoch ms when the last pass finished, or null before the first. */
  lastPassAt: number | null;
  lastPassMs: number | null;
  /** Events the last pass covered. */
  lastEvents: number;
  lastError: string | null;
  /** The edge is busy: passes wait until maxLagMs after the last one. */
  paced: boolean;
  everyMs: number;
  maxLagMs: number;
}

/** What the server needs of a classifier, here or in the store worker. */
export interface Classifier {
  start(): void;
  /** The edge is busy (true) or has room again (false). */
  setBusy(busy: boolean): void;
  /** One pass now, after the one running (if any); never rejects (failures are counted and logged). */
  runNow(): Promise<void>;
  /** Stops the timer and runs a last pass. */
  stop(): Promise<void>;
  stats(): ClassifyStats;
}

export interface ClassifyLoopOptions {
  /** Verdicts lag new events by about this long; reports in between count new events as human (default 1 s). */
  everyMs?: number;
  /** While the edge is busy, at most this long between passes (default 10 s), or DUTY_REST × a pass. */
  maxLagMs?: number;
  onError?: (err: Error) => void;
  /** Told the figures after every pass, success or failure (the worker: sends them to the edge's thread). */
  onPass?: (stats: ClassifyStats) => void;
  /** Runs each pass through this (the worker: one store job at a time, so passes and batches do not overlap). */
  exclusive?: <T>(job: () => Promise<T>) => Promise<T>;
}

export class ClassifyLoop implements Classifier {
  private readonly everyMs: number;
  private readonly maxLagMs: number;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  private lastEnd = 0;
  private running = false;
  private readonly counters: Omit<ClassifyStats, 'paced' | 'everyMs' | 'maxLagMs'> = {
    passes: 0,
    failures: 0,
    lastPassAt: null,
    lastPassMs: null,
    lastEvents: 0,
    lastError: null,
  };

  constructor(
    private readonly store: Store,
    private readonly opts: ClassifyLoopOptions = {},
  ) {
    this.everyMs = opts.everyMs ?? 1000;
    this.maxLagMs = opts.maxLagMs ?? 10_000;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // TRICKY: a pass reads and writes every message with a new event; under full load it would take a
      // core from the edge each second. Busy: one pass per maxLagMs, so verdicts lag by at most that.
      const since = Date.now() - this.lastEnd;
      if (this.busy && since < this.maxLagMs) return;
      // A pass covers every message with a new event, so with traffic on many messages it grows with the
      // store; resting DUTY_REST times its length after it keeps it to a quarter of one core at most.
      if (this.running || since < DUTY_REST * (this.counters.lastPassMs ?? 0)) return;
      void this.runNow();
    }, this.everyMs);
    this.timer.unref();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
  }

  runNow(): Promise<void> {
    this.chain = this.chain.then(() => this.pass());
    return this.chain;
  }

  private async pass(): Promise<void> {
    this.running = true;
    try {
      // Memories across messages (honeypot hits, shared clients) are read at most once a minute here, and
      // shared clients from the last two of their spans only: what arrives now is judged against recent
      // clicks, and the read stays the same size however large the store grows. Events posted with old
      // times miss older pools until `clickrate classify --all`.
      const span = DEFAULT_CLASSIFIER_CONFIG.sharedClientSpanMs + DEFAULT_CLASSIFIER_CONFIG.sharedClientWindowMs;
      const job = () => reclassify(this.gated(), { memoryMaxAgeMs: 60_000, sharedClientsSince: Math.floor((Date.now() - 2 * span) / 60_000) * 60_000 });
      const result = await (this.opts.exclusive ? this.opts.exclusive(job) : job());
      this.counters.passes++;
      this.counters.lastPassAt = Date.now();
      this.counters.lastPassMs = Math.round(result.ms);
      this.counters.lastEvents = result.events;
    } catch (err) {
      this.counters.failures++;
      this.counters.lastError = (err as Error).message;
      this.opts.onError?.(err as Error);
    } finally {
      this.running = false;
      this.lastEnd = Date.now();
    }
    this.opts.onPass?.(this.stats());
  }

  /**
   * The store as a pass sees it: while the edge is busy, the pass waits before reading its next chunk,
   * for at most maxLagMs in all, so a long pass that began in a quiet moment gives way to a burst too.
   */
  private gated(): Store {
    const started = Date.now();
    const untilRoom = async () => {
      while (this.busy && Date.now() - started < this.maxLagMs) await new Promise((r) => setTimeout(r, 100));
    };
    const real = this.store;
    // Only beginVerdictPass is used by reclassify; everything else is the store's own.
    const store = Object.create(real) as Store;
    store.beginVerdictPass = async (opts) => {
      const pass = await real.beginVerdictPass(opts);
      const gated: VerdictPass = {
        get pending() {
          return pass.pending;
        },
        get events() {
          return pass.events;
        },
        next: async () => {
          await untilRoom();
          return pass.next();
        },
        write: (rows) => pass.write(rows),
        finish: () => pass.finish(),
        close: () => pass.close(),
      };
      return gated;
    };
    return store;
  }

  /** Stops the timer; if it was running, one last pass gives the newest events their verdicts. */
  async stop(): Promise<void> {
    if (!this.timer) return this.chain;
    clearInterval(this.timer);
    this.timer = null;
    await this.runNow();
  }

  stats(): ClassifyStats {
    return { ...this.counters, paced: this.busy, everyMs: this.everyMs, maxLagMs: this.maxLagMs };
  }
}
