// The tracking edge: GET|HEAD /c/<token> (click → 302) and /o/<token> (open → 1×1 GIF). The database
// is never on this path: the answer is decided from the signed token alone, and the event goes to the
// durable spool (a write() to the page cache) that a writer drains into the store later.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isClickrateError } from '../errors.js';
import { makeEvent } from '../events/make-event.js';
import type { Spool } from '../tracking/spool.js';
import { verifyClickToken, verifyOpenToken } from '../tracking/token.js';
import type { Keyring } from '../tracking/keyring.js';
import { clientIp, type TrustedProxies } from './client-ip.js';

/** The classic 43-byte transparent GIF89a (1×1, one transparent colour). */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

// Every open and click must reach us, so nothing may cache the answer (browsers, proxies, Gmail's
// image proxy honours these too).
const NO_CACHE = 'no-store, no-cache, must-revalidate, private, max-age=0';

const INVALID_LINK_PAGE = Buffer.from(
  '<!doctype html><meta charset="utf-8"><title>Link not valid</title><p>This link is not valid. If you copied it from an email, check that it was copied whole.</p>',
);

export interface EdgeCounters {
  clicks: number;
  opens: number;
  badTokens: number;
  /** Events answered but not recorded because the spool refused them (full or disk error). */
  dropped: number;
}

export interface EdgeDeps {
  keyring: Keyring;
  spool: Spool;
  proxies: TrustedProxies;
  onDrop: (err: unknown) => void;
}

export class TrackingEdge {
  readonly counters: EdgeCounters = { clicks: 0, opens: 0, badTokens: 0, dropped: 0 };

  constructor(private readonly deps: EdgeDeps) {}

  click(req: IncomingMessage, res: ServerResponse, token: string): void {
    let payload;
    try {
      payload = verifyClickToken(token, this.deps.keyring);
    } catch (err) {
      // A forged or truncated token is an expected request, not a crash: count it, never redirect.
      if (!isClickrateError(err)) throw err;
      this.counters.badTokens++;
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'content-length': INVALID_LINK_PAGE.length, 'cache-control': NO_CACHE });
      res.end(req.method === 'HEAD' ? undefined : INVALID_LINK_PAGE);
      return;
    }
    // Recorded before the answer leaves: once the 302 is sent, the click is in the spool and survives
    // kill -9 (spool.ts). The store is written later, off this path.
    this.record(req, { type: 'click', campaign: payload.campaign, message: payload.message, url: payload.url });
    this.counters.clicks++;
    res.writeHead(302, { location: payload.url, 'cache-control': NO_CACHE, 'content-length': 0, 'x-robots-tag': 'noindex, nofollow' });
    res.end();
  }

  open(req: IncomingMessage, res: ServerResponse, token: string): void {
    try {
      const payload = verifyOpenToken(token, this.deps.keyring);
      this.record(req, { type: 'open', campaign: payload.campaign, message: payload.message, url: null });
      this.counters.opens++;
    } catch (err) {
      if (!isClickrateError(err)) throw err;
      // A bad pixel token still gets the image: a broken image in someone's email helps nobody.
      this.counters.badTokens++;
    }
    res.writeHead(200, { 'content-type': 'image/gif', 'content-length': PIXEL_GIF.length, 'cache-control': NO_CACHE, pragma: 'no-cache', expires: '0' });
    res.end(req.method === 'HEAD' ? undefined : PIXEL_GIF);
  }

  private record(req: IncomingMessage, e: { type: 'click' | 'open'; campaign: string; message: string; url: string | null }): void {
    const ua = req.headers['user-agent'];
    const event = makeEvent({
      id: randomUUID(),
      type: e.type,
      ts: Date.now(),
      message: e.message,
      campaign: e.campaign,
      url: e.url,
      ip: clientIp(req, this.deps.proxies),
      user_agent: ua === undefined ? null : ua.slice(0, 2048),
      method: req.method === 'HEAD' ? 'HEAD' : 'GET',
    });
    try {
      this.deps.spool.append(event);
    } catch (err) {
      // TRICKY: the person still gets their redirect; losing the record is bad, breaking the click worse.
      this.counters.dropped++;
      this.deps.onDrop(err);
    }
  }
}
