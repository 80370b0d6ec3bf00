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
  /** The loop's utilization since the last call, 0–1 (default: the event loop's own, perf_hooks). */
  utilization?: () => number;
}

/**
 * The pacer's one decision, with hysteresis: busy from above `busyAbove`, and busy again only after
 * falling below `idleBelow`, so a load between the two never makes the writer and classifier flap.
 */
export function nextBusy(busy: boolean, utilization: number, busyAbove: number, idleBelow: number): boolean {
  return busy ? utilization >= idleBelow : utilization > busyAbove;
}

/** The event loop's utilization between calls (Node's perf_hooks.eventLoopUtilization). */
function loopUtilization(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const u = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return u;
  };
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
  private utilization: () => number;
  private readonly measure: (() => number) | undefined;
  private elu = 0;
  private busy = false;

  constructor(
    private readonly onChange: (busy: boolean) => void,
    opts: PacerOptions = {},
  ) {
    this.sampleMs = opts.sampleMs ?? 200;
    this.busyAbove = opts.busyAbove ?? 0.6;
    this.idleBelow = opts.idleBelow ?? 0.4;
    this.measure = opts.utilization;
    this.utilization = this.measure ?? loopUtilization();
  }

  start(): void {
    if (this.timer) return;
    // A fresh baseline: what the loop did before start is not this pacer's to judge.
    this.utilization = this.measure ?? loopUtilization();
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
  }

  /** Takes one sample now (the timer calls it every sampleMs) and says busy or not if that changed. */
  sample(): void {
    this.elu = this.utilization();
    const busy = nextBusy(this.busy, this.elu, this.busyAbove, this.idleBelow);
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
