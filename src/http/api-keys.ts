// API keys (SPEC.md: `Authorization: Bearer KEY`): made by `clickrate keys create`, stored as SHA-256
// hashes in the store, plus the one in CLICKRATE_API_KEY when set. The key itself is shown only once.
// ApiKeyAuth decides whether a request is authenticated: by a Bearer key, or by a dashboard session that
// was not logged out and whose key is not revoked; wrong keys count against the client's address.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ClickrateError } from '../errors.js';
import type { ApiKeyRecord, Store } from '../store/store.js';
import { clientIp, type TrustedProxies } from './client-ip.js';
import { FailureThrottle, throttleKey } from './failure-throttle.js';
import type { Session, SessionCookies } from './session.js';

const PREFIX = 'cr_';

/**
 * SHA-256 without a salt or a slow KDF, on purpose: keys are 192 random bits, not passwords, so there is
 * nothing to brute-force, and a fast hash keeps authentication off the request's critical path.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createApiKey(store: Store, name: string): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const record: ApiKeyRecord = { id: randomUUID().slice(0, 8), name, prefix: key.slice(0, 7), hash: hashApiKey(key), created_at: Date.now(), revoked_at: null };
  await store.createApiKey(record);
  return { key, record };
}

/** How long a verdict on a key is reused: a revoked key stops working within this time on every edge. */
const CACHE_MS = 30_000;

export class ApiKeyAuth {
  private readonly cache = new Map<string, { ok: boolean; until: number }>();
  private readonly envHash: Buffer | null;

  constructor(
    private readonly store: Store,
    envKey: string | undefined = process.env.CLICKRATE_API_KEY,
    /** Whose X-Forwarded-For names the client (--trust-proxy): the address failures count against. */
    private readonly proxies: TrustedProxies = null,
    /** Failed keys per client address, shared by /login and Bearer keys so neither is a way around the other. */
    readonly throttle: FailureThrottle = new FailureThrottle(),
  ) {
    this.envHash = envKey ? Buffer.from(hashApiKey(envKey), 'hex') : null;
  }

  /** The request's client address as the throttle and the security log name it. */
  clientAddress(req: IncomingMessage): string {
    return clientIp(req, this.proxies) ?? 'unknown';
  }

  /** Throws CR_ERR_UNAUTHORIZED unless the request carries a valid, unrevoked key (see verify). */
  async check(req: IncomingMessage): Promise<void> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ClickrateError('CR_ERR_UNAUTHORIZED', 'an API key is required: Authorization: Bearer KEY (make one with `clickrate keys create`)');
    await this.verify(req, match[1]!);
  }

  /**
   * Accepts `key` from this request's client, or throws: CR_ERR_RATE_LIMITED while the client is held
   * off after too many wrong keys (the key is then not even looked at, so guessing stops), else
   * CR_ERR_UNAUTHORIZED for a wrong key, which counts against the client. A right key clears its count.
   */
  async verify(req: IncomingMessage, key: string): Promise<void> {
    const client = throttleKey(this.clientAddress(req));
    const wait = this.throttle.retryAfter(client);
    if (wait > 0) throw new ClickrateError('CR_ERR_RATE_LIMITED', `too many wrong API keys from this address; try again in ${wait} s`, { retry_after_s: wait });
    if (!(await this.valid(key))) {
      this.throttle.fail(client);
      throw new ClickrateError('CR_ERR_UNAUTHORIZED', 'the API key is unknown or revoked');
    }
    this.throttle.succeed(client);
  }

  async valid(key: string): Promise<boolean> {
    return this.validHash(hashApiKey(key));
  }

  /** Is the key with this SHA-256 (hex) known and unrevoked? Dashboard sessions carry only the hash. */
  async validHash(hash: string): Promise<boolean> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return false;
    if (this.envHash && timingSafeEqual(this.envHash, Buffer.from(hash, 'hex'))) return true;
    const hit = this.cache.get(hash);
    const now = Date.now();
    if (hit && hit.until > now) return hit.ok;
    const rec = await this.store.findApiKeyByHash(hash);
    const ok = rec !== null && rec.revoked_at === null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { ok, until: now + CACHE_MS });
    return ok;
  }

  /**
   * Forgets every remembered verdict on a key, so a key revoked through this server (the command line
   * beside it: `keys revoke`) is refused from the next request on, and with it the sessions it signed in.
   */
  forgetKeys(): void {
    this.cache.clear();
  }

  /**
   * The request's dashboard session: a cookie signed and unexpired (SessionCookies), of a key not
   * revoked, and not logged out. TRICKY: the logout check asks the store on every request, with no
   * cache, so a logout on any edge sharing the store ends the session everywhere at once (a copied
   * cookie included); dashboard requests come at a person's pace, and the lookup is one key.
   */
  async session(req: IncomingMessage, sessions: SessionCookies): Promise<Session | null> {
    const s = sessions.read(req);
    if (s === null || !(await this.validHash(s.keyHash))) return null;
    return (await this.store.isSessionRevoked(s.id, Date.now())) ? null : s;
  }

  /** Logout: the session is refused everywhere until it would have expired anyway. */
  async endSession(s: Session): Promise<void> {
    await this.store.revokeSession(s.id, s.expires);
  }
}
