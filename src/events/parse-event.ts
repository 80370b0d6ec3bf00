// Validates one raw event (a JSON object or a CSV row) against the SPEC.md schema and normalizes it.
// Returns a reason a person can act on instead of throwing: callers add the file and line.
import { eventInputSchema, isRealDate, type ClickrateEvent } from './event.js';

/** An event before it has an id: id-less inputs get a derived one at ingest (see event-id.ts). */
export type ParsedEvent = Omit<ClickrateEvent, 'id'> & { id: string | null };

export type ParseResult = { ok: true; event: ParsedEvent } | { ok: false; reason: string };

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

/** CSV cells (and some JSON producers) give numbers as text: "3", "19.90". Anything else stays as is for the schema to refuse. */
function coerceNumbers(raw: Record<string, unknown>): Record<string, unknown> {
  const { step, value } = raw;
  if (typeof step !== 'string' && typeof value !== 'string') return raw;
  const out = { ...raw };
  if (typeof step === 'string' && NUMERIC.test(step.trim())) out.step = Number(step);
  if (typeof value === 'string' && NUMERIC.test(value.trim())) out.value = Number(value);
  return out;
}

export function parseEvent(input: unknown): ParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, reason: 'an event must be a JSON object' };
  }
  const raw = coerceNumbers(input as Record<string, unknown>);
  const res = eventInputSchema.safeParse(raw);
  if (!res.success) {
    const reason = res.error.issues
      .map((i) => {
        const field = i.path.join('.');
        if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
        if (i.code === 'invalid_type' && (raw as Record<string, unknown>)[String(i.path[0])] === undefined) return `${field} is required`;
        return field && !i.message.startsWith(field) ? `${field}: ${i.message}` : i.message;
      })
      .join('; ');
    return { ok: false, reason };
  }
  const e = res.data;
  if (!isRealDate(e.ts)) return { ok: false, reason: `ts: ${e.ts} is not a real date` };
  return {
    ok: true,
    event: {
      id: e.id ?? null,
      type: e.type,
      ts: Date.parse(e.ts),
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
    },
  };
}
