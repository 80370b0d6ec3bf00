// The dashboard's client of the HTTP API: same-origin fetches authenticated by the session cookie; a 401
// sends the user back to /login.
import type { EmailGroup, EmailReport as ServerEmailReport, LinkGroup } from '../../../metrics/report-types.js';
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
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

// The report shapes are the server's own (src/metrics/report-types.ts), imported as types; only the
// narrowing by breakdown is said here: a link breakdown's groups are links, any other's are messages'.
export type { AdReport, CalcResult, LinkGroup, Timeseries } from '../../../metrics/report-types.js';
export type { Diagnosis, KindChoice, Range, TemplateInfo } from '../../dashboard-schemas.js';
export { EMAIL_KINDS } from '../../../store/campaign-settings.js';
export type EmailMetrics = EmailGroup;
export type EmailReport = Omit<ServerEmailReport, 'groups'> & { groups: EmailGroup[] };
export type LinkReport = Omit<ServerEmailReport, 'groups'> & { groups: LinkGroup[] };
