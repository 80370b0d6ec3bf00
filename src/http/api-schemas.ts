// What the API answers, for the API description (openapi.ts): the report of a campaign and the campaign
// list, whose zod schemas are the one definition in metrics/report-schema.ts (the types the code uses
// are inferred from them), and the parameters the report and dashboard routes share. The API tests
// validate real answers against these, so a field renamed in the code and not in the schema fails a test.
import { z } from 'zod';
import { campaignSummarySchema, reportSchema } from '../metrics/report-schema.js';
import { nameSchema } from './route-docs.js';

nameSchema('Report', reportSchema);

export { reportSchema };

export const campaignListSchema = z.strictObject({ campaigns: z.array(campaignSummarySchema) });

/** A campaign id in the path, percent-encoded. */
export const campaignParam = z.strictObject({ campaign: z.string().min(1).describe('The campaign id.') });

/** The reporting window of an email campaign (SPEC.md: 7d, 48h, …; empty: no window). */
export const windowParam = z.string().optional().describe('Count clicks and opens within this time of each send (e.g. 7d, 48h).');
