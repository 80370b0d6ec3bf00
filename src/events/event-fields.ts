// The names of the event model (SPEC.md "Events"): the event types and the columns of an event, in
// storage order. The schema (event.ts), the per-type rules (event-rules.ts), the readers and the stores
// all take them from here.

export const EVENT_TYPES = ['sent', 'delivered', 'bounced', 'open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion', 'impression'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The columns of an event, in storage order. Stores and CSV readers share this list. */
export const EVENT_FIELDS = [
  'id',
  'type',
  'ts',
  'message',
  'campaign',
  'recipient',
  'step',
  'variant',
  'segment',
  'ad',
  'url',
  'ip',
  'user_agent',
  'method',
  'value',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];
