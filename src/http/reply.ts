// JSON replies and the mapping from ClickrateError codes to HTTP statuses. Every API error body is
// `{"error": {"code": "CR_ERR_…", "message": "…"}}`, so clients branch on a stable code.
import type { ServerResponse } from 'node:http';
import { isClickrateError, type ErrorCode } from '../errors.js';

const STATUS: Record<ErrorCode, number> = {
  CR_ERR_BAD_INPUT: 400,
  CR_ERR_BAD_EVENT: 400,
  CR_ERR_BAD_FILE: 400,
  CR_ERR_BAD_QUERY: 400,
  CR_ERR_NOT_FOUND: 404,
  CR_ERR_UNAUTHORIZED: 401,
  CR_ERR_TOO_LARGE: 413,
  CR_ERR_BAD_TOKEN: 404,
  CR_ERR_STORE: 503,
  CR_ERR_SPOOL: 503,
  CR_ERR_CONFLICT: 409,
  CR_ERR_MIGRATION: 500,
  CR_ERR_CONFIG: 500,
  CR_ERR_BACKUP: 409,
  CR_ERR_RATE_LIMITED: 429,
  CR_ERR_MAILBOX: 502,
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

/** Answers an error; anything that is not a ClickrateError is a 500 whose details stay in the log. */
export function sendError(res: ServerResponse, err: unknown, log: (err: unknown) => void): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (isClickrateError(err)) {
    const body: { code: string; message: string; details?: unknown } = { code: err.code, message: err.message };
    if (Object.keys(err.details).length > 0) body.details = err.details;
    // RFC 6585 §4: a 429 may say when to come back, in Retry-After (RFC 9110 §10.2.3).
    if (typeof err.details.retry_after_s === 'number') res.setHeader('retry-after', String(err.details.retry_after_s));
    sendJson(res, STATUS[err.code], { error: body });
    return;
  }
  log(err);
  sendJson(res, 500, { error: { code: 'CR_ERR_INTERNAL', message: 'internal error; see the server log' } });
}
