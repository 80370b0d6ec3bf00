// Step 2 of the report pipeline: decide what to compute from the query and what the campaign is
// (email messages or ad events), refusing breakdowns that mean nothing for that kind.
import { ClickrateError } from '../errors.js';
import type { Grouping, ReportQuery } from './report-query.js';

export interface CampaignProfile {
  /** Sent and delivered events naming the campaign (more than 0: it is an email campaign). */
  sends: number;
  /** Events of the campaign with no message (impressions, ad clicks, ad conversions). */
  adEvents: number;
}

export type EmailGrouping = Exclude<Grouping, 'ad'> | null;
export type AdGrouping = 'ad' | 'day' | null;

export type ReportPlan =
  | { kind: 'email'; query: ReportQuery; grouping: EmailGrouping }
  | { kind: 'ads'; query: ReportQuery; grouping: AdGrouping };

const AD_GROUPINGS: readonly Grouping[] = ['ad', 'day'];

export function planReport(query: ReportQuery, profile: CampaignProfile): ReportPlan {
  if (profile.sends === 0 && profile.adEvents === 0) {
    throw new ClickrateError('CR_ERR_NOT_FOUND', `no events for campaign '${query.campaign}'`, { campaign: query.campaign });
  }
  // A campaign with sent messages is an email campaign; ad events alone make it an ad campaign.
  if (profile.sends > 0) {
    if (query.by === 'ad') {
      throw new ClickrateError('CR_ERR_BAD_QUERY', `campaign '${query.campaign}' is an email campaign; --by ad applies to ad campaigns`, { field: 'by' });
    }
    return { kind: 'email', query, grouping: query.by as EmailGrouping };
  }
  if (query.by !== null && !AD_GROUPINGS.includes(query.by)) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', `campaign '${query.campaign}' is an ad campaign; break it down by ad or day, not ${query.by}`, {
      field: 'by',
    });
  }
  return { kind: 'ads', query, grouping: query.by as AdGrouping };
}
