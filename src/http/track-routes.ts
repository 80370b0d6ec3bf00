// The tracking edge: GET|HEAD /c/<token> (click → 302) and /o/<token> (open → 1×1 GIF). The database
// is never on this path: the answer is decided from the signed token alone, and the event goes to the
// durable spool (one write() per event-loop turn, edge-batch.ts) that a writer drains into the store later.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isClickrateError } from '../errors.js';
import { locationFor } from '../tracking/destination.js';
import type { Spool } from '../tracking/spool.js';
import { verifyTrackingToken, type ClickPayload, type VerifiedToken } from '../tracking/token.js';
import type { Keyring } from '../tracking/keyring.js';
import { clientIp, type TrustedProxies } from './client-ip.js';
import { EdgeBatch } from './edge-batch.js';
import { RedirectTimings } from './redirect-timings.js';

/** The classic 43-byte transparent GIF89a (1×1, one transparent colour). */
const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

// Every open and click must reach us, so nothing may cache the answer (browsers, proxies, Gmail's
// image proxy honours these too).
const NO_CACHE = 'no-store, no-cache, must-revalidate, private, max-age=0';
const PIXEL_LENGTH = String(PIXEL_GIF.length);

const INVALID_LINK_PAGE = Buffer.from(
  '<!doctype html><meta charset="utf-8"><title>Link not valid</title><p>This link is not valid. If you copied it from an email, check that it was copied whole.</p>',
);

export interface EdgeCounters {
  clicks: number;
  opens: number;
  badTokens: number;
  /** Events answered but not recorded because the spool refused them (full or disk error). */
  dropped: number;
  /** Requests whose handling threw: each got a 500 (or its socket was reset) and the rest were answered. */
  failed: number;
}

export interface EdgeDeps {
  keyring: Keyring;
  spool: Spool;
  proxies: TrustedProxies;
  onDrop: (err: unknown) => void;
  /** Told of each request that failed (after it was answered with a 500): log it with its stack. */
  onFail: (err: unknown) => void;
  /** Where answered clicks' and opens' durations go (the metrics' redirect latency); absent: not timed. */
  timings?: RedirectTimings;
}

// Flat header arrays: Node takes them as they are, without walking an object's keys per answer.
// `location` is ASCII (destination.ts locationFor); Node would throw ERR_INVALID_CHAR on anything else.
function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(302, ['location', location, 'cache-control', NO_CACHE, 'content-length', '0', 'x-robots-tag', 'noindex, nofollow']);
  res.end();
}

function sendInvalidLink(res: ServerResponse, method: string | undefined): void {
  res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'content-length': INVALID_LINK_PAGE.length, 'cache-control': NO_CACHE });
  res.end(method === 'HEAD' ? undefined : INVALID_LINK_PAGE);
}

/** The answer to a request whose handling threw: a 500 when nothing was sent yet, else the socket is reset. */
function sendFailure(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': NO_CACHE });
  res.end('internal error');
}

const PIXEL_HEADERS = ['content-type', 'image/gif', 'content-length', PIXEL_LENGTH, 'cache-control', NO_CACHE, 'pragma', 'no-cache', 'expires', '0'];

/** `method` is the request's: a HEAD gets the headers only. */
function sendPixel(res: ServerResponse, method: string): void {
  res.writeHead(200, PIXEL_HEADERS);
  res.end(method === 'HEAD' ? undefined : PIXEL_GIF);
}

const json = JSON.stringify;

/**
 * The User-Agent of a request, read from its raw header list: touching `req.headers` makes Node build
 * an object of every header (lower-cased names) per click, which a browser's 10–15 headers make costly.
 * Node discards repeated User-Agent headers and keeps the first (`IncomingMessage` docs), as this does.
 */
export function userAgentOf(rawHeaders: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    // Length first: most names are not 10 characters, so few are lower-cased.
    if (name.length === 10 && name.toLowerCase() === 'user-agent') return rawHeaders[i + 1];
  }
  return undefined;
}

