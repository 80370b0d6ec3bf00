// Step 2 of the report pipeline: decide what to compute from the query and what the campaign is
// (email messages or ad events), refusing breakdowns that mean nothing for that kind, and which stored
// rows to compute it from (chooseSource, after Plausible's TableDecider).
import { ClickrateError } from '../errors.js';
import type { LayoutCapabilities } from '../store/store-layout.js';
import type { Grouping, ReportQuery } from './report-query.js';

export interface CampaignProfile {
  /** Sent and delivered events naming the campaign (more than 0: it is an email campaign). */
  sends: number;
  /** Events of the campaign with no message (impressions, ad clicks, ad conversions). */
  adEvents: number;
  /** All events naming the campaign: 0 means there is no such campaign. */
  events: number;
}

/**
 * What a campaign is, the one rule for every caller: a campaign with sent messages is an email campaign;
 * ad events alone make it an ad campaign. A campaign whose events all name messages (opens or clicks of
 * messages never sent, or sent under another campaign) is an email campaign with nothing sent: it reports
 * zeros and its orphans (SPEC.md: orphans are stored, counted, in no rate), never "not found".
 */
export function campaignKind(profile: Pick<CampaignProfile, 'sends' | 'adEvents'>): ReportPlan['kind'] {
  return profile.sends === 0 && profile.adEvents > 0 ? 'ads' : 'email';
}

type EmailGrouping = Exclude<Grouping, 'ad'> | null;
type AdGrouping = 'ad' | 'day' | null;

/** `source`: the per-message facts or the events (chooseSource); ad reports always read events. */
export type ReportPlan =
  | { kind: 'email'; query: ReportQuery; grouping: EmailGrouping; source: Source }
  | { kind: 'ads'; query: ReportQuery; grouping: AdGrouping; source: Source };

/** `facts`: one row per message (compile-facts.ts); `events`: the campaign's events grouped per message (email-ctes.ts). */
export type Source = 'facts' | 'events';

/**
 * Which stored rows a report is computed from: a pure decision on what the report is and what the
 * store's layout offers, never on the SQL being written. An email report reads the facts wherever the
 * store keeps them: they answer every email breakdown, window and time series exactly as the events do
 * (the conformance suite runs both ways), and they spare grouping every event of the campaign, nearly
 * all of a large report's time. Ad reports read events: ad events have no message, so no facts.
 */
export function chooseSource(plan: Pick<ReportPlan, 'kind'>, capabilities: Pick<LayoutCapabilities, 'messageFacts'>): Source {
  if (plan.kind === 'ads') return 'events';
  return capabilities.messageFacts ? 'facts' : 'events';
}

const AD_GROUPINGS: readonly Grouping[] = ['ad', 'day'];

/** `capabilities`: what the store's layout offers (StoreLayout.capabilities). */
export function planReport(query: ReportQuery, profile: CampaignProfile, capabilities: Pick<LayoutCapabilities, 'messageFacts'>): ReportPlan {
  if (profile.events === 0) {
    throw new ClickrateError('CR_ERR_NOT_FOUND', `no events for campaign '${query.campaign}'`, { campaign: query.campaign });
  }
  if (campaignKind(profile) === 'email') {
    if (query.by === 'ad') {
      throw new ClickrateError('CR_ERR_BAD_QUERY', `campaign '${query.campaign}' is an email campaign; --by ad applies to ad campaigns`, { field: 'by' });
    }
    return { kind: 'email', query, grouping: query.by as EmailGrouping, source: chooseSource({ kind: 'email' }, capabilities) };
  }
  if (query.by !== null && !AD_GROUPINGS.includes(query.by)) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', `campaign '${query.campaign}' is an ad campaign; break it down by ad or day, not ${query.by}`, {
      field: 'by',
    });
  }
  return { kind: 'ads', query, grouping: query.by as AdGrouping, source: chooseSource({ kind: 'ads' }, capabilities) };
}
