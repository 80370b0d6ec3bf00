// The API description of the dashboard's routes (dashboard-api.ts): their query and body schemas, which
// the handlers parse with, and the shape of their answers (route-docs.ts, openapi.ts). Answers that have
// a type in the code are described by the schema that type is inferred from (dashboard-schemas.ts,
// metrics/report-schema.ts, classify/verdict-check-schema.ts); the overview and settings are built here.
import { z } from 'zod';
import { verdictCheckSchema } from '../classify/verdict-check-schema.js';
import { campaignParam, reportSchema, windowParam } from '../http/api-schemas.js';
import { describeRoute, nameSchema } from '../http/route-docs.js';
import { calcResultSchema, timeseriesSchema } from '../metrics/report-schema.js';
import { EMAIL_KINDS } from '../store/campaign-settings.js';
import { diagnosisSchema, kindChoiceSchema, templateInfoSchema } from './dashboard-schemas.js';

const rate = z.number().nullable();
const count = z.number().int().min(0);

const windowQuery = z.object({ window: windowParam });

export const clickMapQuery = z.object({
  step: z
    .string()
    .regex(/^([1-9][0-9]*)?$/, 'step must be a whole number ≥ 1')
    .optional()
    .describe('The step whose template to show (absent or empty: the one without a step).'),
  variant: z.string().optional().describe('The variant whose template to show.'),
  window: windowParam,
});

export const timeseriesQuery = z.object({
  interval: z.enum(['hour', 'day', ''], { error: 'interval must be hour or day' }).optional().describe('Bucket size (default: day).'),
  window: windowParam,
});

/** `calc` over HTTP: presence here; the numbers are checked by calc() itself, as for the CLI. */
export const calcQuery = z.object({
  clicks: z.string({ error: 'clicks is required' }).trim().min(1, 'clicks is required').describe('Unique clicks (email) or clicks (ads).'),
  delivered: z.string().optional().describe('Delivered messages (email).'),
  opens: z.string().optional().describe('Unique opens (email).'),
  impressions: z.string().optional().describe('Impressions (ads).'),
});

const MUST_BE_OBJECT = 'the body must be a JSON object with "kind"';

/**
 * The body of PUT …/settings: {"kind": "outreach"} sets the kind, {"kind": null} goes back to inferring
 * it. The messages are the answer's (campaign-kind.ts parseSettingsBody): each names the field.
 */
