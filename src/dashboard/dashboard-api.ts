// The aggregate API endpoints the dashboard draws from (campaign overview with daily trends, time series,
// diagnosis, templates and click map, campaign settings, calculator, raw-event export). All under
// /api/v1, all keyed.
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeReason } from '../classify/reasons.js';
import { verdictCheck } from '../classify/verdict-check.js';
import { ClickrateError } from '../errors.js';
import { calc } from '../metrics/calc.js';
import { campaignEventPages } from '../metrics/campaign-events.js';
import { runTimeseries } from '../metrics/compile-timeseries.js';
import { listCampaigns } from '../metrics/list-campaigns.js';
import type { EmailGroup, EmailReport, LinkGroup, Report } from '../metrics/report-types.js';
import { runReport, runReports } from '../metrics/run-report.js';
import type { Store, TemplateRecord } from '../store/store.js';
import { parseQuery } from '../http/parse-query.js';
import { readJson } from '../http/read-body.js';
import { sendJson } from '../http/reply.js';
import { parseReportQuery } from '../metrics/report-query.js';
import { calcQuery, clickMapQuery, timeseriesQuery } from './dashboard-api-docs.js';
import type { Benchmarks } from './benchmarks.js';
import { annotateClickMap, CLICK_MAP_CSP, countLinks } from './click-map.js';
import { campaignKind, parseSettingsBody } from './campaign-kind.js';
import { lastEventTs, templateLinkShares } from './campaign-facts.js';
import type { Diagnosis, KindChoice } from './dashboard-schemas.js';
import { diagnose, type AdFacts, type EmailFacts } from './diagnose.js';

export interface DashboardApiDeps {
  store: Store;
  benchmarks: Benchmarks;
  /** ISO 4217 code revenue is shown in (currency.ts). */
  currency: string;
}

/** A settings body is one small JSON object. */
const SETTINGS_LIMIT = 4 * 1024;

/** Day keys of `by=day` reports are ISO dates (YYYY-MM-DD); charts want epoch milliseconds. */
const dayMs = (key: unknown): number | null => (typeof key === 'string' ? Date.parse(`${key}T00:00:00Z`) : null);
const windowOf = (q: URLSearchParams): string | undefined => q.get('window') || undefined;

/** Every campaign with its headline figures and a daily trend (send-day cohorts) for the sparklines. */
export async function getOverview(res: ServerResponse, deps: DashboardApiDeps, q: URLSearchParams): Promise<void> {
  const campaigns = [];
  for (const c of await listCampaigns(deps.store)) {
    // TRICKY: the list's last_ts is of events naming the campaign (its sends); opens and clicks name only
    // their message, and "last event" means the last of any kind.
    const last_ts = (await lastEventTs(deps.store, c.campaign)) ?? c.last_ts;
    const r = await runReport(deps.store, { campaign: c.campaign, by: 'day', window: c.kind === 'email' ? windowOf(q) : undefined });
    if (r.kind === 'email') {
      const t = r.totals;
      const trend = (r.groups as EmailGroup[]).map((g) => ({
        t: dayMs(g.key),
        sent: g.sent,
        delivered: g.delivered,
        ctr: g.ctr,
        ctor: g.ctor,
        reply_rate: g.reply_rate,
      }));
      campaigns.push({
        campaign: c.campaign,
        kind: 'email' as const,
        first_ts: c.first_ts,
        last_ts,
        sent: t.sent,
        delivered: t.delivered,
        unique_clicks: t.unique_clicks,
        ctr: t.ctr,
        ctor: t.ctor,
        reply_rate: t.reply_rate,
        trend,
      });
    } else {
      const t = r.totals;
      const trend = r.groups.map((g) => ({ t: dayMs(g.key), impressions: g.impressions, clicks: g.clicks, ctr: g.ctr }));
      campaigns.push({
        campaign: c.campaign,
        kind: 'ads' as const,
        first_ts: c.first_ts,
        last_ts,
        impressions: t.impressions,
        clicks: t.clicks,
        ctr: t.ctr,
        trend,
      });
    }
  }
  sendJson(res, 200, { window: windowOf(q) ?? null, campaigns });
}

export async function getTimeseries(res: ServerResponse, deps: DashboardApiDeps, campaign: string, q: URLSearchParams): Promise<void> {
  const { interval, window } = parseQuery(timeseriesQuery, q);
  sendJson(res, 200, await runTimeseries(deps.store, { campaign, interval, window }));
}

