// Two small facts of a campaign the reports do not give, read through the store's layout so they hold on
// every engine: when its last event of any kind happened, and the link clicks of one template (a step
// and variant), so a click map shows that message's own shares rather than the campaign's.
import { ParamBag, type SqlDialect } from '../store/dialect.js';
import { IS_CLAIM_TYPE } from '../store/message-grain.js';
import type { Store } from '../store/store.js';
import type { LinkShare } from './click-map.js';

/**
 * The time of the campaign's last event of any kind: its sends and the events naming it (ads), and every
 * event of a message it sent (opens, clicks, replies carry the message, not always the campaign).
 */
export async function lastEventTs(store: Store, campaign: string): Promise<string | null> {
  const d = store.dialect;
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const rows = await store.query({
    sql: `SELECT max(ts) AS last_ts FROM ${d.layout.events(d.layout.campaignNamed(c), false, c)} AS n
      UNION ALL SELECT max(ts) AS last_ts FROM ${d.layout.campaignMessageEvents(c, false)} AS m`,
    params: bag.params,
  });
  const ts = rows.map((r) => Number(r.last_ts)).filter((t) => Number.isFinite(t) && t > 0);
  return ts.length > 0 ? new Date(Math.max(...ts)).toISOString() : null;
}

/** The messages of the campaign sent as this step and variant (null: sent without one). */
function templateSends(d: SqlDialect, bag: ParamBag, c: string, step: number | null, variant: string | null): string {
  return `SELECT message FROM events WHERE ${d.layout.campaignNamed(c)} AND message IS NOT NULL AND ${IS_CLAIM_TYPE}
    AND coalesce(step, 0) = ${d.param(bag, step ?? 0, 'Int64')} AND coalesce(variant, '') = ${d.param(bag, variant ?? '', 'String')}`;
}

/**
 * People's unique clicks per URL among the messages sent as one template, and each URL's share of them
 * (report `click_share`: a fraction of the links' unique clicks summed). TRICKY: the campaign's
 * link report mixes every variant and step; a variant's map must not show another variant's clicks.
 * `windowMs` counts only clicks within that long of the message's send, as the report's window does.
 */
export async function templateLinkShares(
  store: Store,
  campaign: string,
  step: number | null,
  variant: string | null,
  windowMs: number | null,
): Promise<LinkShare[]> {
  const d = store.dialect;
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const sends = templateSends(d, bag, c, step, variant);
  const clicks = d.layout.events(`type = 'click' AND url IS NOT NULL AND ${d.layout.messageIn(sends)}`, 'machine', c);
  const within = windowMs === null ? '' : `AND k.ts <= s.sent_ts + ${d.param(bag, windowMs, 'Int64')}`;
  const sql = `SELECT k.url AS url, count(DISTINCT k.message) AS unique_clicks
    FROM ${clicks} AS k
    ${d.innerJoin} (SELECT message, min(ts) AS sent_ts FROM events WHERE message IN (${sends}) GROUP BY message) AS s ON k.message = s.message
    WHERE k.machine = ${d.false} ${within}
    GROUP BY k.url`;
  const rows = await store.query({ sql, params: bag.params });
  // As the report's click_share (docs/metrics.md): over the sum of the links' unique clicks.
  const sum = rows.reduce((a, r) => a + Number(r.unique_clicks), 0);
  return rows.map((r) => ({ url: String(r.url), unique_clicks: Number(r.unique_clicks), click_share: sum > 0 ? Number(r.unique_clicks) / sum : null }));
}
