// The operator's routes: GET /healthz (alive), GET /readyz (can take traffic), GET /metrics (Prometheus
// text, with the API key or from a --metrics-allow address) and GET /api/v1/openapi.json. None of them
// is on the tracking hot path; /healthz touches nothing but the event loop.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { z } from 'zod';
import { inPackage } from '../package-root.js';
import { type TrustedProxies, parseTrustedProxies } from './client-ip.js';
import { openApiDocument } from './openapi.js';
import type { ServerMetrics } from './prom-metrics.js';
import type { ReadinessProbe } from './readiness.js';
import { sendJson } from './reply.js';
import { describeRoute } from './route-docs.js';

const check = z.strictObject({ ok: z.boolean(), error: z.string().optional().describe('What failed, in words.') });
const readiness = z.strictObject({
  ready: z.boolean(),
  checks: z.strictObject({
    store: check.describe('The store answers SELECT 1 within 2 s.'),
    spool: check.describe('The spool folder takes a write and the spool is not full.'),
    writer: check.describe('The writer is less than the lag threshold behind the spool.'),
  }),
});

describeRoute({
  method: 'get',
  path: '/healthz',
  tag: 'operations',
  summary: 'Liveness: the process answers (no store access)',
  auth: 'none',
  responses: { 200: { description: 'Alive.', schema: z.strictObject({ ok: z.literal(true) }) } },
});
describeRoute({
  method: 'get',
  path: '/readyz',
  tag: 'operations',
  summary: 'Readiness: store reachable, spool writable, writer lag under the threshold',
  auth: 'none',
  responses: {
    200: { description: 'Every check passed.', schema: readiness },
    503: { description: 'A check failed; its `error` says what.', schema: readiness },
  },
});
describeRoute({
  method: 'get',
  path: '/metrics',
  tag: 'operations',
  summary: 'Prometheus metrics (text exposition format 0.0.4)',
  description: 'Allowed with the API key, or without one from an address in --metrics-allow (CLICKRATE_METRICS_ALLOW). docs/operating.md lists every metric.',
  auth: 'metrics',
  responses: { 200: { description: 'The metrics.', schema: z.string(), contentType: 'text/plain' } },
});

export function getHealthz(res: ServerResponse): void {
  sendJson(res, 200, { ok: true });
}

export async function getReadyz(res: ServerResponse, probe: ReadinessProbe): Promise<void> {
  const r = await probe.check();
  sendJson(res, r.ready ? 200 : 503, r);
}

/** The addresses /metrics answers without a key (--metrics-allow): the direct peer's, never X-Forwarded-For. */
export function parseMetricsAllow(spec: string | undefined): TrustedProxies {
  return parseTrustedProxies(spec, '--metrics-allow entry');
}

export function metricsAllowed(req: IncomingMessage, allow: TrustedProxies): boolean {
  if (allow === null) return false;
  const raw = req.socket.remoteAddress ?? '';
  const peer = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  const family = isIP(peer);
  return family !== 0 && allow.check(peer, family === 6 ? 'ipv6' : 'ipv4');
}

export async function getMetrics(res: ServerResponse, metrics: ServerMetrics): Promise<void> {
  const text = await metrics.text();
  res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

let described: string | null = null;

/** The document is the same for the process's life: built on first use. */
export function getOpenApi(res: ServerResponse): void {
  described ??= JSON.stringify(openApiDocument(packageVersion()));
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(described), 'cache-control': 'no-cache' });
  res.end(described);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(inPackage(import.meta.url, 'package.json'), 'utf8')) as { version: string }).version;
}
