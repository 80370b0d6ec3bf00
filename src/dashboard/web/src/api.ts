// The dashboard's client of the HTTP API: same-origin fetches authenticated by the session cookie; a 401
// sends the user back to /login. Response shapes mirror src/metrics/report-types.ts.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, 'CR_ERR_UNAUTHORIZED', 'signed out');
  }
  const body = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? 'CR_ERR_INTERNAL', body.error?.message ?? res.statusText);
  return body;
}

export const campaignPath = (id: string, sub: string, params: Record<string, string | null | undefined> = {}): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const qs = q.toString();
  return `/api/v1/campaigns/${encodeURIComponent(id)}/${sub}${qs ? `?${qs}` : ''}`;
};

export type Interval = [number, number] | null;
export interface Raw { unique_opens: number; unique_clicks: number; total_clicks: number; ctr: number | null; ctor: number | null; open_rate: number | null }
export interface Verdict { control_rate: number | null; variant_rate: number | null; lift: number | null; z: number | null; p_value: number | null; significant: boolean; reason?: string }
export interface EmailMetrics {
  key?: string | number | null;
  sent: number; bounced: number; delivered: number; unique_opens: number; implied_opens: number; unique_clicks: number; total_clicks: number;
  machine_opens: number; scanner_clicks: number; privacy_hidden: number; replies: number; unsubscribes: number; complaints: number;
  conversions: number; revenue: number; ctr: number | null; ctor: number | null; open_rate: number | null; reply_rate: number | null;
  privacy_hidden_rate: number | null; revenue_per_recipient: number | null; unsubscribe_rate: number | null;
  ctr_ci: Interval; ctor_ci: Interval; open_rate_ci: Interval; reply_rate_ci: Interval; raw: Raw;
  comparison?: { control: string; ctr: Verdict; ctor: Verdict } | null;
}
export interface LinkGroup { key: string; unique_clicks: number; total_clicks: number; scanner_clicks: number; ctr: number | null; ctr_ci: Interval; click_share: number | null; raw: { unique_clicks: number; total_clicks: number; ctr: number | null } }
export interface AdMetrics { key?: string | number | null; impressions: number; clicks: number; machine_clicks: number; conversions: number; revenue: number; ctr: number | null; ctr_ci: Interval; raw: { clicks: number; ctr: number | null } }
export interface EmailReport {
  campaign: string; kind: 'email'; window: string | null; by: string | null;
  totals: EmailMetrics & { orphans: number; machine_reasons: { opens: Record<string, number>; clicks: Record<string, number> } };
  groups: EmailMetrics[];
}
export interface LinkReport extends Omit<EmailReport, 'groups'> { groups: LinkGroup[] }
export interface AdReport {
  campaign: string; kind: 'ads'; window: null; by: string | null;
  totals: AdMetrics & { orphans: number; machine_reasons: { clicks: Record<string, number> } };
  groups: AdMetrics[];
}
export type Report = EmailReport | AdReport;
export interface Range { low: number; high: number; label: string }
export interface Diagnosis {
  findings: Array<{ code: string; tone: 'good' | 'warn' | 'info'; text: string }>;
  benchmarks: { ctr: Range; ctor?: Range; reply_rate?: Range };
  reasons: Record<string, string>;
}
export interface Point { t: number; human_opens: number; machine_opens: number; human_clicks: number; machine_clicks: number; impressions: number }
export interface Timeseries { kind: 'email' | 'ads'; interval: 'hour' | 'day'; points: Point[] }
export interface TemplateInfo { campaign: string; step: number | null; variant: string | null; saved_at: number }
