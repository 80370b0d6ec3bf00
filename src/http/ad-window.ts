// A reporting window asked of an ad campaign is refused, never ignored (docs/metrics.md): the window
// counts from each message's send, and ad events have none. One rule for `report` and the API's report.
import { ClickrateError } from '../errors.js';
import type { Report } from '../metrics/report-types.js';

export function refuseWindowOnAds(report: Pick<Report, 'kind' | 'campaign'>, window: string | null | undefined): void {
  if (window === undefined || window === null || report.kind !== 'ads') return;
  throw new ClickrateError(
    'CR_ERR_BAD_QUERY',
    `the reporting window (${window}) does not apply to '${report.campaign}', an ad campaign: the window counts from each message's send, and ad events have none`,
    { campaign: report.campaign, window },
  );
}
