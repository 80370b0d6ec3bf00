// What the API answers, as zod schemas for the API description (openapi.ts): the report of a campaign
// (metrics/report-types.ts), its list, and the parts the dashboard routes share. The API tests validate
// real answers against these, so a field renamed in the code and not here fails a test. Figures nested
// deeper than a report's totals and groups are described as open objects of numbers: their meanings are
// in SPEC.md ("Metrics"), one place.
import { z } from 'zod';
import { nameSchema } from './route-docs.js';

/** A 95% Wilson interval in percent, or null when the rate has none. */
const interval = z.tuple([z.number(), z.number()]).nullable();
const rate = z.number().nullable();
const count = z.number().int().min(0);
/** Groups are keyed by a day, step, variant, link, ad or segment: a string, a number or none. */
const groupKey = z.union([z.string(), z.number(), z.null()]);
const byReason = z.record(z.string(), count);

const emailMetrics = {
  sent: count,
  bounced: count,
  delivered: count,
  unique_opens: count,
  implied_opens: count,
  unique_clicks: count,
  total_clicks: count,
  machine_opens: count,
  scanner_clicks: count,
  privacy_hidden: count,
  replies: count,
  auto_replies: count,
  opt_out_replies: count,
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
  ctr_ci: interval,
  ctor_ci: interval,
  open_rate_ci: interval,
  reply_rate_ci: interval,
  median_time_to_reply_s: z.number().min(0).nullable().describe('Lower median of seconds from send to the first human reply; null when none replied.'),
  raw: z.record(z.string(), z.number().nullable()).describe('The same figures with every machine event counted (SPEC.md: raw).'),
};

const adMetrics = {
  impressions: count,
  clicks: count,
  machine_clicks: count,
  conversions: count,
  revenue: z.number(),
  ctr: rate,
  ctr_ci: interval,
  raw: z.strictObject({ clicks: count, ctr: rate }),
};

/** A group of an email report: the email figures, or a link's (by=link). */
const emailGroup = z.union([
  z.looseObject({ key: groupKey, ...emailMetrics, comparison: z.looseObject({ control: z.string() }).nullable().optional() }),
  z.strictObject({
    key: z.string(),
    unique_clicks: count,
    total_clicks: count,
    scanner_clicks: count,
    ctr: rate,
    ctr_ci: interval,
    click_share: rate,
    raw: z.strictObject({ unique_clicks: count, total_clicks: count, ctr: rate }),
  }),
]);

export const reportSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    campaign: z.string(),
    kind: z.literal('email'),
    window: z.string().nullable(),
    by: z.string().nullable(),
    control: z.string().nullable().optional(),
    totals: z.strictObject({ ...emailMetrics, orphans: count, machine_reasons: z.strictObject({ opens: byReason, clicks: byReason }) }),
    groups: z.array(emailGroup),
  }),
  z.strictObject({
    campaign: z.string(),
    kind: z.literal('ads'),
    window: z.null(),
    by: z.string().nullable(),
    totals: z.strictObject({ ...adMetrics, orphans: count, machine_reasons: z.strictObject({ clicks: byReason }) }),
    groups: z.array(z.strictObject({ key: groupKey, ...adMetrics })),
  }),
]);

nameSchema('Report', reportSchema);

export const campaignListSchema = z.strictObject({
  campaigns: z.array(
    z.strictObject({
      campaign: z.string(),
      kind: z.enum(['email', 'ads']),
      messages: count.describe('Messages sent (email); 0 for ad campaigns.'),
      impressions: count.describe('Impression events (ads); 0 for email campaigns.'),
      first_ts: z.string(),
      last_ts: z.string(),
    }),
  ),
});

/** A campaign id in the path, percent-encoded. */
export const campaignParam = z.strictObject({ campaign: z.string().min(1).describe('The campaign id.') });

/** The reporting window of an email campaign (SPEC.md: 7d, 48h, …; empty: no window). */
export const windowParam = z.string().optional().describe('Count clicks and opens within this time of each send (e.g. 7d, 48h).');