/** The facts the diagnosis reads, from the report's totals, send-day cohorts, steps and links. */
function emailFacts(byDay: EmailReport, steps: EmailReport, links: EmailReport, kind: KindChoice): EmailFacts {
  const t = byDay.totals;
  return {
    kind: 'email',
    delivered: t.delivered,
    unique_opens: t.unique_opens,
    unique_clicks: t.unique_clicks,
    replies: t.replies,
    ctr: t.ctr,
    ctor: t.ctor,
    reply_rate: t.reply_rate,
    privacy_hidden_rate: t.privacy_hidden_rate,
    raw_ctr: t.raw.ctr,
    sequence: steps.groups.filter((g) => g.key !== null).length > 1,
    email_kind: kind.kind,
    link_clicks: (links.groups as LinkGroup[]).map((g) => g.unique_clicks),
    cohorts: (byDay.groups as EmailGroup[]).map((g) => ({ delivered: g.delivered, unique_opens: g.unique_opens, unique_clicks: g.unique_clicks })),
  };
}

/** The kind of an email campaign: set by a user, or inferred from its steps and replies. */
function kindOf(deps: DashboardApiDeps, campaign: string, byDay: EmailReport, steps: EmailReport): Promise<KindChoice> {
  return campaignKind(deps.store, campaign, { steps: steps.groups.filter((g) => g.key !== null).length, replies: byDay.totals.replies });
}

/** Findings in plain sentences, the benchmark ranges they used, and the words for each machine reason. */
async function diagnosis(
  deps: DashboardApiDeps,
  campaign: string,
  window: string | undefined,
  byDay: Report,
  steps?: Report,
  links?: Report,
): Promise<Diagnosis> {
  let facts: EmailFacts | AdFacts;
  let codes: string[];
  let kind: KindChoice | undefined;
  if (byDay.kind === 'email') {
    kind = await kindOf(deps, campaign, byDay, steps as EmailReport);
    facts = emailFacts(byDay, steps as EmailReport, links as EmailReport, kind);
    codes = [...Object.keys(byDay.totals.machine_reasons.opens), ...Object.keys(byDay.totals.machine_reasons.clicks)];
  } else {
    const t = byDay.totals;
    facts = { kind: 'ads', impressions: t.impressions, clicks: t.clicks, ctr: t.ctr, raw_clicks: t.raw.clicks };
    codes = Object.keys(t.machine_reasons.clicks);
  }
  const reasons: Record<string, string> = {};
  for (const c of codes) reasons[c] = describeReason(c);
  const benchmarks = facts.kind === 'email' ? deps.benchmarks.email[facts.email_kind] : deps.benchmarks.ads;
  return { campaign, window: window ?? null, findings: diagnose(facts, deps.benchmarks), benchmarks, ...(kind ? { email_kind: kind } : {}), reasons };
}

export async function getDiagnosis(res: ServerResponse, deps: DashboardApiDeps, campaign: string, q: URLSearchParams): Promise<void> {
  const window = windowOf(q);
  const [byDay, steps, links] = await runReports(deps.store, { campaign, window }, (kind) => (kind === 'email' ? ['day', 'step', 'link'] : ['day']));
  sendJson(res, 200, await diagnosis(deps, campaign, window, byDay!, steps, links));
}

/**
 * Everything a campaign page shows but its time series, computed together: totals, steps, variants,
 * links and the diagnosis of an email campaign (one pass over its events, see compile-email.ts), or
 * totals, ads and the diagnosis of an ad campaign.
 */
export async function getCampaignPage(res: ServerResponse, deps: DashboardApiDeps, campaign: string, q: URLSearchParams): Promise<void> {
  const window = windowOf(q);
  const templates = await deps.store.listTemplates(campaign);
  const [report, ...rest] = await runReports(deps.store, { campaign, window }, (kind) =>
    // An ad campaign has ads instead of steps, variants and links (report-plan.ts).
    kind === 'email' ? [null, 'day', 'step', 'variant', 'link'] : [null, 'day', 'ad'],
  );
  if (report!.kind === 'email') {
    const [byDay, steps, variants, links] = rest;
    const d = await diagnosis(deps, campaign, window, byDay!, steps, links);
    const verdict_check = await verdictCheck(deps.store, campaign);
    sendJson(res, 200, {
      kind: 'email',
      currency: deps.currency,
      report,
      steps,
      variants,
      links,
      diagnosis: d,
      templates: await withLinks(deps, campaign, templates),
      verdict_check,
    });
  } else {
    const [byDay, ads] = rest;
    sendJson(res, 200, { kind: 'ads', currency: deps.currency, report, ads, diagnosis: await diagnosis(deps, campaign, undefined, byDay!) });
  }
}

/** Each template with its number of web links, so a page opens its click map on one that has some. */
async function withLinks(deps: DashboardApiDeps, campaign: string, templates: Array<Omit<TemplateRecord, 'html'>>) {
  const out = [];
  for (const t of templates) {
    const full = await deps.store.getTemplate(campaign, t.step, t.variant);
    out.push({ ...t, links: full ? countLinks(full.html) : 0 });
  }
  return out;
}

