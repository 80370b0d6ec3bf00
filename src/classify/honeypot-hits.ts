// Reads every honeypot request the store holds into a HoneypotMemory, so a classification pass knows
// the blocks and agents learned as machine on any message when it judges every other one.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import type { Store } from '../store/store.js';
import { HONEYPOT_PATH, HoneypotMemory, isHoneypotUrl } from './honeypot.js';

function compileHits(d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  // LIKE narrows the scan; isHoneypotUrl below decides (a query string could end with the path too).
  const where = `type = 'click' AND url LIKE ${d.param(bag, `%${HONEYPOT_PATH}`, 'String')}`;
  return { sql: `SELECT url, ip, user_agent, ts FROM ${d.events(where)} AS e`, params: bag.params };
}

const recent = new WeakMap<Store, { at: number; ttlMs: number; memory: HoneypotMemory }>();

/**
 * The store's honeypot memory, read again at most every `maxAgeMs`. TRICKY: the server classifies every
 * second; scanning every event for honeypot requests each time would cost more than the pass. A new hit
 * decides its own request at once (the `honeypot` signal needs no memory); other messages learn it within
 * `maxAgeMs`.
 */
export async function honeypotMemoryOf(store: Store, ttlMs: number, maxAgeMs = 60_000): Promise<HoneypotMemory> {
  const hit = recent.get(store);
  if (hit && hit.ttlMs === ttlMs && performance.now() - hit.at < maxAgeMs) return hit.memory;
  const memory = await loadHoneypotMemory(store, ttlMs);
  recent.set(store, { at: performance.now(), ttlMs, memory });
  return memory;
}

/** Honeypot requests of the whole store, remembered for `ttlMs` either side of each. */
async function loadHoneypotMemory(store: Store, ttlMs: number): Promise<HoneypotMemory> {
  const rows = await store.query(compileHits(store.dialect));
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const hits = rows.filter((r) => isHoneypotUrl(text(r.url))).map((r) => ({ ip: text(r.ip), user_agent: text(r.user_agent), ts: Number(r.ts) }));
  return new HoneypotMemory(hits, ttlMs);
}
