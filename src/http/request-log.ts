// Structured logs: the server's pino logger (JSON lines, level from CLICKRATE_LOG_LEVEL, secrets
// redacted) and one line per request on the slow routes (API, dashboard, probes, metrics) with a request
// id, route template, status and duration. TRICKY: the tracking hot path (/c, /o) logs nothing per
// request at any level: a line per click would cost more than the redirect itself, fill disks at
// campaign send time, and copy every clicker's address into the logs; the spool is the record of each
// click, and /metrics counts them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { type DestinationStream, type Logger, pino } from 'pino';
import { ClickrateError } from '../errors.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Whatever a log call is handed, these never reach the output: API keys travel in Authorization, the
 * dashboard session in Cookie (pino's redact: https://getpino.io/#/docs/redaction).
 */
const REDACT = [
  'authorization',
  'cookie',
  'key',
  'apiKey',
  'secret',
  'password',
  '*.authorization',
  '*.cookie',
  '*["set-cookie"]',
  '*.key',
  '*.apiKey',
  '*.secret',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** The server's logger: JSON lines at `level` (CLICKRATE_LOG_LEVEL, default info), on stdout unless `to` is given. */
export function createLogger(level: string | undefined, to?: DestinationStream): Logger {
  const chosen = level === undefined || level === '' ? 'info' : level.toLowerCase();
  if (!LEVELS.includes(chosen)) throw new ClickrateError('CR_ERR_CONFIG', `CLICKRATE_LOG_LEVEL must be one of ${LEVELS.join(', ')}; got '${level}'`);
  const opts = { level: chosen, redact: { paths: REDACT, censor: '[redacted]' } };
  return to === undefined ? pino(opts) : pino(opts, to);
}

/**
 * An address cut to its network: /24 for IPv4, /48 for IPv6 (the same cut as stored addresses after
 * their retention period). Enough to tell networks apart in a log, not people.
 */
export function truncateIp(addr: string | null | undefined): string | null {
  if (!addr) return null;
  const v4 = addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
  if (isIP(v4) === 4) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIP(addr) !== 6) return null;
  const [head = '', tail = ''] = addr.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = addr.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 3)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/48`;
}

/** A client's X-Request-Id is echoed when it is a sane token (a proxy's or a caller's trace id), else one is made. */
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/** Probes and scrapes come every few seconds: their successes are logged at debug, not info. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

export interface FinishedRequest {
  id: string;
  method: string;
  /** The route template (/api/v1/campaigns/{campaign}/report), never the raw path: no ids in labels. */
  route: string;
  /** The answer's status; 499 when the client went away before the answer was complete (nginx's code). */
  status: number;
  ms: number;
}

/**
 * Tags a slow-route request with its id (X-Request-Id on the answer), and once it is over, answered or
 * abandoned, logs one line for it and calls `done`.
 */
export function trackRequest(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  /** The client's address (X-Forwarded-For from a trusted proxy), logged cut to its network. */
  client: string | null,
  log: Logger,
  done: (r: FinishedRequest) => void,
): void {
  const started = performance.now();
  const id = requestId(req);
  res.setHeader('x-request-id', id);
  const method = req.method ?? 'GET';
  res.once('close', () => {
    const finished = { id, method, route, status: res.writableFinished ? res.statusCode : 499, ms: Math.round((performance.now() - started) * 10) / 10 };
    const line = { reqId: id, method, route, status: finished.status, ms: finished.ms, client: truncateIp(client) };
    if (finished.status >= 500) log.warn(line, 'request answered');
    else if (QUIET.has(route) && finished.status < 400) log.debug(line, 'request answered');
    else log.info(line, 'request answered');
    done(finished);
  });
}
