// API keys (SPEC.md: `Authorization: Bearer KEY`): made by `clickrate keys create`, stored as SHA-256
// hashes in the store, plus the one in CLICKRATE_API_KEY when set. The key itself is shown only once.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ClickrateError } from '../errors.js';
import type { ApiKeyRecord, Store } from '../store/store.js';

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
  ) {
    this.envHash = envKey ? Buffer.from(hashApiKey(envKey), 'hex') : null;
  }

  /** Throws CR_ERR_UNAUTHORIZED unless the request carries a valid, unrevoked key. */
  async check(req: IncomingMessage): Promise<void> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ClickrateError('CR_ERR_UNAUTHORIZED', 'an API key is required: Authorization: Bearer KEY (make one with `clickrate keys create`)');
    if (!(await this.valid(match[1]!))) throw new ClickrateError('CR_ERR_UNAUTHORIZED', 'the API key is unknown or revoked');
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
}
