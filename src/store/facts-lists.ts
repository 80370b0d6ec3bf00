// How the per-message facts keep a message's engagement events: one list per engagement of the message
// grain (message-grain.ts), in DuckDB's lists and lambdas. The build (duckdb/message-facts.ts) writes
// these lists and the reports (metrics/compile-facts.ts) cut and count them, both through the functions here.
import type { SqlDialect } from './dialect.js';
import { isEngagement, keptValue } from './grain-aggregates.js';
import { engagement, ENGAGEMENTS, inWindow, type Engagement, type Kept } from './message-grain.js';

/** Every field some engagement keeps. */
const KEPT: readonly Kept[] = [...new Set(ENGAGEMENTS.flatMap((e) => e.keeps))];

/**
 * One engagement event of a message as the build first collects them all, in one list per message:
 * its type, time and verdict and every kept field. TRICKY: one list split by type afterwards (pickList),
 * not one list aggregate per engagement: each is a state per group that DuckDB cannot spill, and eight
 * of them took twice the memory and time of one.
 */
export function collectedEvent(d: SqlDialect): string {
  return `{type: type, ts: ts, machine: machine, ${KEPT.map((k) => `${k}: ${keptValue(d, k)}`).join(', ')}}`;
}

/** `e`'s list, picked from `all`, a list of collectedEvent elements. */
export function pickList(d: SqlDialect, e: Engagement, all: string): string {
  const element = e.keeps.length === 0 ? 'x.ts' : `{ts: x.ts, ${e.keeps.map((k) => `${k}: x.${k}`).join(', ')}}`;
  return `list_transform(list_filter(${all}, lambda x: ${isEngagement(d, e, 'x.')}), lambda x: ${element})`;
}

/** The time of `x`, an element of `e`'s list (an element that keeps nothing else is its time). */
export function elementTs(e: Engagement, x = 'x'): string {
  return e.keeps.length === 0 ? x : `${x}.ts`;
}

/**
 * `e`'s list of a facts row cut to the reporting window `w` (a bound placeholder) of the row's send:
 * the same window, and the same bound (inWindow), as a report that groups the events applies.
 */
export function cutToWindow(e: Engagement, w: string): string {
  return `list_filter(${e.list}, lambda x: ${inWindow(elementTs(e), w)})`;
}

/** The revenue of a list of conversions: the sum of their values, 0 for none. */
export function listRevenue(conversions: string): string {
  return `coalesce(list_sum(list_transform(${conversions}, lambda x: x.v)), 0)`;
}

/** The click lists that keep a URL, by whose clicks they are: people's (`h`) and machines' (`m`). */
export const URL_LISTS = { h: engagement('h_clicks'), m: engagement('m_clicks') } as const;

/**
 * A message's clicks per URL, [{url, h, m}]: people's and machines' clicks on each URL it clicked, from
 * the URL_LISTS' columns `h` and `m` (the stored lists, or lists cut to a window). TRICKY: list_distinct
 * drops NULLs; email clicks always carry a URL (events/event-rules.ts), so no click is lost.
 */
export function linksOf(h: string, m: string): string {
  return `list_transform(list_distinct(list_transform(list_concat(${h}, ${m}), lambda x: x.url)),
      lambda u: {url: u, h: len(list_filter(${h}, lambda x: x.url = u)), m: len(list_filter(${m}, lambda x: x.url = u))})`;
}