export const settingsBody = z.strictObject(
  {
    kind: z
      .enum(EMAIL_KINDS, {
        error: (iss) =>
          iss.input === undefined ? MUST_BE_OBJECT : `kind must be one of ${EMAIL_KINDS.join(', ')} (or null to infer it); got ${JSON.stringify(iss.input)}`,
      })
      .nullable(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown setting "${iss.keys[0]}"; only "kind" can be set` : MUST_BE_OBJECT) },
);

nameSchema('Diagnosis', diagnosisSchema);

const overviewCampaign = z.discriminatedUnion('kind', [
  z.strictObject({
    campaign: z.string(),
    kind: z.literal('email'),
    first_ts: z.string(),
    last_ts: z.string(),
    sent: count,
    delivered: count,
    unique_clicks: count,
    ctr: rate,
    ctor: rate,
    reply_rate: rate,
    trend: z.array(z.strictObject({ t: z.number().nullable(), sent: count, delivered: count, ctr: rate, ctor: rate, reply_rate: rate })),
  }),
  z.strictObject({
    campaign: z.string(),
    kind: z.literal('ads'),
    first_ts: z.string(),
    last_ts: z.string(),
    impressions: count,
    clicks: count,
    ctr: rate,
    trend: z.array(z.strictObject({ t: z.number().nullable(), impressions: count, clicks: count, ctr: rate })),
  }),
]);

const get = { method: 'get', tag: 'dashboard', auth: 'key' } as const;

describeRoute({
  ...get,
  path: '/api/v1/dashboard/overview',
  summary: 'Every campaign’s headline figures with a daily trend',
  query: windowQuery,
  responses: { 200: { description: 'The overview.', schema: z.strictObject({ window: z.string().nullable(), campaigns: z.array(overviewCampaign) }) } },
});
describeRoute({
  ...get,
  path: '/api/v1/campaigns/{campaign}/page',
  summary: 'Everything a campaign page shows but its time series',
  params: campaignParam,
  query: windowQuery,
  responses: {
    200: {
      description: 'The report with its breakdowns and the diagnosis.',
      schema: z.discriminatedUnion('kind', [
        z.strictObject({
          kind: z.literal('email'),
          currency: z.string(),
          report: reportSchema,
          steps: reportSchema,
          variants: reportSchema,
          links: reportSchema,
          diagnosis: diagnosisSchema,
          templates: z.array(templateInfoSchema),
          verdict_check: verdictCheckSchema,
        }),
        z.strictObject({ kind: z.literal('ads'), currency: z.string(), report: reportSchema, ads: reportSchema, diagnosis: diagnosisSchema }),
      ]),
    },
  },
});
const settings = z.strictObject({
  campaign: z.string(),
  kind: z.enum(EMAIL_KINDS).nullable().describe('The kind a user set (null: none set).'),
  email_kind: kindChoiceSchema.nullable().describe('The kind the page uses, set or inferred (null: an ad campaign).'),
});
describeRoute({
  ...get,
  path: '/api/v1/campaigns/{campaign}/settings',
  summary: 'An email campaign’s kind: as set, and as the page uses it',
  params: campaignParam,
  responses: { 200: { description: 'The settings.', schema: settings } },
});
describeRoute({
  ...get,
  method: 'put',
  path: '/api/v1/campaigns/{campaign}/settings',
  summary: 'Set an email campaign’s kind (null: infer it again)',
  params: campaignParam,
  body: { schema: settingsBody },
  responses: { 200: { description: 'The settings as they are now.', schema: settings } },
});
describeRoute({
  ...get,
  path: '/api/v1/campaigns/{campaign}/timeseries',
  summary: 'Human and machine opens and clicks per hour or day',
  params: campaignParam,
  query: timeseriesQuery,
  responses: {
    200: {
      description: 'The series.',
      schema: timeseriesSchema,
    },
  },
});
describeRoute({
  ...get,
  path: '/api/v1/campaigns/{campaign}/diagnosis',
  summary: 'Findings in plain sentences, with the benchmark ranges they used',
  params: campaignParam,
  query: windowQuery,
  responses: { 200: { description: 'The diagnosis.', schema: diagnosisSchema } },
});
describeRoute({
  ...get,
  path: '/api/v1/campaigns/{campaign}/templates',
  summary: 'The campaign’s kept templates (without their HTML)',
  params: campaignParam,
  responses: { 200: { description: 'The templates.', schema: z.strictObject({ campaign: z.string(), templates: z.array(templateInfoSchema) }) } },
});
describeRoute({
  ...get,
  path: '/api/v1/campaigns/{campaign}/click-map',
  summary: 'A template as HTML with each link marked by its share of clicks',
  description: 'Served with a sandboxing Content-Security-Policy: shown in a frame, never run.',
  params: campaignParam,
  query: clickMapQuery,
  responses: { 200: { description: 'The annotated template.', schema: z.string(), contentType: 'text/html' } },
});
describeRoute({
  ...get,
  path: '/api/v1/campaigns/{campaign}/events.jsonl',
  summary: 'The campaign’s raw events as JSON Lines (streamed)',
  params: campaignParam,
  responses: { 200: { description: 'One event per line.', schema: z.string(), contentType: 'application/x-ndjson' } },
});
describeRoute({
  ...get,
  tag: 'reports',
  path: '/api/v1/calc',
  summary: 'Rates and 95% intervals from counts, as `clickrate calc`',
  query: calcQuery,
  responses: {
    200: {
      description: 'The rates, their intervals and warnings.',
      schema: calcResultSchema,
    },
  },
});
