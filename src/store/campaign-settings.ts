// What a user may say about a campaign that its events cannot: its kind of email (outreach, newsletter,
// promotional, transactional), which decides the benchmark ranges it is compared with. Kept per campaign
// in the `campaign_settings` table of each store (DuckDB and ClickHouse migrations).

/** The kinds of email campaign the benchmarks know (src/dashboard/benchmarks.ts cites a range for each). */
export const EMAIL_KINDS = ['promotional', 'newsletter', 'outreach', 'transactional'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export const isEmailKind = (v: unknown): v is EmailKind => typeof v === 'string' && (EMAIL_KINDS as readonly string[]).includes(v);

export interface CampaignSettings {
  campaign: string;
  /** The kind a user set; null: none set (the dashboard infers one). */
  kind: EmailKind | null;
  updated_at: number;
}
