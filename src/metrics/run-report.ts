// The report pipeline (after Plausible's query_runner): parse → profile → plan → compile → execute →
// shape. Every step but execute is pure; execute (here and run-parts.ts) is the only one that talks to a store.
import type { Store } from '../store/store.js';
import { compileAdMachineReasons, compileAdReport } from './compile-ads.js';
import { hasForeignClaims } from './campaign-owned.js';
import { campaignProfile, compileCampaignProfile, compileEmailReports, reportPart } from './compile-email.js';
import type { EmailPlan } from './email-ctes.js';
import { machineReasons } from './machine-reasons.js';
import { campaignKind, planReport, type ReportPlan } from './report-plan.js';
import { parseReportQuery, type ReportQueryInput } from './report-query.js';
import { delayPart } from './reply-delay.js';
import { mediansOf, shapeAdReport, shapeEmailReport } from './report-shape.js';
import type { Report } from './report-types.js';
import { queryAll, runParts } from './run-parts.js';

export async function runReport(store: Store, input: ReportQueryInput): Promise<Report> {
  const [report] = await runReports(store, input, [input.by]);
  return report!;
}

/**
 * Several breakdowns of one campaign and window (a dashboard page, a diagnosis): the same reports as
 * one runReport each, computed together. `groupings` may depend on what the campaign turns out to be
 * (an ad campaign has no steps or links). `input.by` is ignored; `input.control` applies to `variant`.
 */
export async function runReports(
  store: Store,
  input: ReportQueryInput,
  groupingsOf: readonly unknown[] | ((kind: ReportPlan['kind']) => readonly unknown[]),
): Promise<Report[]> {
  const campaign = parseReportQuery({ ...input, by: undefined, control: undefined }).campaign;
  const [profile] = await store.query(compileCampaignProfile(campaign, store.dialect));
  const counts = campaignProfile(profile);
  const orphans = Number(profile?.orphans ?? 0);
  const groupings = typeof groupingsOf === 'function' ? groupingsOf(campaignKind(counts)) : groupingsOf;
  // TRICKY: a control given for the caller's own grouping is checked as usual (an error unless by
  // variant); the other groupings of a dashboard page simply do not take it.
  const queries = groupings.map((by) => parseReportQuery({ ...input, by, control: by === input.by || by === 'variant' ? input.control : undefined }));
  const plans: ReportPlan[] = queries.map((q) => planReport(q, counts, store.dialect.layout.capabilities));
  const email = plans.filter((p): p is EmailPlan => p.kind === 'email');
  const parts =
    email.length > 0 ? await runParts(store, compileEmailReports(email, store.dialect, profile?.facts_stale !== false, hasForeignClaims(profile))) : null;
  const reports: Report[] = [];
  for (const plan of plans) {
    if (plan.kind === 'ads') {
      // Ad reports read a campaign's ad events only: small, one query each (together where the store can).
      const [rows, reasonRows] = await queryAll(store, [compileAdReport(plan, store.dialect), compileAdMachineReasons(plan, store.dialect)]);
      const reasons = machineReasons(reasonRows!);
      reports.push(shapeAdReport(plan, rows!, orphans, reasons));
      continue;
    }
    const reasons = machineReasons(parts?.get('reasons') ?? []);
    const links = plan.grouping === 'link' ? (parts?.get('links') ?? []) : null;
    const grouping = plan.grouping === 'link' ? null : plan.grouping;
    const medians = {
      totals: mediansOf(null, parts?.get(delayPart(null)) ?? []),
      groups: mediansOf(grouping, parts?.get(delayPart(grouping)) ?? []),
    };
    reports.push(shapeEmailReport(plan, parts?.get(reportPart(plan)) ?? [], orphans, links, reasons, medians));
  }
  return reports;
}
