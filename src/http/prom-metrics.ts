// The server's Prometheus metrics (GET /metrics, text format 0.0.4) through prom-client, on a Registry
// of the server's own (never prom-client's global one). Most figures are the counters the server already
// keeps for /api/v1/status (edge, spool, writer, classifier, faults): they are read at scrape time, not
// counted twice. Names follow https://prometheus.io/docs/practices/naming/ (clickrate_ prefix, base
// units in the name, _total on counters).
import { type Counter, collectDefaultMetrics, Gauge, Histogram, Registry, Counter as PromCounter } from 'prom-client';
import type { SpoolStats } from '../tracking/spool.js';
import type { SpoolWriterStats } from '../tracking/spool-writer.js';
import { RedirectTimings } from './redirect-timings.js';
import type { EdgeCounters } from './track-routes.js';

/** What the server shows in /api/v1/status, as far as the metrics read it (structural: no upward import). */
export interface MetricSources {
  edge: EdgeCounters;
  spool: SpoolStats;
  writer: SpoolWriterStats;
  classifier: { passes: number; failures: number; lastPassMs: number | null; lastEvents: number };
  faults: { requests: number; uncaughtExceptions: number; unhandledRejections: number };
}

/**
 * Counters other parts of the process move (webhook receivers, the reply reader), kept on one registry
 * per process: their callers are not handed a server. Exposed by every server's /metrics.
 */
const shared = new Registry();
collectDefaultMetrics({ register: shared, prefix: 'clickrate_' });
const webhookRefused = new PromCounter({
  name: 'clickrate_webhook_verifications_refused_total',
  help: 'Webhook deliveries refused before reading them (bad or missing signature, outside the replay window), by provider and reason.',
  labelNames: ['provider', 'reason'] as const,
  registers: [shared],
});
const repliesRead = new PromCounter({
  name: 'clickrate_replies_read_total',
  help: 'Replies read from a mailbox or a provider and recorded as reply events, by source.',
  labelNames: ['source'] as const,
  registers: [shared],
});

/** Counts one refused webhook delivery. `reason` is a short fixed word (unauthorized, malformed), never input. */
export function countWebhookRefused(provider: string, reason: string): void {
  webhookRefused.inc({ provider, reason });
}

/** Counts replies recorded from one source (`imap`, or a provider's name). */
export function countRepliesRead(source: string, count = 1): void {
  repliesRead.inc({ source }, count);
}

/** Shows a total kept elsewhere (at scrape time; a counter's value restarts with the process, as theirs do). */
function follow(counter: Counter<string>, total: number): void {
  counter.reset();
  counter.inc(total);
}

type Figure<T> = readonly [name: string, help: string, read: (s: MetricSources) => T];

/** Counters whose totals the server keeps (status()), shown as they are at scrape time. */
const TOTALS: ReadonlyArray<Figure<number>> = [
  ['clickrate_edge_clicks_total', 'Clicks answered with a redirect and queued for the spool.', (s) => s.edge.clicks],
  ['clickrate_edge_opens_total', 'Opens answered with the pixel and queued for the spool.', (s) => s.edge.opens],
  ['clickrate_edge_bad_tokens_total', 'Tracking requests whose token was forged, truncated or unusable (never redirected).', (s) => s.edge.badTokens],
  ['clickrate_edge_dropped_total', 'Clicks and opens answered but not recorded (spool full or a disk error).', (s) => s.edge.dropped],
  ['clickrate_edge_failed_total', 'Tracking requests answered 500.', (s) => s.edge.failed],
  ['clickrate_events_stored_total', 'Events the writer stored from the spool (new ones; replays count as duplicates).', (s) => s.writer.inserted],
  ['clickrate_events_duplicate_total', 'Spool records the store already held (replays after a crash).', (s) => s.writer.duplicates],
  ['clickrate_events_dead_lettered_total', 'Spool records set aside in the dead letters (refused by the store, or unreadable).', (s) => s.spool.deadLettered],
  ['clickrate_spool_appended_total', 'Records appended to the spool.', (s) => s.spool.recordsAppended],
  ['clickrate_spool_dropped_total', 'Records the spool refused (full, or a disk error).', (s) => s.spool.recordsDropped],
  ['clickrate_spool_fsync_errors_total', 'Spool fsync calls that failed.', (s) => s.spool.fsyncErrors],
  ['clickrate_writer_failures_total', 'Store writes of spool batches that failed (retried).', (s) => s.writer.failures],
  ['clickrate_classifier_passes_total', 'Classification passes finished.', (s) => s.classifier.passes],
  ['clickrate_classifier_failures_total', 'Classification passes that failed (retried on the next pass).', (s) => s.classifier.failures],
  ['clickrate_request_failures_total', 'API and dashboard requests answered 500.', (s) => s.faults.requests],
  ['clickrate_uncaught_errors_total', 'Errors that escaped every request boundary.', (s) => s.faults.uncaughtExceptions + s.faults.unhandledRejections],
];

