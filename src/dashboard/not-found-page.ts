// The page a browser gets for a path the server does not have (`/nope`): HTML with a way back, status
// 404. API clients (no text/html in Accept) still get the JSON error of every other API answer.
import type { IncomingMessage } from 'node:http';
import { escapeHtml, plainPage } from './login-page.js';

/** A browser navigating asks for text/html first; fetch(), curl and API clients do not. */
export function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return /\btext\/html\b/i.test(accept);
}

export function notFoundPage(path: string): string {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return plainPage(
    'Not found',
    `<h1>Page not found</h1>
<p>clickrate has no page at <code>${escapeHtml(shown)}</code>.</p>
<p><a href="/">All campaigns</a> · <a href="/calculator">Calculator</a></p>`,
    'not-found',
  );
}
