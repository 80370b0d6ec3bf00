// The shapes of the dashboard API's own answers, defined once as zod schemas: a benchmark range, a
// campaign's kind as the page uses it, the diagnosis and a kept template. The types the code and the web
// client use are inferred here, and the API description (dashboard-api-docs.ts) is generated from the
// same schemas, with the descriptions given here.
import { z } from 'zod';
import { EMAIL_KINDS } from '../store/campaign-settings.js';

/** A benchmark range (benchmarks.ts: defaults, overridden by CLICKRATE_BENCHMARKS). */
const rangeSchema = z.strictObject({
  low: z.number().describe('Percent. Below this the figure is "low".'),
  high: z.number().describe('Percent. Above this the figure is "high".'),
  label: z.string().describe('What the range is typical of, shown beside it ("retail promotional").'),
});

/** The kind a campaign is judged as: the one a user set, or one inferred from its events (campaign-kind.ts). */
export const kindChoiceSchema = z.strictObject({
  kind: z.enum(EMAIL_KINDS),
  inferred: z.boolean().describe('True: nobody set it; `why` says what it was read from.'),
  why: z.string(),
});

/** One sentence of the diagnosis, from one rule (diagnose.ts). */
const findingSchema = z.strictObject({ code: z.string(), tone: z.enum(['good', 'warn', 'info']), text: z.string() });

/** What GET …/diagnosis answers: the findings, the benchmark ranges they used, the words for each machine reason. */
export const diagnosisSchema = z.strictObject({
  campaign: z.string(),
  window: z.string().nullable(),
  findings: z.array(findingSchema),
  benchmarks: z
    .strictObject({ ctr: rangeSchema, ctor: rangeSchema.optional(), reply_rate: rangeSchema.optional() })
    .describe('The ranges of the campaign’s kind: email has all three, ads only ctr.'),
  email_kind: kindChoiceSchema.optional().describe('An email campaign’s kind, set or inferred.'),
  reasons: z.record(z.string(), z.string()).describe('The words for each machine reason code in the figures.'),
});

/** A kept template as the page lists it: without its HTML, with its number of web links. */
export const templateInfoSchema = z.strictObject({
  campaign: z.string(),
  step: z.number().int().nullable(),
  variant: z.string().nullable(),
  saved_at: z.number(),
  links: z.number().int().min(0).describe('Web links in the template: a click map opens on the first template that has some.'),
});

export type Range = z.infer<typeof rangeSchema>;
export type KindChoice = z.infer<typeof kindChoiceSchema>;
export type Finding = z.infer<typeof findingSchema>;
export type Diagnosis = z.infer<typeof diagnosisSchema>;
export type TemplateInfo = z.infer<typeof templateInfoSchema>;
