// Tells the store side when the edge's thread is busy: it samples the event loop's utilization and says
// busy/not busy (with hysteresis), so the spool writer and the classifier give way to the redirects.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface PacerOptions {
  /** How often the loop's utilization is sampled (default 200 ms). */
  sampleMs?: number;
  /** Busy from this utilization up (default 0.6)… */
  busyAbove?: number;
  /** …until it falls below this (default 0.4). */
  idleBelow?: number;
}

export interface PacerStats {
  /** Share of the last sample the edge's event loop was working (0–1). */
  eventLoopUtilization: number;
  busy: boolean;
}

export class EdgePacer {
  private readonly sampleMs: number;
  private readonly busyAbove: number;
  private readonly idleBelow: number;
  private timer: NodeJS.Timeout | null = null;
  private last: EventLoopUtilization | null = null;
  private elu = 0;
  private busy = false;

  constructor(
    private readonly onChange: (busy: boolean) => void,
    opts: PacerOptions = {},
  ) {
    this.sampleMs = opts.sampleMs ?? 200;
    this.busyAbove = opts.busyAbove ?? 0.6;
    this.idleBelow = opts.idleBelow ?? 0.4;
  }

  start(): void {
    if (this.timer) return;
    this.last = performance.eventLoopUtilization();
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    this.elu = performance.eventLoopUtilization(now, this.last ?? undefined).utilization;
    this.last = now;
    const busy = this.busy ? this.elu >= this.idleBelow : this.elu > this.busyAbove;
    if (busy !== this.busy) {
      this.busy = busy;
      this.onChange(busy);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.busy) {
      this.busy = false;
      this.onChange(false);
    }
  }

  stats(): PacerStats {
    return { eventLoopUtilization: Number(this.elu.toFixed(3)), busy: this.busy };
  }
}
