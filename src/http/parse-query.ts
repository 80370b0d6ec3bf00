// Query strings checked with a zod schema, the same schema the API description shows (route-docs.ts):
// a bad parameter is a 400 naming it. Unknown parameters are ignored (cache-busters, tracking tags).
import type { z } from 'zod';
import { ClickrateError, type ErrorCode } from '../errors.js';

export function parseQuery<T extends z.ZodObject>(schema: T, q: URLSearchParams, code: ErrorCode = 'CR_ERR_BAD_QUERY'): z.output<T> {
  const r = schema.safeParse(Object.fromEntries(q));
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  throw new ClickrateError(code, issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`, { field });
}
