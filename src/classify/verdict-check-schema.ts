// The shape of `verdict_check` (verdict-check.ts computes it), defined once as a zod schema: the type
// the code uses is inferred from it, and the API description of the campaign page is generated from it.
import { z } from 'zod';

const count = z.number().int().min(0);

const shareSchema = z.strictObject({
  n: count.describe('Events looked at.'),
  k: count.describe('Those judged as the check expects (see each field).'),
  share: z.number().nullable().describe('k ÷ n, or null when n is 0.'),
});

export const verdictCheckSchema = z
  .strictObject({
    honeypot: shareSchema
      .extend({ by_other_signals: shareSchema })
      .describe('Honeypot requests judged machine (1 by construction), and `by_other_signals`: judged so without the honeypot signal.'),
    converting_clicks_human: shareSchema.describe('The last click before each message’s first conversion or reply, judged human (should stay near 1).'),
    // Every provider class is present (zero counts included), as verdict-check.ts answers them: an object
    // with each class named, where a record keyed by an enum would give `required` without `properties`.
    opens_machine_by_provider: z
      .strictObject({
        'apple-mpp': shareSchema,
        'gmail-proxy': shareSchema,
        'yahoo-proxy': shareSchema,
        'exchange-or-vendor': shareSchema,
        cloud: shareSchema,
        other: shareSchema,
      })
      .describe(
        'Opens judged machine, per provider class (where an open came from, by agent and published address): Gmail/Yahoo near 0, Apple’s prefetch near 1.',
      ),
  })
  .describe('The classifier checking itself on this campaign (docs/classification.md).');

export type VerdictCheck = z.infer<typeof verdictCheckSchema>;