/**
 * One click or open as a spool line, written directly: the signed token's body (its JSON text, one line
 * as JSON.stringify wrote it) goes in as it is, and spool-read.ts expands it into the same record as
 * makeEvent gives (track-routes.test.ts checks it). The rest of the text goes through JSON.stringify, so
 * quotes, backslashes and newlines are escaped and a record stays one line.
 */
export function edgeRecordLine(
  id: string,
  type: 'click' | 'open',
  ts: number,
  tokenJson: string,
  ip: string | null,
  userAgent: string | null,
  method: 'GET' | 'HEAD',
): string {
  return `{"id":${json(id)},"type":"${type}","ts":${ts},"token":${tokenJson},"ip":${ip === null ? 'null' : json(ip)},"user_agent":${userAgent === null ? 'null' : json(userAgent)},"method":"${method}"}\n`;
}

export class TrackingEdge {
  readonly counters: EdgeCounters = { clicks: 0, opens: 0, badTokens: 0, dropped: 0, failed: 0 };
  private readonly batch: EdgeBatch;

  constructor(private readonly deps: EdgeDeps) {
    this.batch = new EdgeBatch(
      deps.spool,
      (err, records) => {
        this.counters.dropped += records;
        deps.onDrop(err);
      },
      (err, res) => this.fail(err, res),
      deps.timings,
    );
  }

  /** Answers a request whose handling threw, counts it and reports it; never throws itself. */
  fail(err: unknown, res: ServerResponse): void {
    this.counters.failed++;
    try {
      sendFailure(res);
    } catch {
      res.destroy();
    }
    this.deps.onFail(err);
  }

  click(req: IncomingMessage, res: ServerResponse, token: string): void {
    const startedAt = RedirectTimings.now();
    let v: VerifiedToken;
    try {
      v = verifyTrackingToken(token, this.deps.keyring, 'click');
    } catch (err) {
      // A forged or truncated token is an expected request, not a crash: count it, never redirect.
      if (!isClickrateError(err)) throw err;
      this.counters.badTokens++;
      sendInvalidLink(res, req.method);
      return;
    }
    // A token signed by an older build may hold a destination that is no valid header; it is never sent raw.
    const location = locationFor((v.payload as ClickPayload).url);
    if (location === null) {
      this.counters.badTokens++;
      sendInvalidLink(res, req.method);
      return;
    }
    // Recorded before the answer leaves: the 302 is sent after the write that holds the click, so an
    // answered click is in the spool and survives kill -9 (spool.ts). The store is written later.
    this.counters.clicks++;
    this.batch.add(this.line(req, 'click', v.json, req.method === 'HEAD' ? 'HEAD' : 'GET'), res, sendRedirect, location, 0, startedAt);
  }

  open(req: IncomingMessage, res: ServerResponse, token: string): void {
    const startedAt = RedirectTimings.now();
    const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
    let v: VerifiedToken;
    try {
      v = verifyTrackingToken(token, this.deps.keyring, 'open');
    } catch (err) {
      if (!isClickrateError(err)) throw err;
      // A bad pixel token still gets the image: a broken image in someone's email helps nobody.
      this.counters.badTokens++;
      sendPixel(res, method);
      return;
    }
    this.counters.opens++;
    this.batch.add(this.line(req, 'open', v.json, method), res, sendPixel, method, 1, startedAt);
  }

  private line(req: IncomingMessage, type: 'click' | 'open', tokenJson: string, method: 'GET' | 'HEAD'): string {
    const ua = userAgentOf(req.rawHeaders);
    return edgeRecordLine(
      randomUUID(),
      type,
      Date.now(),
      tokenJson,
      clientIp(req, this.deps.proxies),
      ua === undefined ? null : ua.length > 2048 ? ua.slice(0, 2048) : ua,
      method,
    );
  }
}
