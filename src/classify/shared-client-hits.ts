// Reads from the store every click made soon after its own message's delivery into a SharedClientMemory,
// so a classification pass knows the clients (block and agent) that clicked many recipients' messages
// when it judges each message on its own.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import type { Store } from '../store/store.js';
import type { SharedClientRule } from './shared-clients.js';
import { SharedClientMemory, type PoolClick } from './shared-clients.js';

/**
 * Clicks with their message's delivery (else send) and recipient, kept when at most `windowMs` after it.
 * One join of clicks to one row per message; no CTEs and only USING joins, which ClickHouse 18.16 speaks.
 */
function compileClicks(d: SqlDialect, windowMs: number, since: number | null): CompiledQuery {
  const bag = new ParamBag();
  const recent = since === null ? '' : ` AND ts >= ${d.param(bag, since, 'Int64')}`;
  const clicks = d.events(`type = 'click' AND message IS NOT NULL AND ip IS NOT NULL AND user_agent IS NOT NULL${recent}`, false);
  const messages = d.events("type IN ('delivered', 'sent') AND message IS NOT NULL", false);
  const anchor = d.coalesce(d.minIf('ts', "type = 'delivered'"), d.minIf('ts', "type = 'sent'"));
  const sql = `SELECT message, recipient, ip, user_agent, ts, anchor
    FROM (SELECT message, ip, user_agent, ts FROM ${clicks} AS e) AS c
    ${d.innerJoin} (SELECT message, ${anchor} AS anchor, ${d.anyIf('recipient', "type = 'sent'")} AS recipient FROM ${messages} AS m GROUP BY message) AS a
    USING (message)
    WHERE ts - anchor <= ${d.param(bag, windowMs, 'Int64')}`;
  return { sql, params: bag.params };
}

const recent = new WeakMap<Store, { at: number; rule: SharedClientRule; since: number | null; memory: SharedClientMemory }>();

const sameRule = (a: SharedClientRule, b: SharedClientRule) =>
  a.sharedClientWindowMs === b.sharedClientWindowMs && a.sharedClientRecipients === b.sharedClientRecipients && a.sharedClientSpanMs === b.sharedClientSpanMs;

/**
 * The store's shared clients, read again at most every `maxAgeMs`, from clicks at or after `since` (epoch
 * ms; null: all). TRICKY: the server classifies every second; joining every click to its message each
 * time would cost more than the pass, and so would reading the whole store once a minute (4.3 s and
 * 350,000 rows at 2M events): its loop reads only recent clicks. A pool's first
 * clicks are judged without it; its later ones, and `clickrate classify --all`, see it within `maxAgeMs`.
 */
export async function sharedClientMemoryOf(store: Store, rule: SharedClientRule, maxAgeMs = 60_000, since: number | null = null): Promise<SharedClientMemory> {
  const hit = recent.get(store);
  if (hit && sameRule(hit.rule, rule) && hit.since === since && performance.now() - hit.at < maxAgeMs) return hit.memory;
  const rows = await store.query(compileClicks(store.dialect, rule.sharedClientWindowMs, since));
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const clicks: PoolClick[] = rows.map((r) => ({
    message: String(r.message),
    recipient: text(r.recipient) || null,
    ip: text(r.ip),
    user_agent: text(r.user_agent),
    ts: Number(r.ts),
    anchor: Number(r.anchor),
  }));
  const memory = new SharedClientMemory(clicks, rule);
  recent.set(store, { at: performance.now(), rule, since, memory });
  return memory;
}
