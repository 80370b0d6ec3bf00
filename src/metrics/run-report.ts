// The report pipeline (after Plausible's query_runner): parse → profile → plan → compile → execute →
// shape. Every step but execute is pure; execute is the only one that talks to a store.
import type { Store } from '../store/store.js';
import { compileAdReport } from './compile-ads.js';
import { compileCampaignProfile, compileEmailReport, compileLinkReport } from './compile-email.js';
import { planReport } from './report-plan.js';
import { parseReportQuery, type ReportQueryInput } from './report-query.js';
import { shapeAdReport, shapeEmailReport } from './report-shape.js';
import type { Report } from './report-types.js';

export async function runReport(store: Store, input: ReportQueryInput): Promise<Report> {
  const query = parseReportQuery(input);
  const [profile] = await store.query(compileCampaignProfile(query.campaign, store.dialect));
  const counts = { messages: Number(profile?.messages ?? 0), adEvents: Number(profile?.ad_events ?? 0) };
  const orphans = Number(profile?.orphans ?? 0);
  const plan = planReport(query, counts);
  if (plan.kind === 'ads') {
    return shapeAdReport(plan, await store.query(compileAdReport(plan, store.dialect)), orphans);
  }
  if (plan.grouping === 'link') {
    // Sequential on purpose: one embedded connection runs one statement at a time.
    const totals = await store.query(compileEmailReport({ ...plan, grouping: null }, store.dialect));
    const links = await store.query(compileLinkReport(plan, store.dialect));
    return shapeEmailReport(plan, totals, orphans, links);
  }
  return shapeEmailReport(plan, await store.query(compileEmailReport(plan, store.dialect)), orphans, null);
}
