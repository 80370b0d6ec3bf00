// Which fields each event type must (or must not) carry, beyond `type` and `ts` (SPEC.md "Events"),
// kept as data so that the zod schema and the compiled fast validator are both generated from it.
import type { EventField, EventType } from './event-fields.js';

/** A field that must be present, and the reason a person sees when it is not. */
type Required = Partial<Record<EventField, string>>;

export interface TypeRule {
  /** Fields the event must have, each with the end of its message ("… is required on sent events"). */
  requires: Required;
  /** Fields the event must not have, each with the whole message. */
  forbids?: Partial<Record<EventField, string>>;
  /**
   * Ad events (SPEC.md: "no `message` and has a `campaign`") may stand in for `requires`: an ad click
   * has no message and no url, an ad conversion no message.
   */
  adForm?: true;
}

const email = (type: string): Required => ({ message: `on ${type} events` });

export const TYPE_RULES: Readonly<Record<EventType, TypeRule>> = {
  sent: { requires: { message: 'on sent events', campaign: 'on sent events', recipient: 'on sent events' } },
  delivered: { requires: email('delivered') },
  bounced: { requires: email('bounced') },
  open: { requires: email('open') },
  click: {
    requires: {
      message: 'on email clicks (an ad click has a campaign and no message)',
      url: 'on email clicks: the URL is the identity of the link',
    },
    adForm: true,
  },
  reply: { requires: email('reply') },
  unsubscribe: { requires: email('unsubscribe') },
  complaint: { requires: email('complaint') },
  conversion: { requires: { message: 'on conversions (or a campaign, for an ad conversion)' }, adForm: true },
  impression: {
    requires: { campaign: 'on impression events' },
    forbids: { message: 'impression events take no message (they are ad events)' },
  },
};

const fieldsOf = <T>(o: Partial<Record<EventField, T>> | undefined) => Object.entries(o ?? {}) as Array<[EventField, T]>;

/** The problems of one event under its type's rule, in a stable order (for the zod refinement). */
export function typeRuleIssues(e: Readonly<Record<string, unknown>>, type: EventType): Array<{ field: EventField; message: string }> {
  const rule = TYPE_RULES[type];
  const issues: Array<{ field: EventField; message: string }> = [];
  const isAd = e.message === undefined && e.campaign !== undefined;
  if (!(rule.adForm && isAd)) {
    for (const [field, why] of fieldsOf(rule.requires)) if (e[field] === undefined) issues.push({ field, message: `${field} is required ${why}` });
  }
  for (const [field, message] of fieldsOf(rule.forbids)) if (e[field] !== undefined) issues.push({ field, message });
  return issues;
}

/** A JSON Schema object (the subset this file produces). */
export type JsonSchema = { [key: string]: unknown };

/**
 * The same rules as JSON Schema: one `oneOf` branch per type, chosen by ajv's `discriminator` keyword
 * on `type` (only the branch of the event's own type runs; ten `if`/`then` clauses cost three times
 * as much per row). To be merged into the schema of the fields.
 * TRICKY: JSON Schema `required` treats a present key as present whatever its value, while the zod
 * rule treats `undefined` as absent; ajv checks `required` as `!== undefined` too, so both agree
 * (and JSON text cannot hold undefined anyway).
 */
export function typeRuleSchema(): JsonSchema {
  const oneOf = (Object.entries(TYPE_RULES) as Array<[EventType, TypeRule]>).map(([type, rule]) => {
    const requires = fieldsOf(rule.requires).map(([f]) => f);
    const asRequired: JsonSchema = { required: requires };
    // The ad form: a campaign and no message.
    const parts: JsonSchema[] = [rule.adForm ? { anyOf: [asRequired, { required: ['campaign'], not: { required: ['message'] } }] } : asRequired];
    for (const [field] of fieldsOf(rule.forbids)) parts.push({ not: { required: [field] } });
    return { properties: { type: { const: type } }, allOf: parts };
  });
  return { discriminator: { propertyName: 'type' }, oneOf };
}
