// The body of POST /api/v1/wrap (SPEC.md): the message to wrap plus optional tracking choices, checked
// with zod so a bad field is named in the 400 answer.
import { z } from 'zod';
import { ClickrateError } from '../errors.js';
import { illFormedPath } from '../events/well-formed.js';
import type { TrackingPolicy } from '../tracking/wrap-message.js';

const label = z.string().min(1).max(200);

export const wrapRequestSchema = z.strictObject({
  html: z.string().max(2_000_000).optional(),
  text: z.string().max(1_000_000).optional(),
  campaign: label,
  recipient: z.string().min(1).max(320),
  message: label.optional(),
  step: z.number().int().min(1).optional(),
  variant: z.string().min(1).max(100).optional(),
  segment: z.string().min(1).max(100).optional(),
  /** "all" (default), "none", or {"first": N}: cold steps keep few tracked links (deliverability). */
  tracking: z.union([z.enum(['all', 'none']), z.strictObject({ first: z.number().int().min(0).max(1000) })]).optional(),
  /** Insert the open pixel (default true). */
  pixel: z.boolean().optional(),
  /** Add the hidden honeypot link (default false; docs/classification.md, "The honeypot link"). */
  honeypot: z.boolean().optional(),
  /** The sender's From address or domain, for the tracking-domain lint. */
  sender: z.string().min(1).max(320).optional(),
  /** Add utm_source/utm_medium/utm_campaign to destinations (existing UTM values are kept). */
  utm: z.boolean().optional(),
  /** The mail's Subject: only a keyed hash of its thread subject is stored, to match replies (docs/replies.md). */
  subject: z.string().max(998).optional(),
});

export type WrapRequest = z.infer<typeof wrapRequestSchema>;

export function parseWrapRequest(body: unknown): WrapRequest {
  // Every string of the request ends up in a token, the spool or a stored template.
  const illFormed = illFormedPath(body);
  if (illFormed !== null) throw new ClickrateError('CR_ERR_BAD_INPUT', `invalid wrap request: ${illFormed}`);
  const r = wrapRequestSchema.safeParse(body);
  if (!r.success) {
    const reason = r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new ClickrateError('CR_ERR_BAD_INPUT', `invalid wrap request: ${reason}`);
  }
  if (r.data.html === undefined && r.data.text === undefined) throw new ClickrateError('CR_ERR_BAD_INPUT', 'invalid wrap request: give html, text or both');
  return r.data;
}

export function trackingPolicy(t: WrapRequest['tracking']): TrackingPolicy {
  if (t === undefined || t === 'all') return 'all';
  if (t === 'none') return 'none';
  return { firstN: t.first };
}
