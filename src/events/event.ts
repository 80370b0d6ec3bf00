// The event model of SPEC.md ("Events"): the one schema every input path (files, API, webhooks, the
// tracking edge) validates against, and the normalized record the stores keep.
import { z } from 'zod';

export const EVENT_TYPES = [
  'sent',
  'delivered',
  'bounced',
  'open',
  'click',
  'reply',
  'unsubscribe',
  'complaint',
  'conversion',
  'impression',
] as const;
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

/** Date.parse rolls 2026-02-31 over to March 3rd; a calendar date that does not exist is refused. */
export function isRealDate(s: string): boolean {
  const d = Number(s.slice(8, 10));
  // Every month has 28 days: only the 29th to 31st need the calendar (and this runs on every row).
  if (d >= 1 && d <= 28 && Number(s.slice(5, 7)) <= 12) return !Number.isNaN(Date.parse(s));
  if (Number.isNaN(Date.parse(s))) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

// TRICKY: no .trim()/.transform()/unions in this schema. Each one costs zod its fast path, and the
// schema runs on every imported row (the import target is 300,000 events/s). Normalization (method
// case, CSV numbers, the calendar check) happens around it in parse-event.ts.
const label = (max: number) => z.string().min(1, 'must not be empty').max(max, `longer than ${max} characters`);

/** The wire schema: what a JSON line, CSV row or API body may hold. Unknown fields are refused (typos). */
export const eventInputSchema = z
  .strictObject({
    id: label(200).optional(),
    type: z.enum(EVENT_TYPES, { error: () => `type must be one of ${EVENT_TYPES.join(', ')}` }),
    ts: z.string().regex(ISO_WITH_OFFSET, 'ts must be an ISO 8601 time with an offset or Z, e.g. 2026-03-01T09:30:00Z'),
    message: label(200).optional(),
    campaign: label(200).optional(),
    recipient: label(320).optional(),
    step: z.number({ error: 'step must be a number' }).int('step must be a whole number').min(1, 'step must be 1 or more').optional(),
    variant: label(100).optional(),
    segment: label(100).optional(),
    ad: label(200).optional(),
    url: z.string().min(1).max(8192, 'url longer than 8192 characters').optional(),
    ip: label(64).optional(),
    user_agent: z.string().max(2048, 'user_agent longer than 2048 characters').optional(),
    method: z.enum(['GET', 'HEAD', 'get', 'head'], { error: () => 'method must be GET or HEAD' }).optional(),
    value: z.number({ error: 'value must be a number' }).finite('value must be a finite number').optional(),
  })
  .superRefine((e, ctx) => {
    const need = (field: keyof typeof e, why: string) => {
      if (e[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required ${why}` });
    };
    const isAd = e.message === undefined && e.campaign !== undefined;
    switch (e.type) {
      case 'sent':
        need('message', 'on sent events');
        need('campaign', 'on sent events');
        need('recipient', 'on sent events');
        break;
      case 'impression':
        need('campaign', 'on impression events');
        if (e.message !== undefined) ctx.addIssue({ code: 'custom', path: ['message'], message: 'impression events take no message (they are ad events)' });
        break;
      case 'click':
        if (!isAd) need('message', 'on email clicks (an ad click has a campaign and no message)');
        if (!isAd) need('url', 'on email clicks: the URL is the identity of the link');
        break;
      case 'conversion':
        if (!isAd) need('message', 'on conversions (or a campaign, for an ad conversion)');
        break;
      default:
        need('message', `on ${e.type} events`);
    }
    if (e.url !== undefined && !/^https?:\/\//i.test(e.url)) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'url must be an absolute http(s) URL' });
    }
  });

export type EventInput = z.input<typeof eventInputSchema>;
