// Lists the campaigns a store knows: id, kind (email or ads), size and time span. Used by
// `clickrate campaigns`, and the starting point of the dashboard's campaign list.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import { IS_CLAIM_TYPE } from '../store/message-grain.js';
import type { Store } from '../store/store.js';
import { campaignKind } from './report-plan.js';
import type { CampaignSummary } from './report-types.js';

function compileCampaignList(d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const sql = `
    SELECT campaign,
      ${d.countDistinctIf('message', `message IS NOT NULL AND ${IS_CLAIM_TYPE}`)} AS messages,
      ${d.countIf("type = 'impression'")} AS impressions,
      ${d.countIf('message IS NULL')} AS ad_events,
      min(ts) AS first_ts,
      max(ts) AS last_ts
    FROM events
    WHERE campaign IS NOT NULL
    GROUP BY campaign
    ORDER BY last_ts DESC, campaign`;
  return { sql, params: bag.params };
}

export async function listCampaigns(store: Store): Promise<CampaignSummary[]> {
  const rows = await store.query(compileCampaignList(store.dialect));
  return rows.map((r) => {
    const messages = Number(r.messages ?? 0);
    return {
      campaign: String(r.campaign),
      kind: campaignKind({ sends: messages, adEvents: Number(r.ad_events ?? 0) }),
      messages,
      impressions: Number(r.impressions ?? 0),
      first_ts: new Date(Number(r.first_ts)).toISOString(),
      last_ts: new Date(Number(r.last_ts)).toISOString(),
    };
  });
}
