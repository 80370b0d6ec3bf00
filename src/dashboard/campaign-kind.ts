// Which kind of email a campaign is, for its benchmark ranges: the kind a user set (PUT …/settings), or
// else one inferred from what its events show, marked as inferred with the reason.
import { ClickrateError } from '../errors.js';
import { isEmailKind, EMAIL_KINDS, type EmailKind, type KindChoice } from '../store/campaign-settings.js';
import type { Store } from '../store/store.js';

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

/** The body of PUT …/settings: {"kind": "outreach"} sets the kind, {"kind": null} goes back to inferring it. */
export function parseSettingsBody(body: unknown): { kind: EmailKind | null } {
  const o = body as { kind?: unknown } | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o) || !('kind' in o)) {
    throw new ClickrateError('CR_ERR_BAD_INPUT', 'the body must be a JSON object with "kind"', { field: 'kind' });
  }
  const extra = Object.keys(o).filter((k) => k !== 'kind');
  if (extra.length > 0) throw new ClickrateError('CR_ERR_BAD_INPUT', `unknown setting "${extra[0]}"; only "kind" can be set`, { field: extra[0] });
  if (o.kind === null || isEmailKind(o.kind)) return { kind: o.kind };
  throw new ClickrateError('CR_ERR_BAD_INPUT', `kind must be one of ${EMAIL_KINDS.join(', ')} (or null to infer it); got ${JSON.stringify(o.kind)}`, {
    field: 'kind',
  });
}
