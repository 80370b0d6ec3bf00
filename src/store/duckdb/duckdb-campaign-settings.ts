// The DuckDB side of campaign settings (store/campaign-settings.ts): one row per campaign in
// `campaign_settings`, replaced whole on every change.
import type { DuckDBValue } from '@duckdb/node-api';
import { isEmailKind, type CampaignSettings } from '../campaign-settings.js';
import type { CompiledQuery } from '../dialect.js';
import type { Row } from '../store.js';

export class DuckDbCampaignSettings {
  constructor(
    private readonly query: (q: CompiledQuery) => Promise<Row[]>,
    private readonly write: (sql: string, values: Record<string, DuckDBValue>) => Promise<number>,
  ) {}

  async set(s: CampaignSettings): Promise<void> {
    await this.write('INSERT OR REPLACE INTO campaign_settings VALUES ($campaign, $kind, $at)', {
      campaign: s.campaign,
      kind: s.kind,
      at: BigInt(s.updated_at),
    });
  }

  async get(campaign: string): Promise<CampaignSettings | null> {
    const rows = await this.query({
      sql: 'SELECT kind, updated_at FROM campaign_settings WHERE campaign = $c',
      params: { c: { value: campaign, type: 'String' } },
    });
    const r = rows[0];
    return r ? { campaign, kind: isEmailKind(r.kind) ? r.kind : null, updated_at: Number(r.updated_at) } : null;
  }
}
