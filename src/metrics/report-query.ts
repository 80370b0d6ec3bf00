// Step 1 of the report pipeline: turn loose input (CLI flags, HTTP query string) into a checked query.
import { ClickrateError } from '../errors.js';
import { illFormedReason } from '../events/well-formed.js';
import { parseWindow } from './window.js';

export const GROUPINGS = ['variant', 'step', 'segment', 'link', 'provider', 'day', 'ad'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface ReportQuery {
  campaign: string;
  by: Grouping | null;
  /** The reporting window after each message's send time (SPEC.md: the same for every metric). */
  window: { text: string; ms: number } | null;
  /** The A/B control variant; default the first variant by name. */
  control: string | null;
}

export interface ReportQueryInput {
  campaign?: unknown;
  by?: unknown;
  window?: unknown;
  control?: unknown;
}

/** Names longer than any stored one (events/event.ts: 200 characters) cannot match; refused, not run. */
const MAX_TEXT = 200;

/**
 * Loose text, checked. Keywords (`by`, `window`) are trimmed; names (`campaign`, `control`) are kept as
 * given, since a stored id may begin or end with a space or a line break and must still be reachable.
 */
function optionalText(v: unknown, name: string, keyword = false): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw new ClickrateError('CR_ERR_BAD_QUERY', `${name} must be text`, { field: name });
  if (v.length > MAX_TEXT) throw new ClickrateError('CR_ERR_BAD_QUERY', `${name} is longer than ${MAX_TEXT} characters`, { field: name });
  const illFormed = illFormedReason(v);
  if (illFormed !== null) throw new ClickrateError('CR_ERR_BAD_QUERY', `${name} ${illFormed}`, { field: name });
  return keyword ? v.trim() : v;
}

export function parseReportQuery(input: ReportQueryInput): ReportQuery {
  const campaign = optionalText(input.campaign, 'campaign');
  if (!campaign?.trim()) throw new ClickrateError('CR_ERR_BAD_QUERY', 'a campaign id is required (--campaign ID)', { field: 'campaign' });
  const by = optionalText(input.by, 'by', true);
  if (by !== null && !(GROUPINGS as readonly string[]).includes(by)) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', `cannot break down by '${by}'; use one of ${GROUPINGS.join(', ')}`, { field: 'by' });
  }
  const windowText = optionalText(input.window, 'window', true);
  const control = optionalText(input.control, 'control');
  if (control !== null && by !== 'variant') {
    throw new ClickrateError('CR_ERR_BAD_QUERY', '--control only applies with --by variant', { field: 'control' });
  }
  return {
    campaign,
    by: by as Grouping | null,
    window: windowText === null ? null : parseWindow(windowText),
    control,
  };
}
