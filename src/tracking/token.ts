// Signed tracking tokens for click redirects (/c/<token>) and open pixels (/o/<token>).
// Format: <kid>.<body>.<tag> — body is base64url JSON, tag is HMAC-SHA256(key, "<kid>.<body>") cut to 16 bytes.

import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ClickrateError } from '../errors.js';
import type { Keyring } from './keyring.js';

export interface ClickPayload {
  kind: 'click';
  campaign: string;
  message: string;
  /** Destination URL: absolute http(s). */
  url: string;
  /** Position of the link in the message (0-based), so identical URLs can still be told apart. */
  link: number;
}

export interface OpenPayload {
  kind: 'open';
  campaign: string;
  message: string;
}

export type TokenPayload = ClickPayload | OpenPayload;

/**
 * 16 bytes = 128 bits. NIST SP 800-107 §5.3.4 / RFC 2104 §5 allow truncating an HMAC to at least half the
 * hash output; 128 bits keeps forgery at 2^-128 per guess while the URL stays short.
 */
const TAG_BYTES = 16;
/** URLs past ~2,000 characters break in some clients; a token never needs more than this. */
const MAX_TOKEN_LENGTH = 4096;

/** The text length of a TAG_BYTES tag in unpadded base64url. */
const TAG_CHARS = Math.ceil((TAG_BYTES * 4) / 3);

/** Per-secret values made once, keyed by the keyring's own Buffer: a rotated ring (new Buffers) gets new
 * ones, and dropped keys are collected. */
function perKey<V>(make: (secret: Buffer) => V): (secret: Buffer) => V {
  const made = new WeakMap<Buffer, V>();
  return (secret) => {
    let v = made.get(secret);
    if (v === undefined) {
      v = make(secret);
      made.set(secret, v);
    }
    return v;
  };
}

// createHmac with a raw Buffer imports the key on every call; one KeyObject per key instead.
// TRICKY: HMAC stays node:crypto's (OpenSSL). A SHA-256 written here in JavaScript measured ~1–2.5 µs
// less per redirect, but a hand-written hash on the path that stops open redirects is not worth it.
const keyObject = perKey<KeyObject>(createSecretKey);

function badToken(reason: string): ClickrateError {
  // The reason is for logs; callers answer every bad token the same way (never a redirect).
  return new ClickrateError('CR_ERR_BAD_TOKEN', `invalid tracking token: ${reason}`, { reason });
}

function tagFor(key: Buffer, signed: string): string {
  return createHmac('sha256', keyObject(key)).update(signed, 'utf8').digest().subarray(0, TAG_BYTES).toString('base64url');
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s]/i.test(url);
}

function checkPayload(payload: TokenPayload): void {
  const fail = (msg: string): never => {
    throw new ClickrateError('CR_ERR_BAD_INPUT', msg, { kind: payload.kind });
  };
  if (typeof payload.campaign !== 'string' || payload.campaign === '') fail('token campaign must be a non-empty string');
  if (typeof payload.message !== 'string' || payload.message === '') fail('token message must be a non-empty string');
  if (payload.kind === 'click') {
    if (typeof payload.url !== 'string' || !isHttpUrl(payload.url)) fail('click token url must be absolute http(s)');
    if (!Number.isSafeInteger(payload.link) || payload.link < 0) fail('click token link index must be an integer >= 0');
  }
}

/** Signs a payload with the keyring's current key. Throws CR_ERR_BAD_INPUT for an impossible payload. */
export function signToken(payload: TokenPayload, ring: Keyring): string {
  checkPayload(payload);
  const key = ring.keys.get(ring.current);
  if (key === undefined) throw new ClickrateError('CR_ERR_CONFIG', `current key "${ring.current}" is not in the keyring`);
  // Positional array instead of an object: no field names in every URL keeps tokens compact.
  const fields = payload.kind === 'click' ? ['c', payload.campaign, payload.message, payload.url, payload.link] : ['o', payload.campaign, payload.message];
  const body = Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
  const signed = `${ring.current}.${body}`;
  return `${signed}.${tagFor(key, signed)}`;
}

/**
 * Verifies a token and returns its payload; throws ClickrateError('CR_ERR_BAD_TOKEN') for anything forged,
 * truncated, tampered, malformed or signed with a key id the ring does not hold.
 */
