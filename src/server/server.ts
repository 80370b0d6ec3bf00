// One process serves the tracking edge (/c, /o), the HTTP API (/api/v1) and the dashboard (SPEC.md
// `serve`). It owns the spool and the writer's schedule; the store's work (storing batches, classifying)
// runs where `storeWork` says: in the store worker under `serve`, in this thread by default.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { parseBenchmarks, type Benchmarks } from '../dashboard/benchmarks.js';
import { parseCurrency } from '../dashboard/currency.js';
import { postTemplate } from '../dashboard/template-api.js';
import {
  getCalc,
  getCampaignPage,
  getClickMap,
  getDiagnosis,
  getOverview,
  getTemplates,
  getSettings,
  putSettings,
  getTimeseries,
  streamEvents,
  type DashboardApiDeps,
} from '../dashboard/dashboard-api.js';
import { DEFAULT_WEB_ROOT, routeDashboard, type DashboardPageDeps } from '../dashboard/dashboard-pages.js';
import { ClickrateError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import { Spool } from '../tracking/spool.js';
import { SpoolWriter } from '../tracking/spool-writer.js';
import type { RangeIngest } from '../tracking/spool-ingest.js';
import { ClassifyLoop, type Classifier } from './worker/classify-loop.js';
import { EdgePacer } from '../http/edge-pacer.js';
import { normalizeBaseUrl } from '../tracking/wrap-message.js';
import { ApiKeyAuth } from '../http/api-keys.js';
import { getCampaigns, getReport, postEvents, postWrap, type ApiDeps } from '../http/api-routes.js';
import { parseTrustedProxies } from '../http/client-ip.js';
import { sendError, sendJson } from '../http/reply.js';
import { isSameOrigin, SessionCookies } from '../http/session.js';
import { TemplateSaver } from '../http/template-saver.js';
import { TrackingEdge } from '../http/track-routes.js';
import { EXPLAIN_PATH, getExplain } from '../http/explain-route.js';
import type { LocalCredential } from '../http/local-credential.js';
import { LocalStoreRoute } from './local-store-route.js';
import { routeWebhook } from '../http/webhook-routes.js';
import { routeInbound } from '../http/inbound-routes.js';
import { postSubject } from '../http/subject-route.js';
import { sendgridInboundAuth, webhookSetups, type WebhookSetups } from '../webhooks/webhook-config.js';
import { getHealthz, getMetrics, getOpenApi, getReadyz, metricsAllowed, parseMetricsAllow } from '../http/ops-routes.js';
import { ServerMetrics } from '../http/prom-metrics.js';
import { DEFAULT_READY_MAX_LAG_MS, ReadinessProbe } from '../http/readiness.js';
import { trackRequest } from '../http/request-log.js';
import { describeRoute, routeTemplate } from '../http/route-docs.js';
import { z } from 'zod';
import type { TrustedProxies } from '../http/client-ip.js';
import { isRecipientRoute, routeRecipients } from '../http/recipient-routes.js';

export interface ServerOptions {
  store: Store;
  keyring: Keyring;
  /** Public origin tracked links point at (SPEC.md: --base-url, CLICKRATE_BASE_URL). */
  baseUrl: string;
  spoolDir: string;
  /** Comma-separated addresses/CIDRs whose X-Forwarded-For is believed. */
  trustedProxies?: string;
  /** At most this many unconsumed bytes in the spool before new events are refused (default 1 GiB). */
  spoolMaxBytes?: number;
  logger?: Logger;
  /** The key of CLICKRATE_API_KEY, accepted beside the stored ones. */
  envApiKey?: string;
  /** The built dashboard (default dist/web). */
  webRoot?: string;
  /** Benchmark ranges for the dashboard (default: CLICKRATE_BENCHMARKS over the built-in ranges). */
  benchmarks?: Benchmarks;
  /** Who stores the spool's batches and classifies (serve: the store worker); default this thread. */
  storeWork?: StoreWork;
  /** Commands on this machine reach the store with this credential (cli/store-access.ts); absent: not lent. */
  local?: LocalCredential;
  /** Provider webhooks taken at /webhooks/<provider> (default: those configured in the environment). */
  webhooks?: WebhookSetups;
  /** The SendGrid inbound credential (`user:password`); undefined: read from the environment at start; null: none. */
  sendgridInboundAuth?: string | null;
  /** Comma-separated addresses/CIDRs allowed to read /metrics without a key (--metrics-allow). */
  metricsAllow?: string;
  /** /readyz fails past this writer lag (default 60 s). */
  readyMaxLagMs?: number;
}

/** The store-side work of a server: storing spool batches and the classification passes. */
interface StoreWork {
  /** Default (SpoolWriter's own): this thread reads each batch and stores it into `store`. */
  ingest?: RangeIngest;
  classifier: Classifier;
}
/** Counts of what went wrong inside the server, beside the edge's own `failed` count. */
export interface ServerFaults {
  /** API and dashboard requests answered 500. */
  requests: number;
  uncaughtExceptions: number;
  unhandledRejections: number;
  last: { origin: string; at: string; message: string } | null;
}

/** A percent-encoded path segment, decoded; bad encoding (`%`, `%E0%A4%A`) is the client's error, named. */
function decodePathSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `the ${what} in the path is not valid percent-encoded UTF-8: ${JSON.stringify(segment.slice(0, 200))}`);
  }
}