/** GET …/settings: what was set for the campaign, and the kind the page uses (set or inferred). */
export async function getSettings(res: ServerResponse, deps: DashboardApiDeps, campaign: string): Promise<void> {
  const [byDay, steps] = await runReports(deps.store, { campaign }, (kind) => (kind === 'email' ? ['day', 'step'] : ['day']));
  const set = await deps.store.getCampaignSettings(campaign);
  const effective = byDay!.kind === 'email' ? await kindOf(deps, campaign, byDay!, steps as EmailReport) : null;
  sendJson(res, 200, { campaign, kind: set?.kind ?? null, email_kind: effective });
}

/**
 * PUT …/settings {"kind": "outreach"}: sets an email campaign's kind (null: infer it again). Refused for
 * an unknown campaign (nothing is stored for it) and for an ad campaign, whose range is the ads'.
 */
export async function putSettings(req: IncomingMessage, res: ServerResponse, deps: DashboardApiDeps, campaign: string): Promise<void> {
  const body = parseSettingsBody(await readJson(req, SETTINGS_LIMIT));
  const known = (await listCampaigns(deps.store)).find((c) => c.campaign === campaign);
  if (!known) throw new ClickrateError('CR_ERR_NOT_FOUND', `no events for campaign '${campaign}'`, { campaign });
  if (known.kind !== 'email')
    throw new ClickrateError('CR_ERR_BAD_INPUT', `'${campaign}' is an ad campaign; only email campaigns have a kind`, { field: 'kind' });
  await deps.store.setCampaignSettings({ campaign, kind: body.kind, updated_at: Date.now() });
  await getSettings(res, deps, campaign);
}

export async function getTemplates(res: ServerResponse, deps: DashboardApiDeps, campaign: string): Promise<void> {
  sendJson(res, 200, { campaign, templates: await withLinks(deps, campaign, await deps.store.listTemplates(campaign)) });
}

/** The template as HTML with its links marked; framed by the dashboard in a sandbox, never run. */
export async function getClickMap(res: ServerResponse, deps: DashboardApiDeps, campaign: string, q: URLSearchParams): Promise<void> {
  const query = parseQuery(clickMapQuery, q);
  const step = query.step ? Number(query.step) : null;
  const variant = query.variant || null;
  const t = await deps.store.getTemplate(campaign, step, variant);
  if (!t) throw new ClickrateError('CR_ERR_NOT_FOUND', `no template for campaign '${campaign}' step ${step ?? '-'} variant ${variant ?? '-'}`, { campaign });
  // The window is checked as a report's is (its text, its limits) before it bounds the clicks.
  const window = parseReportQuery({ campaign, window: windowOf(q) }).window;
  const shares = await templateLinkShares(deps.store, campaign, step, variant, window?.ms ?? null);
  const { html } = annotateClickMap(t.html, shares);
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    // TRICKY: the CSP `sandbox` holds even if someone opens this URL in a tab, outside the sandboxed frame.
    'content-security-policy': `${CLICK_MAP_CSP}; frame-ancestors 'self'`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

const count = (v: string | undefined): number | undefined => (v === undefined || v.trim() === '' ? undefined : Number(v));

/** `calc` over HTTP: the same validation, rates, intervals and warnings as the CLI. */
export function getCalc(res: ServerResponse, q: URLSearchParams): void {
  const p = parseQuery(calcQuery, q, 'CR_ERR_BAD_INPUT');
  const result = calc({ clicks: Number(p.clicks), delivered: count(p.delivered), opens: count(p.opens), impressions: count(p.impressions) });
  sendJson(res, 200, result);
}

/** Raw events of a campaign as JSON Lines, streamed page by page with backpressure. */
export async function streamEvents(res: ServerResponse, deps: DashboardApiDeps, campaign: string): Promise<void> {
  const pages = campaignEventPages(deps.store, campaign);
  const first = await pages.next();
  if (first.done) throw new ClickrateError('CR_ERR_NOT_FOUND', `no events for campaign '${campaign}'`, { campaign });
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="${campaign.replace(/[^\w.-]/g, '_')}-events.jsonl"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  let page: IteratorResult<Array<Record<string, unknown>>> = first;
  while (!page.done) {
    const chunk = page.value.map((e) => JSON.stringify(e)).join('\n') + '\n';
    if (res.destroyed) return void (await pages.return(undefined));
    // TRICKY: wait for 'close' too: a client that hangs up never drains, and the export would hang forever.
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    page = await pages.next();
  }
  res.end();
}