export function verifyToken(token: string, ring: Keyring): TokenPayload {
  return verifyTokenJson(token, ring).payload;
}

/** A verified token's payload and its body's JSON text, as signed (one line: JSON.stringify wrote it). */
export interface VerifiedToken {
  payload: TokenPayload;
  json: string;
}

/** verifyToken, also handing back the body's JSON text: the edge writes it into the spool as it is. */
function verifyTokenJson(token: string, ring: Keyring): VerifiedToken {
  if (typeof token !== 'string' || token.length === 0) throw badToken('empty');
  if (token.length > MAX_TOKEN_LENGTH) throw badToken('too long');
  // The hot path of every redirect: indexOf instead of split and regexes.
  const dot1 = token.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
  if (dot1 <= 0 || dot2 <= dot1 + 1 || token.length - dot2 - 1 !== TAG_CHARS || token.indexOf('.', dot2 + 1) !== -1) throw badToken('malformed');
  const kid = token.slice(0, dot1);
  const key = ring.keys.get(kid);
  if (key === undefined) throw badToken('unknown key id');
  const tag = token.slice(dot2 + 1);
  // TRICKY: compare the tag as TEXT, not as decoded bytes. The last base64url character of a 16-byte tag
  // carries 2 unused bits, so decoding would accept 4 spellings of one tag (a "tampered" token verifying).
  // The body needs no alphabet check of its own: the MAC covers its exact text (as UTF-8), so a body that
  // verifies is one we wrote.
  // UTF-8, not latin1: latin1 would keep only the low byte of a character, so 'š' would pass for 'a'.
  const expected = Buffer.from(tagFor(key, token.slice(0, dot2)), 'utf8');
  const given = Buffer.from(tag, 'utf8');
  // Length is not secret (always 22 characters), so the early exit leaks nothing; timingSafeEqual needs equal lengths.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badToken('signature mismatch');
  return decodeBody(token.slice(dot1 + 1, dot2));
}

function decodeBody(body: string): VerifiedToken {
  // A valid signature means we wrote this body, but still parse defensively: a leaked key or a bug in an
  // older build must not turn into an open redirect to a javascript: URL.
  let fields: unknown;
  const json = Buffer.from(body, 'base64url').toString('utf8');
  try {
    fields = JSON.parse(json);
  } catch {
    throw badToken('unreadable body');
  }
  // JSON.stringify never writes a raw line break; one here (a hand-made body) would split a spool line.
  if (json.indexOf('\n') !== -1 || json.indexOf('\r') !== -1) throw badToken('unreadable body');
  if (!Array.isArray(fields)) throw badToken('unreadable body');
  const [kind, campaign, message, url, link] = fields as unknown[];
  if (typeof campaign !== 'string' || campaign === '' || typeof message !== 'string' || message === '') {
    throw badToken('missing campaign or message');
  }
  if (kind === 'o' && fields.length === 3) return { payload: { kind: 'open', campaign, message }, json };
  if (kind === 'c' && fields.length === 5) {
    if (typeof url !== 'string' || !isHttpUrl(url)) throw badToken('destination is not http(s)');
    if (typeof link !== 'number' || !Number.isSafeInteger(link) || link < 0) throw badToken('bad link index');
    return { payload: { kind: 'click', campaign, message, url, link }, json };
  }
  throw badToken('unknown token kind');
}

/** Verifies a token of the given kind, with its body's JSON text (the edge's hot path). */
export function verifyTrackingToken(token: string, ring: Keyring, kind: TokenPayload['kind']): VerifiedToken {
  const v = verifyTokenJson(token, ring);
  if (v.payload.kind !== kind) throw badToken(kind === 'click' ? 'not a click token' : 'not an open token');
  return v;
}

/** Verifies and insists on a click token. */
export function verifyClickToken(token: string, ring: Keyring): ClickPayload {
  return verifyTrackingToken(token, ring, 'click').payload as ClickPayload;
}

/** Verifies and insists on an open token. */
export function verifyOpenToken(token: string, ring: Keyring): OpenPayload {
  return verifyTrackingToken(token, ring, 'open').payload as OpenPayload;
}
