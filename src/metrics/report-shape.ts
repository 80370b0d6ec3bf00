// Step 5 of the report pipeline (pure): count rows in, a report out. Every ratio metric is named here as
// a numerator over an explicit denominator; a zero denominator gives null (stats.ts `rate`).
import { ClickrateError } from '../errors.js';
import type { Row } from '../store/store.js';
import { AD_COUNT_COLUMNS, EMAIL_COUNT_COLUMNS, LINK_COUNT_COLUMNS, type AdCountColumn, type EmailCountColumn } from './count-columns.js';
import type { MachineReasons } from './machine-reasons.js';
import { mailboxProvider } from './mailbox-provider.js';
import type { ReportPlan } from './report-plan.js';
import type { AdMetrics, AdReport, EmailGroup, EmailMetrics, EmailReport, GroupKey, LinkGroup } from './report-types.js';
import { abVerdict, rate, wilson } from './stats.js';

type EmailCounts = Record<EmailCountColumn, number>;
type AdCounts = Record<AdCountColumn, number>;

/** The ratio metrics of an email report: [name, numerator, denominator]. */
const EMAIL_RATES = [
  ['ctr', 'unique_clicks', 'delivered'],
  ['ctor', 'unique_clicks', 'unique_opens'],
  ['open_rate', 'unique_opens', 'delivered'],
  ['reply_rate', 'replies', 'delivered'],
  ['bounce_rate', 'bounced', 'sent'],
  ['unsubscribe_rate', 'unsubscribes', 'delivered'],
  ['complaint_rate', 'complaints', 'delivered'],
  ['privacy_hidden_rate', 'privacy_hidden', 'delivered'],
] as const satisfies ReadonlyArray<readonly [string, EmailCountColumn, EmailCountColumn]>;

const num = (v: Row[string] | undefined): number => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));

function pick<C extends string>(row: Row, cols: readonly C[]): Record<C, number> {
  const out = {} as Record<C, number>;
  for (const c of cols) out[c] = num(row[c]);
  return out;
}

/**
 * Sums counts of groups. TRICKY: revenue is the only fractional column; the SQL sums it in whole
 * ten-thousandths (fixed4) and divides once, so adding groups' floats would depend on the order rows
 * arrive in (184.75 on one engine, 184.75000000000003 on another). It is summed back on that grid.
 */
function addInto<C extends string>(acc: Record<C, number>, add: Record<C, number>, cols: readonly C[]): void {
  for (const c of cols) acc[c] = c === 'revenue' ? Math.round((acc[c] + add[c]) * 10_000) / 10_000 : acc[c] + add[c];
}

function zeros<C extends string>(cols: readonly C[]): Record<C, number> {
  return Object.fromEntries(cols.map((c) => [c, 0])) as Record<C, number>;
}

/** Medians per group key (reply-delay.ts): the part's rows, keyed as the report's groups are. */
export type Medians = ReadonlyMap<string, number>;

function emailMetrics(c: EmailCounts, median: number | undefined): EmailMetrics {
  const { raw_unique_opens, raw_unique_clicks, raw_total_clicks, ...counts } = c;
  const rates = Object.fromEntries(EMAIL_RATES.map(([name, n, d]) => [name, rate(c[n], c[d])])) as Record<(typeof EMAIL_RATES)[number][0], number | null>;
  return {
    ...counts,
    ...rates,
    revenue_per_recipient: c.delivered === 0 ? null : c.revenue / c.delivered,
    ctr_ci: wilson(c.unique_clicks, c.delivered),
    ctor_ci: wilson(c.unique_clicks, c.unique_opens),
    open_rate_ci: wilson(c.unique_opens, c.delivered),
    reply_rate_ci: wilson(c.replies, c.delivered),
    median_time_to_reply_s: median ?? null,
    raw: {
      unique_opens: raw_unique_opens,
      unique_clicks: raw_unique_clicks,
      total_clicks: raw_total_clicks,
      ctr: rate(raw_unique_clicks, c.delivered),
      ctor: rate(raw_unique_clicks, raw_unique_opens),
      open_rate: rate(raw_unique_opens, c.delivered),
    },
  };
}

function dayKey(v: Row[string] | undefined): string | null {
  if (v === null || v === undefined) return null;
  return new Date(num(v) * 86_400_000).toISOString().slice(0, 10);
}

/** A row's group key as the report shows it; `named`: a provider row already names its provider. */
function rowKey(grouping: ReportPlan['grouping'], v: Row[string] | undefined, named = false): GroupKey {
  const key: GroupKey = (v ?? null) as GroupKey;
  if (grouping === 'provider') return named ? key : mailboxProvider(typeof key === 'string' ? key : null);
  if (grouping === 'day') return dayKey(v);
  if (grouping === 'step' && key !== null) return num(key);
  return key;
}

/** The medians of a delay part's rows (reply-delay.ts), by the JSON of their group key. */
export function mediansOf(grouping: ReportPlan['grouping'], rows: Row[]): Medians {
  return new Map(rows.map((r) => [JSON.stringify(rowKey(grouping, r.key, true)), num(r.median_time_to_reply_s)]));
}

