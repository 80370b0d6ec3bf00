// What every provider's verifier answers (accepted, or refused with the HTTP status and why), and the
// pieces the verifiers share: the provider names, reading one header, comparing secrets in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** The providers of SPEC.md "Provider webhooks", in the order the docs list them. */
export const WEBHOOK_PROVIDERS = ['sendgrid', 'mailgun', 'postmark', 'ses', 'resend', 'brevo'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

/** Request headers as node:http gives them (lower-case names); any object of that shape works. */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A verifier's answer. 401: the signature or credential is missing, wrong or stale (nothing may be
 * stored); 400: the body cannot be read well enough to check it.
 */
export type VerifyVerdict = { ok: true } | { ok: false; status: 400 | 401; reason: string };

/**
 * Checks one delivery from its headers and its raw body, before anything in it is believed. Independent
 * of the event mapping, so inbound mail (`/webhooks/<provider>/inbound`) can use the same checks.
 */
export type WebhookVerifier = (headers: WebhookHeaders, rawBody: string) => Promise<VerifyVerdict>;

export const ACCEPTED: VerifyVerdict = Object.freeze({ ok: true });
export const refused = (reason: string): VerifyVerdict => ({ ok: false, status: 401, reason });
export const malformed = (reason: string): VerifyVerdict => ({ ok: false, status: 400, reason });

/** The first value of a header (node:http joins most repeats, but keeps arrays for some). */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Whether two secrets are equal, in time that does not depend on where they differ (nor on the
 * expected one's length: both sides are hashed first, since timingSafeEqual needs equal lengths).
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A JSON body as an object or array, or the reason it is not one. */
export function parseJsonBody(rawBody: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(rawBody) };
  } catch (err) {
    return { ok: false, reason: `the body is not valid JSON (${(err as Error).message})` };
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
