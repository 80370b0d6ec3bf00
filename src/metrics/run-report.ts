// The report pipeline (after Plausible's query_runner): parse → profile → plan → compile → execute →
// shape. Every step but execute is pure; execute is the only one that talks to a store.
import type { Store } from '../store/store.js';
import { compileAdMachineReasons, compileAdReport } from './compile-ads.js';
import { compileCampaignProfile, compileEmailMachineReasons, compileEmailReport, compileLinkReport } from './compile-email.js';
import { machineReasons } from './machine-reasons.js';
import { planReport } from './report-plan.js';
import { parseReportQuery, type ReportQueryInput } from './report-query.js';
import { shapeAdReport, shapeEmailReport } from './report-shape.js';
import type { Report } from './report-types.js';

// Queries run one after another on purpose: one embedded connection runs one statement at a time.
export async function runReport(store: Store, input: ReportQueryInput): Promise<Report> {
  const query = parseReportQuery(input);
  const [profile] = await store.query(compileCampaignProfile(query.campaign, store.dialect));
  const counts = { messages: Number(profile?.messages ?? 0), adEvents: Number(profile?.ad_events ?? 0) };
  const orphans = Number(profile?.orphans ?? 0);
  const plan = planReport(query, counts);
  if (plan.kind === 'ads') {
    const rows = await store.query(compileAdReport(plan, store.dialect));
    const reasons = machineReasons(await store.query(compileAdMachineReasons(plan, store.dialect)));
    return shapeAdReport(plan, rows, orphans, reasons);
  }
  const reasons = machineReasons(await store.query(compileEmailMachineReasons(plan, store.dialect)));
  if (plan.grouping === 'link') {
    const totals = await store.query(compileEmailReport({ ...plan, grouping: null }, store.dialect));
    const links = await store.query(compileLinkReport(plan, store.dialect));
    return shapeEmailReport(plan, totals, orphans, links, reasons);
  }
  return shapeEmailReport(plan, await store.query(compileEmailReport(plan, store.dialect)), orphans, null, reasons);
}
