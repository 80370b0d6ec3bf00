// The types of a report (SPEC.md "report --json"), its time series, the campaign list and calc's
// figures: what the CLI prints, the HTTP API returns and the dashboard draws. Each is inferred from its
// zod schema in report-schema.ts, the one definition. The web client imports these types as they are:
// keep this file to types, importing types only, so no schema code reaches the browser bundle.
import type { z } from 'zod';
import type {
  abVerdictSchema,
  adMetricsSchema,
  adReportSchema,
  calcResultSchema,
  campaignSummarySchema,
  emailGroupSchema,
  emailMetricsSchema,
  emailReportSchema,
  groupKeySchema,
  intervalSchema,
  linkGroupSchema,
  reportSchema,
  timeIntervalSchema,
  timeseriesSchema,
} from './report-schema.js';

export type Interval = z.infer<typeof intervalSchema>;
export type GroupKey = z.infer<typeof groupKeySchema>;
export type AbVerdict = z.infer<typeof abVerdictSchema>;
export type EmailMetrics = z.infer<typeof emailMetricsSchema>;
export type EmailGroup = z.infer<typeof emailGroupSchema>;
export type LinkGroup = z.infer<typeof linkGroupSchema>;
export type EmailReport = z.infer<typeof emailReportSchema>;
export type AdMetrics = z.infer<typeof adMetricsSchema>;
export type AdReport = z.infer<typeof adReportSchema>;
export type Report = z.infer<typeof reportSchema>;
export type TimeInterval = z.infer<typeof timeIntervalSchema>;
export type Timeseries = z.infer<typeof timeseriesSchema>;
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;
export type CalcResult = z.infer<typeof calcResultSchema>;
