// Every raw event of one campaign, in time order, page by page (keyset pagination on ts, id), with its
// verdict: the export behind GET /api/v1/campaigns/<id>/events.jsonl. Memory stays bounded per page.
import { ClickrateError } from '../errors.js';
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import { IS_CLAIM_TYPE } from '../store/message-grain.js';
import type { Row, Store } from '../store/store.js';
import { compileForeignClaims, ownedBy } from './campaign-owned.js';

const EVENTS_PAGE = 20_000;

const COLUMNS = 'id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, machine, reasons';

/**
 * TRICKY: a literal, not a bound parameter: ClickHouse 18.16 accepts only a number after LIMIT. The page
 * size is the code's own constant (or a test's), checked here to be a positive whole number.
 */
function pageSize(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ClickrateError('CR_ERR_BAD_QUERY', `page size must be a whole number ≥ 1, got ${limit}`);
  return limit;
}

/**
 * An event belongs to the campaign when it names it (sends, ad events) or when its message was sent in
 * the campaign (opens, clicks, replies… which carry only the message id); never when its message belongs
 * to another campaign (store/message-owner.ts: whatever campaign the event itself names), nor when it is
 * a sent naming another campaign (campaign-owned.ts).
 */
function compileCampaignEventsPage(campaign: string, after: { ts: number; id: string } | null, limit: number, d: SqlDialect, foreign = true): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const cursor = after
    ? `AND (ts > ${d.param(bag, after.ts, 'Int64')} OR (ts = ${d.param(bag, after.ts, 'Int64')} AND id > ${d.param(bag, after.id, 'String')}))`
    : '';
  const named = `(${d.layout.campaignNamed(c)} OR message IN (SELECT message FROM events WHERE ${d.layout.campaignNamed(c)} AND message IS NOT NULL AND ${IS_CLAIM_TYPE}))`;
  // Ad events have no message: only a message can belong to another campaign. `foreign` false: no claim
  // names another campaign for the campaign's messages (compileForeignClaims), so none can.
  const mine = foreign ? `${named} AND (message IS NULL OR (${ownedBy(d, c)}))` : named;
  // Through events(): where verdicts live apart from events (ClickHouse) they are joined in there.
  const sql = `
    SELECT ${COLUMNS} FROM ${d.layout.events(`${mine} ${cursor}`)} AS e
    ORDER BY ts, id
    LIMIT ${pageSize(limit)}`;
  return { sql, params: bag.params };
}

export interface ExportedEvent {
  [field: string]: string | number | boolean | string[] | null;
}

/** One stored row as the SPEC.md event it was, plus `machine` and `reasons`; empty fields are left out. */
function exportEvent(r: Row): ExportedEvent {
  const out: ExportedEvent = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === null || v === undefined) continue;
    if (k === 'ts') out.ts = new Date(Number(v)).toISOString();
    // Engines without a boolean type answer 1 or 0.
    else if (k === 'machine') out.machine = v === true || v === 1 || v === '1';
    else if (k === 'reasons') {
      try {
        out.reasons = JSON.parse(String(v)) as string[];
      } catch {
        out.reasons = [String(v)];
      }
    } else out[k] = v;
  }
  return out;
}

/**
 * Yields pages of the campaign's events. TRICKY: each page re-runs the campaign filter, so a very large
 * export costs one scan per 20,000 events; it never holds more than one page in memory, which matters more.
 * Whether another campaign's events must be filtered out is asked once, before the first page.
 */
export async function* campaignEventPages(store: Store, campaign: string, limit = EVENTS_PAGE): AsyncGenerator<ExportedEvent[]> {
  let after: { ts: number; id: string } | null = null;
  const [claims] = await store.query(compileForeignClaims(campaign, store.dialect));
  const foreign = Number(claims?.n ?? 1) > 0;
  for (;;) {
    const rows = await store.query(compileCampaignEventsPage(campaign, after, limit, store.dialect, foreign));
    if (rows.length === 0) return;
    yield rows.map(exportEvent);
    if (rows.length < limit) return;
    const last = rows[rows.length - 1]!;
    after = { ts: Number(last.ts), id: String(last.id) };
  }
}
