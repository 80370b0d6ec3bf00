// Validates one raw event (a JSON object or a CSV row) against the SPEC.md schema and normalizes it.
// Returns a reason a person can act on instead of throwing: callers add the file and line.
import { eventInputSchema, type ClickrateEvent } from './event.js';

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

export function parseEvent(raw: unknown): ParseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: 'an event must be a JSON object' };
  }
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
      method: e.method ?? null,
      value: e.value ?? null,
    },
  };
}
