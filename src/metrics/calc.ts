// `calc`: click-through figures from counts a user already has (no events, no store), with 95% Wilson
// intervals and warnings. Pure; the CLI command and any API front-end share it. Formulas: SPEC.md.
import type { CalcResult } from './report-types.js';
import { ClickrateError } from '../errors.js';
import { rate, wilson } from './stats.js';

export interface CalcInput {
  clicks: number;
  delivered?: number;
  opens?: number;
  impressions?: number;
}

/** What calc answers; its one definition is the schema in report-schema.ts (the API describes it by that). */
export type { CalcResult };

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Refuse anything that is not a count: negative, fractional, NaN, ±Infinity or beyond 2^53. */
function checkCount(flag: string, value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `--${flag} must be a whole number ≥ 0; got ${String(value)}`, {
      field: flag,
      value: String(value),
    });
  }
}

function refuse(message: string, details: Record<string, unknown>): never {
  throw new ClickrateError('CR_ERR_BAD_INPUT', message, details);
}

/**
 * Compute the rates the given counts allow. Email family: --delivered gives CTR, --opens gives CTOR,
 * both also give the open rate. Ad family: --impressions gives CTR. The two families never mix.
 */
export function calc(input: CalcInput): CalcResult {
  const { clicks, delivered, opens, impressions } = input;
  if (clicks === undefined) refuse('--clicks is required', { field: 'clicks' });
  checkCount('clicks', clicks);
  checkCount('delivered', delivered);
  checkCount('opens', opens);
  checkCount('impressions', impressions);

  const email = delivered !== undefined || opens !== undefined;
  if (email && impressions !== undefined) {
    refuse(
      '--impressions cannot be combined with --delivered or --opens: ad CTR (clicks ÷ impressions) and email rates ' +
        '(clicks ÷ delivered, clicks ÷ opens) have different denominators; run calc once per family',
      { field: 'impressions' },
    );
  }
  if (!email && impressions === undefined) {
    refuse('give a denominator: --delivered and/or --opens for email, or --impressions for ads', { field: 'delivered' });
  }

  const warnings: string[] = [];

  if (impressions !== undefined) {
    if (clicks > impressions) {
      refuse(`--clicks (${fmt(clicks)}) cannot exceed --impressions (${fmt(impressions)})`, { field: 'clicks', value: clicks });
    }
    if (impressions === 0) warnings.push('impressions is 0: CTR is undefined');
    return { kind: 'ad', clicks, impressions, ctr: rate(clicks, impressions), ci: { ctr: wilson(clicks, impressions) }, warnings };
  }

  if (delivered !== undefined && clicks > delivered) {
    refuse(`--clicks (${fmt(clicks)}) cannot exceed --delivered (${fmt(delivered)}): unique clicks count each delivered message once`, {
      field: 'clicks',
      value: clicks,
    });
  }
  if (delivered !== undefined && opens !== undefined && opens > delivered) {
    refuse(`--opens (${fmt(opens)}) cannot exceed --delivered (${fmt(delivered)}): unique opens count each delivered message once`, {
      field: 'opens',
      value: opens,
    });
  }

  if (opens !== undefined && clicks > opens) {
    // TRICKY: more clicks than opens is common in figures taken from other tools (pixels are not loaded
    // when images are blocked, yet those people click), but CTOR as SPEC.md defines it cannot exceed 100%:
    // a click implies an open, so unique opens include every clicker. Refuse with the reason rather than
    // print an impossible rate; the CLI, the API and the dashboard's calculator all answer this.
    refuse(
      `--clicks (${fmt(clicks)}) cannot exceed --opens (${fmt(opens)}): a click implies an open, so count each clicker as an ` +
        "opener (clickrate's reports do). Opens from another tool usually miss people who clicked with images blocked.",
      { field: 'clicks', value: clicks },
    );
  }
  // Fields are assembled in reading order (counts, rates, intervals, warnings) so `calc --json` reads top-down.
  const counts: Pick<CalcResult, 'delivered' | 'opens'> = {};
  const rates: Pick<CalcResult, 'ctr' | 'ctor' | 'open_rate'> = {};
  const ci: CalcResult['ci'] = {};
  if (delivered !== undefined) {
    counts.delivered = delivered;
    rates.ctr = rate(clicks, delivered);
    ci.ctr = wilson(clicks, delivered);
    if (delivered === 0) warnings.push(`delivered is 0: CTR${opens !== undefined ? ' and open rate are' : ' is'} undefined`);
  }
  if (opens !== undefined) {
    counts.opens = opens;
    rates.ctor = rate(clicks, opens);
    ci.ctor = wilson(clicks, opens);
    if (opens === 0) {
      warnings.push('opens is 0: CTOR is undefined');
    }
    if (delivered !== undefined) {
      rates.open_rate = rate(opens, delivered);
      ci.open_rate = wilson(opens, delivered);
    }
  }
  return { kind: 'email', clicks, ...counts, ...rates, ci, warnings };
}
