// The event model of SPEC.md ("Events"): the one schema every input path (files, API, webhooks, the
// tracking edge) validates against, and the normalized record the stores keep.
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from './event-fields.js';
import { TYPE_RULES, typeRuleIssues } from './event-rules.js';

export { EVENT_FIELDS, type EventType } from './event-fields.js';

/** A validated, normalized event: times are epoch milliseconds, absent fields are null. */
export interface ClickrateEvent {
  id: string;
  type: EventType;
  ts: number;
  message: string | null;
  campaign: string | null;
  recipient: string | null;
  step: number | null;
  variant: string | null;
  segment: string | null;
  ad: string | null;
  url: string | null;
  ip: string | null;
  user_agent: string | null;
  method: 'GET' | 'HEAD' | null;
  value: number | null;
}

// ISO 8601 date-time with an explicit offset or Z (SPEC.md: "ISO 8601 time with offset or `Z`").
// A bare local time is refused: its instant depends on the importing machine's zone.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}(:?\d{2})?)$/;

/**
 * The instant of a `ts` the schema accepted, in epoch milliseconds, or null when it names no real
 * moment: Date.parse rolls 2026-02-31 over to March 3rd, and a calendar date that does not exist is refused.
 */
export function instantOf(s: string): number | null {
  const fast = isoZInstant(s);
  if (fast !== null) return fast;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  // The schema's pattern put two ASCII digits at 5–6 (month) and 8–9 (day); read them without slicing.
  const m = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48);
  const d = (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
  // Every month has 28 days: only the 29th to 31st need the calendar (and this runs on every row).
  if (d >= 1 && d <= 28 && m >= 1 && m <= 12) return ms;
  const y = Number(s.slice(0, 4));
  // setUTCFullYear, not Date.UTC: the latter reads years 0–99 as 1900–1999.
  const probe = new Date(0);
  probe.setUTCFullYear(y, m - 1, d);
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d ? ms : null;
}

/** The ASCII digit at `i` as a number; above 9 (as an unsigned 32-bit value) for any other character. */
const dig = (s: string, i: number) => (s.charCodeAt(i) - 48) >>> 0;
const DAY_MS = 86_400_000;

/**
 * The instant of `YYYY-MM-DDTHH:MM:SS.sssZ` (what toISOString writes, and the common form by far) read
 * from its digits, for a day of month up to the 28th; null for any other text, which takes Date.parse.
 * Why: Date.parse cost about 200 ns a row, a tenth of an import's parse time, and Date.UTC about 120 ns
 * (docs/performance-history.md). Every text that Date.parse would refuse or roll over (hour 24, minute 60,
 * day 29 and later) also answers null, and years before 100 are left to it too.
 */
export function isoZInstant(s: string): number | null {
  if (s.length !== 24 || s.charCodeAt(23) !== 90 /* Z */) return null;
  const sep = s.charCodeAt(10);
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 32) ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46
  )
    return null;
  const y0 = dig(s, 0),
    y1 = dig(s, 1),
    y2 = dig(s, 2),
    y3 = dig(s, 3);
  const mo0 = dig(s, 5),
    mo1 = dig(s, 6),
    d0 = dig(s, 8),
    d1 = dig(s, 9);
  const h0 = dig(s, 11),
    h1 = dig(s, 12),
    mi0 = dig(s, 14),
    mi1 = dig(s, 15),
    s0 = dig(s, 17),
    s1 = dig(s, 18);
  const f0 = dig(s, 20),
    f1 = dig(s, 21),
    f2 = dig(s, 22);
  // TRICKY: one test per digit; an OR of them would not do (8 | 2 is 10).
  if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || mo0 > 9 || mo1 > 9 || d0 > 9 || d1 > 9 || h0 > 9 || h1 > 9) return null;
  if (mi0 > 9 || mi1 > 9 || s0 > 9 || s1 > 9 || f0 > 9 || f1 > 9 || f2 > 9) return null;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = mo0 * 10 + mo1;
  const d = d0 * 10 + d1;
  const h = h0 * 10 + h1;
  const mi = mi0 * 10 + mi1;
  const sec = s0 * 10 + s1;
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > 28 || h > 23 || mi > 59 || sec > 59) return null;
  return daysFromCivil(y, mo, d) * DAY_MS + h * 3_600_000 + mi * 60_000 + sec * 1000 + f0 * 100 + f1 * 10 + f2;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, for years from 1 (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yoe = y - era * 400;
  const doy = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  return era * 146_097 + yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy - 719_468;
}

// TRICKY: every check here must translate to JSON Schema (see fast-validate.ts), because the
// import's fast validator is compiled from this schema: no .trim()/.transform()/unions, no regex
// flags (a JSON Schema pattern has none), and cross-field rules only through event-rules.ts.
// Normalization (method case, CSV numbers, the calendar check) happens around it in parse-event.ts.
const label = (max: number) => z.string().min(1, 'must not be empty').max(max, `longer than ${max} characters`);

/** The largest step the store holds (an INTEGER column). */
const MAX_STEP = 2_147_483_647;

/**
 * The largest conversion value, either sign: a trillion in the sender's currency. Stores keep values
 * to 4 decimal places as whole numbers (message-facts.ts: value × 10,000 in a BIGINT, which ends near
 * 9.2 × 10^18), so 10^12 leaves room for sums of many messages; a larger value is a unit mistake.
 */
export const MAX_VALUE = 1e12;

/** The field shapes of an event; `eventInputSchema` adds the per-type rules of event-rules.ts. */
export const eventShapeSchema = z.strictObject({
  id: label(200).optional(),
  type: z.enum(EVENT_TYPES, { error: () => `type must be one of ${EVENT_TYPES.join(', ')}` }),
  ts: z.string().regex(ISO_WITH_OFFSET, 'ts must be an ISO 8601 time with an offset or Z, e.g. 2026-03-01T09:30:00Z'),
  message: label(200).optional(),
  campaign: label(200).optional(),
  recipient: label(320).optional(),
  step: z
    .number({ error: 'step must be a number' })
    .int('step must be a whole number')
    .min(1, 'step must be 1 or more')
    .max(MAX_STEP, `step must be at most ${MAX_STEP}`)
    .optional(),
  variant: label(100).optional(),
  segment: label(100).optional(),
  ad: label(200).optional(),
  url: z
    .string()
    .min(1)
    .max(8192, 'url longer than 8192 characters')
    .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\//, 'url must be an absolute http(s) URL')
    .optional(),
  ip: label(64).optional(),
  user_agent: z.string().max(2048, 'user_agent longer than 2048 characters').optional(),
  method: z.enum(['GET', 'HEAD', 'get', 'head'], { error: () => 'method must be GET or HEAD' }).optional(),
  value: z
    .number({ error: 'value must be a number' })
    .min(-MAX_VALUE, `value must be at least -${MAX_VALUE.toExponential()}`)
    .max(MAX_VALUE, `value must be at most ${MAX_VALUE.toExponential()}`)
    .optional(),
});

/** The wire schema: what a JSON line, CSV row or API body may hold. Unknown fields are refused (typos). */
export const eventInputSchema = eventShapeSchema.superRefine((e, ctx) => {
  if (!Object.hasOwn(TYPE_RULES, e.type)) return;
  for (const { field, message } of typeRuleIssues(e, e.type)) ctx.addIssue({ code: 'custom', path: [field], message });
});

export type EventInput = z.input<typeof eventInputSchema>;
