// Keeps stored verdicts current (issue #4): every message with an event not yet classified by this
// CLASSIFIER_VERSION is classified again as a whole (a later delivery or burst click can change earlier
// verdicts), in hash buckets so memory stays bounded. Runs after ingest and on `clickrate classify`.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import type { Row, Store, VerdictRow } from '../store/store.js';
import type { EventType } from '../events/event.js';
import { classifyEvents, type ClassifiableEvent } from './classify.js';
import { CLASSIFIER_VERSION } from './config.js';

/** Pending events per bucket: sized so a bucket's events fit comfortably in memory (~100 MB). */
const EVENTS_PER_BUCKET = 250_000;

export interface ReclassifyResult {
  /** Events given a verdict (or marked done, for non-open/click events of a classified message). */
  events: number;
  machine: number;
  ms: number;
}

/** Events to (re)classify: those no verdict of this version covers, or with `all`, every event. */
const stale = (d: SqlDialect, bag: ParamBag, all: boolean) =>
  all ? d.true : `(classifier_version IS NULL OR classifier_version <> ${d.param(bag, CLASSIFIER_VERSION, 'String')})`;

function compileCount(d: SqlDialect, all: boolean): CompiledQuery {
  const bag = new ParamBag();
  return { sql: `SELECT count(*) AS n FROM ${d.events(d.true)} AS e WHERE ${stale(d, bag, all)}`, params: bag.params };
}

/**
 * All events of the messages in bucket k that have a stale event, plus the stale ad events of bucket k.
 * The bucket is a condition on event columns, inside events(): where verdicts live apart (ClickHouse)
 * only the bucket's events are joined with them, not the whole table once per bucket.
 */
function compileBucket(d: SqlDialect, k: number, n: number, all: boolean): CompiledQuery {
  const bag = new ParamBag();
  const sql = `
    SELECT id, type, ts, message, campaign, url, ip, user_agent, method FROM events
    WHERE message IN (
      SELECT DISTINCT message FROM ${d.events(`message IS NOT NULL AND ${d.hashBucket('message', n)} = ${d.param(bag, k, 'Int64')}`)} AS e
      WHERE ${stale(d, bag, all)}
    )
    UNION ALL
    SELECT id, type, ts, message, campaign, url, ip, user_agent, method FROM ${d.events(`message IS NULL AND ${d.hashBucket('id', n)} = ${d.param(bag, k, 'Int64')}`)} AS e
    WHERE ${stale(d, bag, all)}`;
  return { sql, params: bag.params };
}

function toClassifiable(r: Row): ClassifiableEvent & { message: string | null; campaign: string | null } {
  const text = (v: Row[string] | undefined) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id),
    type: r.type as EventType,
    ts: Number(r.ts),
    message: text(r.message),
    campaign: text(r.campaign),
    url: text(r.url),
    ip: text(r.ip),
    user_agent: text(r.user_agent),
    method: r.method === 'HEAD' ? 'HEAD' : r.method === 'GET' ? 'GET' : null,
  };
}

/** Classifies everything stale; with `all`, every stored event (after a change of thresholds or ranges). */
export async function reclassify(store: Store, opts: { all?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<ReclassifyResult> {
  const started = performance.now();
  const all = opts.all ?? false;
  const [count] = await store.query(compileCount(store.dialect, all));
  const total = Number(count?.n ?? 0);
  const result: ReclassifyResult = { events: 0, machine: 0, ms: 0 };
  if (total === 0) return result;
  const buckets = Math.max(1, Math.ceil(total / EVENTS_PER_BUCKET));
  for (let k = 0; k < buckets; k++) {
    const events = (await store.query(compileBucket(store.dialect, k, buckets, all))).map(toClassifiable);
    const verdicts = classifyEvents(events);
    const rows: VerdictRow[] = events.map((e) => {
      const v = verdicts.get(e.id);
      if (v?.machine) result.machine++;
      return { id: e.id, machine: v?.machine ?? false, reasons: v ? JSON.stringify(v.reasons) : null };
    });
    await store.writeVerdicts(rows, CLASSIFIER_VERSION);
    result.events += rows.length;
    opts.onProgress?.(result.events, total);
  }
  result.ms = performance.now() - started;
  return result;
}
