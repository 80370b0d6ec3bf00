// The shapes of what reports answer (SPEC.md "report --json"), defined once as zod schemas: the report
// of a campaign, its time series, the campaign list, and calc's figures. The TypeScript types (report-types.ts) are inferred
// from them, and the API description (http/api-schemas.ts, openapi.ts) is generated from them, with the
// descriptions given here. Rates are percentages at full precision; a rate over a zero denominator is null.
import { z } from 'zod';

/** A 95% Wilson interval in percent, or null when the rate has none. */
export const intervalSchema = z.tuple([z.number(), z.number()]).nullable();
const rate = z.number().nullable();
const count = z.number().int().min(0);
/** Groups are keyed by a day, step, variant, link, ad or segment: a string, a number or none. */
export const groupKeySchema = z.union([z.string(), z.number(), z.null()]);
const byReason = z.record(z.string(), count);

/** One variant against the control (stats.ts abVerdict, SPEC.md "A/B"). */
export const abVerdictSchema = z.strictObject({
  control_rate: rate,
  variant_rate: rate,
  lift: z.number().nullable().describe('Relative lift of the variant over control, %.'),
  z: z.number().nullable(),
  p_value: z.number().nullable(),
  significant: z.boolean().describe('p < 0.05 on a testable comparison; always false when `reason` is set.'),
  reason: z.string().optional().describe('Why no test was run, when it was not.'),
});

export const emailMetricsSchema = z.strictObject({
  sent: count,
  bounced: count,
  delivered: count,
  unique_opens: count,
  implied_opens: count,
  unique_clicks: count,
  total_clicks: count,
  machine_opens: count,
  scanner_clicks: count,
  privacy_hidden: count.describe('Delivered messages whose only opens were machine ones: their real opens cannot be seen.'),
  replies: count.describe('Delivered messages with a person’s reply (auto-replies and opt-outs read from a mailbox set aside).'),
  auto_replies: count.describe('Delivered messages with an automatic answer (out of office, RFC 3834 Auto-Submitted, …).'),
  opt_out_replies: count.describe('Delivered messages whose recipient answered asking not to be written to again.'),
  unsubscribes: count,
  complaints: count,
  conversions: count,
  revenue: z.number(),
  ctr: rate,
  ctor: rate,
  open_rate: rate,
  reply_rate: rate,
  bounce_rate: rate,
  unsubscribe_rate: rate,
  complaint_rate: rate,
  privacy_hidden_rate: rate,
  revenue_per_recipient: rate,
  ctr_ci: intervalSchema,
  ctor_ci: intervalSchema,
  open_rate_ci: intervalSchema,
  reply_rate_ci: intervalSchema,
  median_time_to_reply_s: z
    .number()
    .min(0)
    .nullable()
    .describe('Lower median of seconds from send to the first human reply; null when none replied (metrics.md "Time to first reply").'),
  raw: z
    .strictObject({ unique_opens: count, unique_clicks: count, total_clicks: count, ctr: rate, ctor: rate, open_rate: rate })
    .describe('The same figures with every machine event counted (SPEC.md: raw).'),
});

// The key first, as a group is read: spread rather than .extend, which would append it.
export const emailGroupSchema = z.strictObject({
  key: groupKeySchema,
  ...emailMetricsSchema.shape,
  comparison: z
    .strictObject({ control: z.string(), ctr: abVerdictSchema, ctor: abVerdictSchema })
    .nullable()
    .optional()
    .describe('With by=variant: this variant against the control (null on the control itself).'),
});

export const linkGroupSchema = z.strictObject({
  key: z.string(),
  unique_clicks: count,
  total_clicks: count,
  scanner_clicks: count,
  ctr: rate.describe('100 × unique clicks on this link ÷ delivered of the whole selection.'),
  ctr_ci: intervalSchema,
  click_share: rate.describe('This link’s unique clicks ÷ the sum of unique clicks over links (a fraction, SPEC.md).'),
  raw: z.strictObject({ unique_clicks: count, total_clicks: count, ctr: rate }),
});

export const emailReportSchema = z.strictObject({
  campaign: z.string(),
  kind: z.literal('email'),
  window: z.string().nullable(),
  by: z.string().nullable(),
  control: z.string().nullable().optional(),
  totals: emailMetricsSchema.extend({
    orphans: count,
    machine_reasons: z
      .strictObject({ opens: byReason, clicks: byReason })
      .describe('What was set aside as machines, by reason code (an event with several reasons counts under each).'),
  }),
  /** A group of an email report: the email figures, or a link's (by=link). */
  groups: z.array(z.union([emailGroupSchema, linkGroupSchema])),
});

export const adMetricsSchema = z.strictObject({
  impressions: count,
  clicks: count,
  machine_clicks: count,
  conversions: count,
  revenue: z.number(),
  ctr: rate,
  ctr_ci: intervalSchema,
  raw: z.strictObject({ clicks: count, ctr: rate }),
});

export const adReportSchema = z.strictObject({
  campaign: z.string(),
  kind: z.literal('ads'),
  window: z.null(),
  by: z.string().nullable(),
  totals: adMetricsSchema.extend({ orphans: count, machine_reasons: z.strictObject({ clicks: byReason }) }),
  groups: z.array(z.strictObject({ key: groupKeySchema, ...adMetricsSchema.shape })),
});

export const reportSchema = z.discriminatedUnion('kind', [emailReportSchema, adReportSchema]);

/** The buckets of a campaign's time series. */
export const timeIntervalSchema = z.enum(['hour', 'day']);

export const timeseriesSchema = z.strictObject({
  campaign: z.string(),
  kind: z.enum(['email', 'ads']),
  interval: timeIntervalSchema,
  window: z.string().nullable(),
  points: z.array(
    z.strictObject({
      t: z.number().describe('Bucket start, epoch ms (UTC).'),
      human_opens: count,
      machine_opens: count,
      human_clicks: count,
      machine_clicks: count,
      impressions: count.describe('Ads only: impression events.'),
    }),
  ),
});

/** One campaign a store knows (list-campaigns.ts). */
export const campaignSummarySchema = z.strictObject({
  campaign: z.string(),
  kind: z.enum(['email', 'ads']),
  messages: count.describe('Messages sent (email); 0 for ad campaigns.'),
  impressions: count.describe('Impression events (ads); 0 for email campaigns.'),
  first_ts: z.string(),
  last_ts: z.string(),
});

/** What calc answers (calc.ts): the counts given, the rates they allow, their intervals, warnings. */
export const calcResultSchema = z.strictObject({
  kind: z.enum(['email', 'ad']).describe('email: delivered and/or opens were given; ad: impressions were given.'),
  clicks: count,
  delivered: count.optional(),
  opens: count.optional(),
  impressions: count.optional(),
  ctr: rate.optional().describe('Email: 100 × unique clicks ÷ delivered. Ads: 100 × clicks ÷ impressions (SPEC.md uses `ctr` for both).'),
  ctor: rate.optional().describe('100 × unique clicks ÷ unique opens.'),
  open_rate: rate.optional().describe('100 × unique opens ÷ delivered.'),
  ci: z
    .strictObject({ ctr: intervalSchema.optional(), ctor: intervalSchema.optional(), open_rate: intervalSchema.optional() })
    .describe('95% Wilson interval (percentages) for each rate present above; null when it has none.'),
  warnings: z.array(z.string()),
});