describeRoute({
  method: 'get',
  path: '/api/v1/status',
  tag: 'operations',
  summary: 'The server’s internal counters: edge, spool, writer, classifier, pacing and faults',
  description: 'The same figures /metrics exposes, as JSON; docs/operating.md says what each means.',
  auth: 'key',
  responses: {
    200: {
      description: 'The counters.',
      schema: z.strictObject({
        edge: z.strictObject({ clicks: z.number(), opens: z.number(), badTokens: z.number(), dropped: z.number(), failed: z.number() }),
        spool: z.looseObject({ bytesPending: z.number(), maxBytes: z.number(), recordsAppended: z.number(), deadLettered: z.number() }),
        writer: z.looseObject({ recordsWritten: z.number(), inserted: z.number(), lagMs: z.number(), lastError: z.string().nullable() }),
        classifier: z.looseObject({ passes: z.number(), failures: z.number(), lastPassMs: z.number().nullable() }),
        pacer: z.looseObject({}),
        faults: z.strictObject({
          requests: z.number(),
          uncaughtExceptions: z.number(),
          unhandledRejections: z.number(),
          last: z.strictObject({ origin: z.string(), at: z.string(), message: z.string() }).nullable(),
        }),
      }),
    },
  },
});

const CAMPAIGN_PATH = /^\/api\/v1\/campaigns\/([^/]+)\/(report|page|timeseries|diagnosis|templates|click-map|settings|events\.jsonl)$/;

export class ClickrateServer {
  readonly http: Server;
  readonly edge: TrackingEdge;
  readonly spool: Spool;
  readonly writer: SpoolWriter;
  private readonly auth: ApiKeyAuth;
  private readonly api: ApiDeps;
  private readonly dash: DashboardApiDeps;
  private readonly pages: DashboardPageDeps;
  private readonly webhooks: WebhookSetups;
  private readonly sendgridInbound: string | undefined;
  private readonly sessions: SessionCookies;
  private readonly log: Logger;
  private readonly classifier: Classifier;
  private readonly pacer: EdgePacer;
  readonly metrics: ServerMetrics;
  private readonly readiness: ReadinessProbe;
  private readonly metricsAllow: TrustedProxies;
  private readonly local: LocalStoreRoute | null;
  /** Failures no request boundary could turn into a client error (status: `faults`). */
  private readonly faults: ServerFaults = { requests: 0, uncaughtExceptions: 0, unhandledRejections: 0, last: null };

