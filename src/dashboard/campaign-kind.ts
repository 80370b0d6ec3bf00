// Which kind of email a campaign is, for its benchmark ranges: the kind a user set (PUT …/settings), or
// else one inferred from what its events show, marked as inferred with the reason.
import type { z } from 'zod';
import { ClickrateError } from '../errors.js';
import type { Store } from '../store/store.js';
import { settingsBody } from './dashboard-api-docs.js';
import type { KindChoice } from './dashboard-schemas.js';

/** What the inference reads: the steps the campaign sent and its replies. */
export interface KindEvidence {
  steps: number;
  replies: number;
}

/**
 * Sequence steps and replies are how cold outreach looks (SPEC.md: replies are its measure); anything
 * else reads as promotional, the kind most bulk mail is. A newsletter or transactional stream looks like
 * promotional mail in its events, so only a user can say so.
 */
function inferKind(e: KindEvidence): KindChoice {
  if (e.steps > 1) return { kind: 'outreach', inferred: true, why: `${e.steps} sequence steps were sent` };
  if (e.replies > 0) return { kind: 'outreach', inferred: true, why: `${e.replies.toLocaleString('en-US')} replies were recorded` };
  return { kind: 'promotional', inferred: true, why: 'no sequence steps and no replies' };
}

export async function campaignKind(store: Store, campaign: string, evidence: KindEvidence): Promise<KindChoice> {
  const set = await store.getCampaignSettings(campaign);
  if (set?.kind) return { kind: set.kind, inferred: false, why: 'set for this campaign' };
  return inferKind(evidence);
}

/** The body of PUT …/settings, checked with the schema the API description shows; the error names the field. */
export function parseSettingsBody(body: unknown): z.output<typeof settingsBody> {
  const r = settingsBody.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new ClickrateError('CR_ERR_BAD_INPUT', issue.message, { field: issue.code === 'unrecognized_keys' ? issue.keys[0] : 'kind' });
}
