// The ClickHouse side of campaign settings (store/campaign-settings.ts): a change is a newer row of the
// campaign in `campaign_settings` (ReplacingMergeTree by version); readers take the latest with argMax.
import { isEmailKind, type CampaignSettings } from '../campaign-settings.js';
import type { CompiledQuery } from '../dialect.js';
import type { Row } from '../store.js';

export class ClickHouseCampaignSettings {
  constructor(
    private readonly query: (q: CompiledQuery) => Promise<Row[]>,
    private readonly insert: (table: string, rows: Array<Record<string, unknown>>) => Promise<void>,
    /** A version that grows with every write of this process (the store's own stamp). */
    private readonly stamp: () => number,
  ) {}

  async set(s: CampaignSettings): Promise<void> {
    // '' stands for "no kind": ClickHouse 18.16 has no Nullable in every place this table is read.
    await this.insert('campaign_settings', [{ campaign: s.campaign, kind: s.kind ?? '', updated_at: s.updated_at, ver: this.stamp() }]);
  }

  async get(campaign: string): Promise<CampaignSettings | null> {
    const rows = await this.query({
      sql: 'SELECT argMax(kind, ver) AS s_kind, argMax(updated_at, ver) AS s_at FROM campaign_settings WHERE campaign = {c:String} GROUP BY campaign',
      params: { c: { value: campaign, type: 'String' } },
    });
    const r = rows[0];
    return r ? { campaign, kind: isEmailKind(r.s_kind) ? r.s_kind : null, updated_at: Number(r.s_at) } : null;
  }
}
