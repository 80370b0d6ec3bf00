// The replay window for every scheme that signs a timestamp (SendGrid, Mailgun, Svix for Resend, SNS
// for SES): a delivery signed more than five minutes from now is refused, so a captured request cannot
// be sent again later. Svix's own libraries use the same five minutes (its "Verifying webhooks" docs).
import { refused, type VerifyVerdict } from './webhook-verdict.js';

const REPLAY_WINDOW_MS = 5 * 60_000;

/**
 * Null when `signedAt` (Unix seconds, as text or a number; or an ISO time for SNS) is within the
 * window of `nowMs` either way; else the refusal, naming the header or field it came from.
 * TRICKY: "either way": a timestamp from the future is as suspect as an old one (a clock skewed on
 * purpose to stretch the window), and an unreadable one is refused, never read as zero.
 */
export function outsideReplayWindow(signedAt: string | number | undefined, nowMs: number, where: string): VerifyVerdict | null {
  if (signedAt === undefined || signedAt === '') return refused(`${where} is missing`);
  let ms: number;
  if (typeof signedAt === 'number') ms = signedAt * 1000;
  else if (/^\d{1,12}(\.\d+)?$/.test(signedAt)) ms = Number(signedAt) * 1000;
  else ms = /^\d{4}-\d{2}-\d{2}T/.test(signedAt) ? Date.parse(signedAt) : Number.NaN;
  if (!Number.isFinite(ms)) return refused(`${where} is not a time: ${JSON.stringify(String(signedAt).slice(0, 40))}`);
  const off = Math.abs(nowMs - ms);
  if (off > REPLAY_WINDOW_MS) {
    return refused(`${where} is ${Math.round(off / 1000)} s from this server's clock; more than ${REPLAY_WINDOW_MS / 60_000} minutes is refused as a replay`);
  }
  return null;
}
