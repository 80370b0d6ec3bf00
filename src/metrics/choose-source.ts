// Which stored rows a report is computed from (after Plausible's TableDecider): the per-message facts
// of a store that keeps them, or the raw events grouped per message. A pure step of the plan, decided
// from what the report is and what the store's layout offers, never from the SQL being written.
import type { LayoutCapabilities } from '../store/store-layout.js';
import type { ReportPlan } from './report-plan.js';

/** `facts`: one row per message (compile-facts.ts); `events`: the campaign's events grouped per message (email-ctes.ts). */
export type Source = 'facts' | 'events';

/**
 * An email report reads the facts wherever the store keeps them: they answer every email breakdown,
 * window and time series exactly as the events do (the conformance suite runs both ways), and they
 * spare grouping every event of the campaign, nearly all of a large report's time. Ad reports read
 * events: ad events have no message, so the facts hold none of them.
 */
export function chooseSource(plan: Pick<ReportPlan, 'kind'>, capabilities: Pick<LayoutCapabilities, 'messageFacts'>): Source {
  if (plan.kind === 'ads') return 'events';
  return capabilities.messageFacts ? 'facts' : 'events';
}
