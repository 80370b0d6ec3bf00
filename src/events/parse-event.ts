// Validates one raw event (a JSON object or a CSV row) against the SPEC.md schema and normalizes it.
// Returns a reason a person can act on instead of throwing: callers add the file and line.
import { eventInputSchema, instantOf, type ClickrateEvent, type EventInput } from './event.js';
import { fastAccepts } from './fast-validate.js';
import { illFormedField } from './well-formed.js';

/** An event before it has an id: id-less inputs get a derived one at ingest (see event-id.ts). */
export type ParsedEvent = Omit<ClickrateEvent, 'id'> & { id: string | null };

export type ParseResult = { ok: true; event: ParsedEvent } | { ok: false; reason: string };

/** An input that passed validation, as given (after number coercion), with its instant. */
export type CheckResult = { ok: true; input: EventInput; ts: number } | { ok: false; reason: string };

/** CSV cells arrive as strings; an empty cell means the field is absent. */
export function dropEmptyCells(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === '' || v === null || v === undefined) continue;
    out[k] = v;
  }
  return out;
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * CSV cells (and some JSON producers) give numbers as text: "3", "19.90". Anything else stays as is
 * for the schema to refuse. Returns the input itself when nothing was coerced (callers rely on that
 * to know the row's text still says exactly what was validated).
 */
export function coerceNumbers(raw: Record<string, unknown>): Record<string, unknown> {
  const { step, value } = raw;
  if (typeof step !== 'string' && typeof value !== 'string') return raw;
  const out = { ...raw };
  if (typeof step === 'string' && NUMERIC.test(step.trim())) out.step = Number(step);
  if (typeof value === 'string' && NUMERIC.test(value.trim())) out.value = Number(value);
  return out;
}

/**
 * Validates an object whose numbers were already coerced: the compiled fast path first, zod for the
 * reason when it refuses. Does not build the normalized event (the import's workers need only the
 * instant for most rows).
 */
export function checkEvent(raw: Record<string, unknown>): CheckResult {
  let input: EventInput;
  if (fastAccepts(raw)) {
    input = raw as EventInput;
  } else {
    const res = eventInputSchema.safeParse(raw);
    // TRICKY: zod is the judge. Should the fast validator ever refuse what zod accepts, the row is
    // still accepted (only slower); the parity test guards the other direction, which would matter.
    if (!res.success) return { ok: false, reason: describeIssues(res.error.issues, raw) };
    input = res.data;
  }
  // Outside the schema because JSON Schema cannot say it (fast-validate.ts compiles the schema).
  const illFormed = illFormedField(input);
  if (illFormed !== null) return { ok: false, reason: illFormed };
  const ts = instantOf(input.ts);
  if (ts === null) return { ok: false, reason: `ts: ${input.ts} is not a real date` };
  return { ok: true, input, ts };
}

type Issue = { code: string; path: PropertyKey[]; message: string; keys?: string[] };

function describeIssues(issues: readonly Issue[], raw: Record<string, unknown>): string {
  return issues
    .map((i) => {
      const field = i.path.map(String).join('.');
      if (i.code === 'unrecognized_keys' && i.keys) return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
      if (i.code === 'invalid_type' && raw[String(i.path[0])] === undefined) return `${field} is required`;
      return field && !i.message.startsWith(field) ? `${field}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** The stored form of a checked input: absent fields null, the method upper-cased. */
export function normalize(e: EventInput, ts: number): ParsedEvent {
  return {
    id: e.id ?? null,
    type: e.type,
    ts,
    message: e.message ?? null,
    campaign: e.campaign ?? null,
    recipient: e.recipient ?? null,
    step: e.step ?? null,
    variant: e.variant ?? null,
    segment: e.segment ?? null,
    ad: e.ad ?? null,
    url: e.url ?? null,
    ip: e.ip ?? null,
    user_agent: e.user_agent ?? null,
    method: e.method === undefined ? null : (e.method.toUpperCase() as 'GET' | 'HEAD'),
    value: e.value ?? null,
  };
}

export function parseEvent(input: unknown): ParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, reason: 'an event must be a JSON object' };
  }
  const checked = checkEvent(coerceNumbers(input as Record<string, unknown>));
  return checked.ok ? { ok: true, event: normalize(checked.input, checked.ts) } : checked;
}
