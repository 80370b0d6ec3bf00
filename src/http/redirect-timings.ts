// Redirect latency recorded on the tracking hot path without allocating: each answer's duration goes
// into a preallocated ring of numbers, and the ring is handed to the Prometheus histogram at scrape time
// (or when it fills). TRICKY: prom-client's observe() builds a closure and hashes the labels per call,
// work the /c and /o path should not carry for every click.
import { performance } from 'node:perf_hooks';

/** The hot path's two routes, as small integers so a record is two typed-array writes. */
const REDIRECT_ROUTES = ['/c/{token}', '/o/{token}'] as const;
export type RedirectRoute = 0 | 1;

/** 8192 answers between scrapes before a drain runs on the hot path (once per 8192: amortized). */
const SIZE = 8192;

export class RedirectTimings {
  private readonly seconds = new Float64Array(SIZE);
  private readonly routes = new Uint8Array(SIZE);
  private n = 0;

  constructor(private readonly observe: (route: string, seconds: number) => void) {}

  /** A handler start time for `record` (performance.now(), ms: a double, no BigInt). */
  static now(): number {
    return performance.now();
  }

  /** Notes one answer that started at `startedAt` (RedirectTimings.now()) and was written at `endedAt`. */
  record(route: RedirectRoute, startedAt: number, endedAt: number): void {
    if (this.n === SIZE) this.drain();
    this.seconds[this.n] = (endedAt - startedAt) / 1000;
    this.routes[this.n] = route;
    this.n++;
  }

  /** Hands every recorded duration to the histogram. */
  drain(): void {
    const n = this.n;
    this.n = 0;
    for (let i = 0; i < n; i++) this.observe(REDIRECT_ROUTES[this.routes[i] as RedirectRoute], this.seconds[i]!);
  }
}
