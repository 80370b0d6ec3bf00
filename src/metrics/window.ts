// Parses reporting windows ("7d", "48h"…): how long after a message's send time its opens and clicks
// still count (SPEC.md, "Metric semantics"). Used by `report --window` and the HTTP `?window=`.
import { ClickrateError } from '../errors.js';

export interface ReportWindow {
  /** Normalised form, e.g. "7d" — what reports echo back as `window`. */
  text: string;
  /** Length in milliseconds. */
  ms: number;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A year: longer windows are almost certainly a typo (e.g. "7000d" for "7d"). */
const MAX_WINDOW_MS = 365 * UNIT_MS.d!;

const ACCEPTED = 'a whole number > 0 followed by s, m, h, d or w (e.g. 3600s, 30m, 48h, 7d, 2w), at most 365d';

/** Parse "30m", "48h", "7d", "2w", "3600s". Throws CR_ERR_BAD_QUERY naming the value and the accepted forms. */
export function parseWindow(text: string): ReportWindow {
  const trimmed = String(text).trim().toLowerCase();
  // TRICKY: no decimals ("1.5d"), signs, spaces ("7 d") or bare numbers ("7" — seconds? days?): an
  // ambiguous window silently changes every rate in a report, so refuse rather than guess.
  const match = /^(\d{1,12})([smhdw])$/.exec(trimmed);
  if (!match) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', `bad window "${text}": expected ${ACCEPTED}`, { window: text });
  }
  const amount = Number(match[1]);
  const unit = match[2]!;
  if (amount <= 0) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', `bad window "${text}": must be longer than 0; expected ${ACCEPTED}`, {
      window: text,
    });
  }
  const ms = amount * UNIT_MS[unit]!;
  if (ms > MAX_WINDOW_MS) {
    throw new ClickrateError('CR_ERR_BAD_QUERY', `bad window "${text}": longer than 365d; expected ${ACCEPTED}`, {
      window: text,
    });
  }
  return { text: `${amount}${unit}`, ms };
}

/**
 * Does an open or click at `atMs` count for a message sent at `sentMs`? No window means every event counts.
 * The window is inclusive at its end: with 7d, an event exactly 7 days after the send still counts.
 */
export function withinWindow(sentMs: number, atMs: number, window: ReportWindow | null | undefined): boolean {
  if (!window) return true;
  // TRICKY: no lower bound. An event stamped slightly before its send is clock skew between the sending
  // system and the tracker (the click cannot predate the email), so it must not vanish from reports.
  return atMs - sentMs <= window.ms;
}