/** Group rows keyed as the plan says; provider rows arrive per domain and are summed per provider. */
function groupEmailRows(plan: Extract<ReportPlan, { kind: 'email' }>, rows: Row[]): Array<{ key: GroupKey; counts: EmailCounts }> {
  const groups = new Map<string, { key: GroupKey; counts: EmailCounts }>();
  for (const row of rows) {
    const key = rowKey(plan.grouping, row.key);
    const id = JSON.stringify(key);
    const g = groups.get(id) ?? { key, counts: zeros(EMAIL_COUNT_COLUMNS) };
    addInto(g.counts, pick(row, EMAIL_COUNT_COLUMNS), EMAIL_COUNT_COLUMNS);
    groups.set(id, g);
  }
  return [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
}

/** Keys in natural order, the unlabelled group (null) last. */
function compareKeys(a: GroupKey, b: GroupKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

export function shapeEmailReport(
  plan: Extract<ReportPlan, { kind: 'email' }>,
  rows: Row[],
  orphans: number,
  linkRows: Row[] | null,
  machine_reasons: MachineReasons = { opens: {}, clicks: {} },
  medians: { totals: Medians; groups: Medians } = { totals: new Map(), groups: new Map() },
): EmailReport {
  const grouped = groupEmailRows(plan, rows);
  const total = zeros(EMAIL_COUNT_COLUMNS);
  for (const g of grouped) addInto(total, g.counts, EMAIL_COUNT_COLUMNS);
  // The totals' part has one row, whatever its key ('' or a day of the send: no grouping).
  const totals = { ...emailMetrics(total, [...medians.totals.values()][0]), orphans, machine_reasons };
  const report: EmailReport = {
    campaign: plan.query.campaign,
    kind: 'email',
    window: plan.query.window?.text ?? null,
    by: plan.grouping,
    totals,
    groups: [],
  };
  if (linkRows) {
    report.groups = shapeLinks(linkRows, total.delivered);
    return report;
  }
  if (plan.grouping === null) return report;
  const groups: EmailGroup[] = grouped.map((g) => ({ key: g.key, ...emailMetrics(g.counts, medians.groups.get(JSON.stringify(g.key))) }));
  if (plan.grouping === 'variant') addComparisons(report, groups, plan.query.control);
  report.groups = groups;
  return report;
}

/** SPEC.md: each variant against the control (the first by name unless --control), CTR and CTOR. */
function addComparisons(report: EmailReport, groups: EmailGroup[], requested: string | null): void {
  const named = groups.filter((g) => g.key !== null);
  const control = requested === null ? named[0] : named.find((g) => g.key === requested);
  if (requested !== null && !control) {
    const names = named.map((g) => g.key).join(', ');
    throw new ClickrateError('CR_ERR_BAD_QUERY', `no variant '${requested}' to use as control; variants are ${names || '(none)'}`, { field: 'control' });
  }
  report.control = control ? String(control.key) : null;
  for (const g of groups) {
    if (!control || g === control || g.key === null) {
      g.comparison = null;
      continue;
    }
    g.comparison = {
      control: String(control.key),
      ctr: abVerdict({ successes: control.unique_clicks, trials: control.delivered }, { successes: g.unique_clicks, trials: g.delivered }),
      ctor: abVerdict({ successes: control.unique_clicks, trials: control.unique_opens }, { successes: g.unique_clicks, trials: g.unique_opens }),
    };
  }
}

/** Links by people's unique clicks, then everyone's, then URL (rows arrive in no particular order). */
function shapeLinks(rows: Row[], delivered: number): LinkGroup[] {
  const sum = rows.reduce((s, r) => s + num(r.unique_clicks), 0);
  const ordered = [...rows].sort(
    (a, b) =>
      num(b.unique_clicks) - num(a.unique_clicks) ||
      num(b.raw_unique_clicks) - num(a.raw_unique_clicks) ||
      (String(a.key) < String(b.key) ? -1 : String(a.key) > String(b.key) ? 1 : 0),
  );
  return ordered.map((r) => {
    const c = pick(r, LINK_COUNT_COLUMNS);
    return {
      key: String(r.key),
      unique_clicks: c.unique_clicks,
      total_clicks: c.total_clicks,
      scanner_clicks: c.scanner_clicks,
      ctr: rate(c.unique_clicks, delivered),
      ctr_ci: wilson(c.unique_clicks, delivered),
      click_share: sum === 0 ? null : c.unique_clicks / sum,
      raw: { unique_clicks: c.raw_unique_clicks, total_clicks: c.raw_total_clicks, ctr: rate(c.raw_unique_clicks, delivered) },
    };
  });
}

function adMetrics(c: AdCounts): AdMetrics {
  return {
    impressions: c.impressions,
    clicks: c.clicks,
    machine_clicks: c.machine_clicks,
    conversions: c.conversions,
    revenue: c.revenue,
    ctr: rate(c.clicks, c.impressions),
    ctr_ci: wilson(c.clicks, c.impressions),
    raw: { clicks: c.raw_clicks, ctr: rate(c.raw_clicks, c.impressions) },
  };
}

export function shapeAdReport(
  plan: Extract<ReportPlan, { kind: 'ads' }>,
  rows: Row[],
  orphans: number,
  machine_reasons: MachineReasons = { opens: {}, clicks: {} },
): AdReport {
  const total = zeros(AD_COUNT_COLUMNS);
  const groups = rows.map((row) => {
    const c = pick(row, AD_COUNT_COLUMNS);
    addInto(total, c, AD_COUNT_COLUMNS);
    const key: GroupKey = plan.grouping === 'day' ? dayKey(row.key) : ((row.key ?? null) as GroupKey);
    return { key: key === '' ? null : key, ...adMetrics(c) };
  });
  return {
    campaign: plan.query.campaign,
    kind: 'ads',
    window: null,
    by: plan.grouping,
    totals: { ...adMetrics(total), orphans, machine_reasons: { clicks: machine_reasons.clicks } },
    groups: plan.grouping === null ? [] : groups.sort((a, b) => compareKeys(a.key, b.key)),
  };
}
