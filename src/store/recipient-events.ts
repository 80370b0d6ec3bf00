// Everything a store holds about one recipient (a subject access request, docs/privacy.md): every event
// that names the recipient and every event of a message sent to it, with its verdict, a page at a time,
// so `clickrate export` and GET /api/v1/recipients/<id>/events.jsonl stream it without holding it all.
import type { ClickrateEvent } from '../events/event.js';
import { ParamBag, type CompiledQuery, type SqlDialect } from './dialect.js';
import type { Row, Store } from './store.js';

/**
 * One stored event of the recipient as exported: its fields as stored (the ISO time instead of epoch
 * milliseconds; method as stored), and its verdict.
 */
export interface RecipientEvent extends Omit<ClickrateEvent, 'ts' | 'type' | 'method'> {
  type: string;
  ts: string;
  method: string | null;
  /** Opens and clicks only: the stored verdict. */
  verdict: 'human' | 'machine' | null;
  reasons: string[] | null;
}

const PAGE = 1000;

function compilePage(recipient: string, after: { ts: number; id: string } | null, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const r = d.param(bag, recipient, 'String');
  const theirs = `(recipient = ${r} OR ${d.messageIn(`SELECT message FROM events WHERE recipient = ${r} AND message IS NOT NULL`)})`;
  const next = after
    ? `AND (ts > ${d.param(bag, after.ts, 'Int64')} OR (ts = ${d.param(bag, after.ts, 'Int64')} AND id > ${d.param(bag, after.id, 'String')}))`
    : '';
  const sql = `SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, machine, reasons
    FROM ${d.events(theirs)} AS e WHERE 1 = 1 ${next} ORDER BY ts, id LIMIT ${PAGE}`;
  return { sql, params: bag.params };
}

const text = (v: Row[string] | undefined): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: Row[string] | undefined): number | null => (v === null || v === undefined ? null : Number(v));

function toEvent(r: Row): RecipientEvent {
  const engaged = r.type === 'open' || r.type === 'click';
  let reasons: string[] | null = null;
  if (engaged && typeof r.reasons === 'string' && r.reasons !== '') {
    try {
      reasons = JSON.parse(r.reasons) as string[];
    } catch {
      reasons = [r.reasons];
    }
  }
  return {
    id: String(r.id),
    type: String(r.type),
    ts: new Date(Number(r.ts)).toISOString(),
    message: text(r.message),
    campaign: text(r.campaign),
    recipient: text(r.recipient),
    step: num(r.step),
    variant: text(r.variant),
    segment: text(r.segment),
    ad: text(r.ad),
    url: text(r.url),
    ip: text(r.ip),
    user_agent: text(r.user_agent),
    method: text(r.method),
    value: num(r.value),
    // Engines without a boolean type answer 1 and 0.
    verdict: engaged ? (r.machine === true || r.machine === 1 ? 'machine' : 'human') : null,
    reasons,
  };
}

/** The recipient's events in time order, a page at a time. */
export async function* recipientEvents(store: Store, recipient: string): AsyncGenerator<RecipientEvent[]> {
  let after: { ts: number; id: string } | null = null;
  for (;;) {
    const rows = await store.query(compilePage(recipient, after, store.dialect));
    if (rows.length === 0) return;
    yield rows.map(toEvent);
    if (rows.length < PAGE) return;
    const last = rows.at(-1)!;
    after = { ts: Number(last.ts), id: String(last.id) };
  }
}