  constructor(opts: ServerOptions) {
    this.log = opts.logger ?? pino({ level: 'silent' });
    const work: StoreWork = opts.storeWork ?? {
      classifier: new ClassifyLoop(opts.store, { onError: (err) => this.log.warn({ err: err.message }, 'classification pass failed; retried next pass') }),
    };
    this.classifier = work.classifier;
    this.spool = Spool.open({ dir: opts.spoolDir, maxBytes: opts.spoolMaxBytes });
    this.writer = new SpoolWriter(this.spool, opts.store, {
      ingest: work.ingest,
      onError: (err, retryInMs) => this.log.warn({ err: err.message, retryInMs }, 'store unavailable; events stay in the spool'),
    });
    this.pacer = new EdgePacer((busy) => {
      this.writer.setBusy(busy);
      this.classifier.setBusy(busy);
    });
    this.metrics = new ServerMetrics(() => this.status());
    this.metricsAllow = parseMetricsAllow(opts.metricsAllow);
    this.readiness = new ReadinessProbe({
      store: opts.store,
      spoolDir: opts.spoolDir,
      spool: () => this.spool.stats(),
      writer: () => this.writer.stats(),
      maxLagMs: opts.readyMaxLagMs ?? DEFAULT_READY_MAX_LAG_MS,
    });
    this.edge = new TrackingEdge({
      timings: this.metrics.redirects,
      keyring: opts.keyring,
      spool: this.spool,
      proxies: parseTrustedProxies(opts.trustedProxies),
      onDrop: (err) => this.log.error({ err: (err as Error).message }, 'event answered but not recorded'),
      onFail: (err) => this.log.error({ err }, 'tracking request failed; answered 500'),
    });
    this.auth = new ApiKeyAuth(opts.store, opts.envApiKey, parseTrustedProxies(opts.trustedProxies));
    const baseUrl = normalizeBaseUrl(opts.baseUrl);
    this.api = { store: opts.store, spool: this.spool, keyring: opts.keyring, baseUrl, templates: new TemplateSaver(opts.store, this.log) };
    this.sessions = new SessionCookies(opts.keyring, baseUrl.startsWith('https:'));
    this.dash = {
      store: opts.store,
      benchmarks: opts.benchmarks ?? parseBenchmarks(process.env.CLICKRATE_BENCHMARKS),
      currency: parseCurrency(process.env.CLICKRATE_CURRENCY),
    };
    this.pages = { auth: this.auth, sessions: this.sessions, webRoot: opts.webRoot ?? DEFAULT_WEB_ROOT, log: this.log };
    this.local = opts.local
      ? new LocalStoreRoute(opts.store, opts.local, {
          keysChanged: () => this.auth.forgetKeys(),
          pausePasses: () => this.classifier.stop(),
          resumePasses: () => this.classifier.start(),
        })
      : null;
    this.webhooks = opts.webhooks ?? webhookSetups(process.env);
    this.sendgridInbound = opts.sendgridInboundAuth === undefined ? sendgridInboundAuth(process.env) : (opts.sendgridInboundAuth ?? undefined);
    this.http = createServer((req, res) => this.route(req, res));
    // Slow-client limits: a client that trickles headers or bodies cannot hold sockets for long.
    this.http.headersTimeout = 10_000;
    this.http.requestTimeout = 30_000;
    this.http.keepAliveTimeout = 5_000;
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    // The hot path first, synchronously, with no URL object and no promise.
    if (path.startsWith('/c/') || path.startsWith('/o/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void this.methodNotAllowed(res, 'GET, HEAD');
      const token = path.slice(3);
      try {
        if (path[1] === 'c') this.edge.click(req, res, token);
        else this.edge.open(req, res, token);
      } catch (err) {
        this.edge.fail(err, res);
      }
      return;
    }
    trackRequest(req, res, routeTemplate(path), this.auth.clientAddress(req), this.log, (r) => this.metrics.countRequest(r.route, r.method, r.status));
    this.routeSlow(req, res, path, q === -1 ? '' : url.slice(q + 1)).catch((err) => this.answerError(res, err, path));
  }

  /** The slow routes' error boundary: a typed error is the client's (4xx, 503); anything else a counted 500. */
  private answerError(res: ServerResponse, err: unknown, path: string): void {
    try {
      sendError(res, err, (e) => {
        this.faults.requests++;
        this.log.error({ err: e, path }, 'request failed');
      });
    } catch (e) {
      // Answering failed too (a socket gone mid-write): the request is abandoned, the process goes on.
      this.faults.requests++;
      this.log.error({ err: e, path }, 'request failed and could not be answered');
      res.destroy();
    }
  }

  /**
   * The last resort for an error that escaped every request's boundary (serve installs it on the
   * process): counted and shown in /api/v1/status, so a supervisor or a person sees it happened.
   */
  noteUncaught(err: unknown, origin: 'uncaughtException' | 'unhandledRejection'): void {
    if (origin === 'uncaughtException') this.faults.uncaughtExceptions++;
    else this.faults.unhandledRejections++;
    this.faults.last = { origin, at: new Date().toISOString(), message: err instanceof Error ? err.message : String(err) };
  }

  private async routeSlow(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> {
    if (
      path.startsWith('/webhooks/') &&
      (await routeWebhook(req, res, path, { spool: this.spool, store: this.api.store, keyring: this.api.keyring, setups: this.webhooks, log: this.log }))
    )
      return;
    if (
      path.startsWith('/webhooks/') &&
      (await routeInbound(req, res, path, { ...this.api, setups: this.webhooks, sendgridAuth: this.sendgridInbound, log: this.log }))
    )
      return;
    const m = req.method ?? 'GET';
    if (path === '/healthz' || path === '/readyz' || path === '/metrics' || path === '/api/v1/openapi.json') {
      if (m !== 'GET' && m !== 'HEAD') return this.methodNotAllowed(res, 'GET, HEAD');
      if (path === '/healthz') return getHealthz(res);
      if (path === '/readyz') return getReadyz(res, this.readiness);
      if (path === '/api/v1/openapi.json') return getOpenApi(res);
      if (!metricsAllowed(req, this.metricsAllow)) await this.authenticate(req, m);
      return getMetrics(res, this.metrics);
    }
    if (!path.startsWith('/api/')) {
      if (await routeDashboard(req, res, path, new URLSearchParams(query), this.pages)) return;
      throw new ClickrateError('CR_ERR_NOT_FOUND', `no page at ${path}`);
    }
    if (this.local && path.startsWith('/api/v1/local/')) return this.local.route(req, res, path);
    await this.authenticate(req, m);
    const q = new URLSearchParams(query);
    if (path === '/api/v1/wrap') return m === 'POST' ? postWrap(req, res, this.api) : this.methodNotAllowed(res, 'POST');
    if (path === '/api/v1/events') return m === 'POST' ? postEvents(req, res, this.api) : this.methodNotAllowed(res, 'POST');
    if (path === '/api/v1/subjects') return m === 'POST' ? postSubject(req, res, this.api) : this.methodNotAllowed(res, 'POST');
    const explain = EXPLAIN_PATH.exec(path);
    if (explain) return m === 'GET' ? getExplain(res, this.api.store, decodePathSegment(explain[1]!, 'message')) : this.methodNotAllowed(res, 'GET');
    if (path === '/api/v1/templates') return m === 'POST' ? postTemplate(req, res, this.dash.store) : this.methodNotAllowed(res, 'POST');
    if (isRecipientRoute(path)) return routeRecipients(req, res, this.api.store, path);
    const sub = CAMPAIGN_PATH.exec(path);
    const known = sub !== null || ['/api/v1/campaigns', '/api/v1/status', '/api/v1/dashboard/overview', '/api/v1/calc'].includes(path);
    if (!known) throw new ClickrateError('CR_ERR_NOT_FOUND', `no API route ${m} ${path}`);
    if (sub?.[2] === 'settings' && m === 'PUT') return putSettings(req, res, this.dash, decodePathSegment(sub[1]!, 'campaign'));
    if (m !== 'GET') return this.methodNotAllowed(res, sub?.[2] === 'settings' ? 'GET, PUT' : 'GET');
    if (path === '/api/v1/campaigns') return getCampaigns(res, this.api);
    if (path === '/api/v1/status') return sendJson(res, 200, this.status());
    if (path === '/api/v1/dashboard/overview') return getOverview(res, this.dash, q);
    if (path === '/api/v1/calc') return getCalc(res, q);
    if (sub) {
      const campaign = decodePathSegment(sub[1]!, 'campaign');
      switch (sub[2]) {
        case 'report':
          return getReport(res, this.api, campaign, q);
        case 'page':
          return getCampaignPage(res, this.dash, campaign, q);
        case 'timeseries':
          return getTimeseries(res, this.dash, campaign, q);
        case 'diagnosis':
          return getDiagnosis(res, this.dash, campaign, q);
        case 'templates':
          return getTemplates(res, this.dash, campaign);
        case 'click-map':
          return getClickMap(res, this.dash, campaign, q);
        case 'settings':
          return getSettings(res, this.dash, campaign);
        default:
          return streamEvents(res, this.dash, campaign);
      }
    }
  }

  /**
   * A Bearer key, or the dashboard's session cookie (not logged out, its key not revoked). TRICKY: the
   * cookie is ambient (the browser sends it on any request to this host), so a state change under it
   * must come from this origin (CSRF). A wrong or throttled Bearer key is a security event: logged at
   * warn with the client's address and the reason.
   */
  private async authenticate(req: IncomingMessage, method: string): Promise<void> {
    // The command line on this machine (its credential file is readable by the database's owner only).
    if (this.local?.credential.matches(req)) return;
    if (req.headers.authorization === undefined) {
      if (await this.auth.session(req, this.sessions)) {
        if (method !== 'GET' && method !== 'HEAD' && !isSameOrigin(req)) {
          throw new ClickrateError('CR_ERR_UNAUTHORIZED', 'a cross-site request with the dashboard session was refused; send an API key instead');
        }
        return;
      }
    }
    try {
      await this.auth.check(req);
    } catch (err) {
      const refused = err instanceof ClickrateError && (err.code === 'CR_ERR_UNAUTHORIZED' || err.code === 'CR_ERR_RATE_LIMITED');
      if (refused && req.headers.authorization !== undefined) this.log.warn({ client: this.auth.clientAddress(req), reason: err.message }, 'API key refused');
      throw err;
    }
  }

  status() {
    return {
      edge: this.edge.counters,
      spool: this.spool.stats(),
      writer: this.writer.stats(),
      classifier: this.classifier.stats(),
      pacer: this.pacer.stats(),
      faults: this.faults,
    };
  }

  private methodNotAllowed(res: ServerResponse, allow: string): void {
    res.setHeader('allow', allow);
    sendJson(res, 405, { error: { code: 'CR_ERR_BAD_INPUT', message: `method not allowed; use ${allow}` } });
  }

  /** Gives verdicts to what the writer and the API stored since the last pass (one pass at a time). */
  classifyNow(): Promise<void> {
    return this.classifier.runNow();
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.writer.start();
    this.classifier.start();
    this.pacer.start();
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => resolve());
    });
    return (this.http.address() as AddressInfo).port;
  }

  /** Stops taking requests, drains what the store will take, and closes the spool. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeIdleConnections();
    });
    this.pacer.stop();
    await this.local?.close();
    await this.writer.stop();
    await this.classifier.stop();
    await this.spool.close();
  }
}
