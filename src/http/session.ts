// Dashboard sessions (SPEC.md: `/login` asks for an API key, then an HttpOnly session cookie): a signed
// cookie naming the hash of the key that logged in and a random session id, which logout revokes in the
// store (OWASP Session Management Cheat Sheet: invalidate the session on the server at logout); and the
// same-origin check against CSRF.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Keyring } from '../tracking/keyring.js';

const SESSION_COOKIE = 'cr_session';
/** A session lasts a working day; then the key is asked for again. */
export const SESSION_TTL_MS = 12 * 3600_000;

export interface Session {
  /** SHA-256 (hex) of the API key that logged in: re-checked on every request, so revoking it ends the session. */
  keyHash: string;
  expires: number;
  /** 128 random bits naming this login: logout revokes it (Store.revokeSession) on every edge. */
  id: string;
}

/**
 * Signs and verifies session cookies. The secret is derived from the signing keyring, so every edge that
 * shares a keyring accepts the same sessions and a restart logs nobody out.
 */
export class SessionCookies {
  private readonly secret: Buffer;

  constructor(
    keyring: Keyring,
    /** Add `Secure` to the cookie (the dashboard is reached over HTTPS). */
    private readonly secure: boolean,
  ) {
    const key = keyring.keys.get(keyring.current) ?? Buffer.alloc(32);
    // v2: the cookie carries a session id; a v1 cookie (none) can never be revoked, so it is no session.
    this.secret = createHmac('sha256', key).update('clickrate dashboard session v2').digest();
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  /** The Set-Cookie value for a new session. */
  issue(keyHash: string, now = Date.now()): string {
    const body = `${keyHash}.${now + SESSION_TTL_MS}.${randomBytes(16).toString('base64url')}`;
    const value = `${body}.${this.sign(body)}`;
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${this.secure ? '; Secure' : ''}`;
  }

  /** The Set-Cookie value that ends a session in the browser. */
  clear(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${this.secure ? '; Secure' : ''}`;
  }

  /**
   * The request's session when its cookie is present, correctly signed and not expired; else null.
   * Whether it was logged out, or its key revoked, is the store's to say (ApiKeyAuth.session).
   */
  read(req: IncomingMessage, now = Date.now()): Session | null {
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!value) return null;
    const m = /^([0-9a-f]{64})\.(\d{1,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return null;
    const body = `${m[1]}.${m[2]}.${m[3]}`;
    const want = Buffer.from(this.sign(body));
    const got = Buffer.from(m[4]!);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    const expires = Number(m[2]);
    if (expires <= now) return null;
    return { keyHash: m[1]!, expires, id: m[3]! };
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * CSRF defence for cookie-authenticated state changes: the browser must say the request came from this
 * origin. `Origin` is compared by host with the Host header (a TLS-terminating proxy changes the scheme,
 * not the host); without Origin, `Sec-Fetch-Site: same-origin` is accepted.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  // TRICKY: a sandboxed frame or a privacy setting sends `Origin: null`; that is not proof of anything.
  return req.headers['sec-fetch-site'] === 'same-origin';
}