/** Levels read at scrape time; null: nothing to show yet (no pass has run). */
const GAUGES: ReadonlyArray<Figure<number | null>> = [
  ['clickrate_spool_pending_bytes', 'Bytes in the spool not yet stored.', (s) => s.spool.bytesPending],
  ['clickrate_spool_max_bytes', 'Spool size past which new events are refused.', (s) => s.spool.maxBytes],
  ['clickrate_spool_segments', 'Spool segment files on disk.', (s) => s.spool.segments],
  [
    'clickrate_writer_lag_seconds',
    'How far the store is behind the spool: at most the age of the oldest record not stored (0: drained).',
    (s) => s.writer.lagMs / 1000,
  ],
  ['clickrate_writer_consecutive_failures', 'Store writes failed in a row (0: the last one worked).', (s) => s.writer.consecutiveFailures],
  [
    'clickrate_classifier_last_pass_duration_seconds',
    'How long the last classification pass took.',
    (s) => (s.classifier.lastPassMs === null ? null : s.classifier.lastPassMs / 1000),
  ],
  ['clickrate_classifier_last_pass_events', 'Events the last classification pass covered.', (s) => s.classifier.lastEvents],
];

export class ServerMetrics {
  readonly registry = new Registry();
  /** The hot path writes here without allocating; drained into the histogram at scrape time. */
  readonly redirects: RedirectTimings;
  private readonly requests: Counter<'route' | 'method' | 'status'>;

  constructor(sources: () => MetricSources) {
    const r = [this.registry];
    this.requests = new PromCounter({
      name: 'clickrate_http_requests_total',
      help: 'Requests answered outside the tracking hot path, by route template, method and status (/c and /o: see clickrate_redirect_duration_seconds and clickrate_edge_*).',
      labelNames: ['route', 'method', 'status'] as const,
      registers: r,
    });
    const timings = new RedirectTimings((route, seconds) => latency.observe({ route }, seconds));
    this.redirects = timings;
    const latency: Histogram<'route'> = new Histogram({
      name: 'clickrate_redirect_duration_seconds',
      help: 'Time from a /c or /o request reaching the handler to its answer being written (the spool write included), by route.',
      labelNames: ['route'] as const,
      // A redirect is answered in well under a millisecond when idle (BENCHMARKS.md); the tail matters.
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: r,
      collect: () => timings.drain(),
    });
    for (const [name, help, read] of TOTALS) {
      const c: Counter<string> = new PromCounter({ name, help, registers: r, collect: () => follow(c, read(sources())) });
    }
    for (const [name, help, read] of GAUGES) {
      const g: Gauge<string> = new Gauge({
        name,
        help,
        registers: r,
        collect: () => {
          const v = read(sources());
          if (v !== null) g.set(v);
        },
      });
    }
  }

  /** Counts one answered request on a slow route (called once the response has finished). */
  countRequest(route: string, method: string, status: number): void {
    this.requests.inc({ route, method, status: String(status) });
  }

  /** The exposition text: this server's metrics and the process-wide ones. */
  async text(): Promise<string> {
    return (await Registry.merge([shared, this.registry]).metrics()) as string;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
