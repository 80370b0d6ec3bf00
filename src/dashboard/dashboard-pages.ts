// The dashboard's pages (SPEC.md "Dashboard"): /login and /logout, the single-page app's shell at `/`,
// `/campaigns/<id>` and `/calculator`, its bundled assets from dist/web, and an HTML not-found page for
// browsers. Nothing loads from elsewhere.
// Sign-in failures are throttled per client address and logged with it; logout ends the session server-side.
import { inPackage } from '../package-root.js';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { hashApiKey, type ApiKeyAuth } from '../http/api-keys.js';
import { isClickrateError } from '../errors.js';
import { readBody } from '../http/read-body.js';
import { isSameOrigin, type SessionCookies } from '../http/session.js';
import { loginPage } from './login-page.js';
import { notFoundPage, wantsHtml } from './not-found-page.js';

export interface DashboardPageDeps {
  auth: ApiKeyAuth;
  sessions: SessionCookies;
  /** Folder of the built frontend (index.html, assets/, static/). */
  webRoot: string;
  log: Logger;
}

/** Where `vite build` puts the frontend: dist/web of this installation. */
export const DEFAULT_WEB_ROOT = inPackage(import.meta.url, 'dist', 'web');

/** The app's CSP: its own scripts, styles and API only; frames only from itself (the click map). */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const PAGE_HEADERS = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};
const APP_PATH = /^\/(?:campaigns\/[^/]+|calculator)?$/;

/** A `next` target after login: a path on this site only, never `//host` or `/\host` (an open redirect). */
function safeNext(v: string | null | undefined): string {
  if (!v || v.length > 1000 || !/^\/(?![/\\])[^\s\\]*$/.test(v)) return '/';
  return v;
}

function html(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function redirect(res: ServerResponse, location: string, extra: Record<string, string> = {}): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...extra });
  res.end();
}

async function loggedIn(req: IncomingMessage, deps: DashboardPageDeps): Promise<boolean> {
  return (await deps.auth.session(req, deps.sessions)) !== null;
}

/**
 * POST /login with a key: a session cookie, or the form again with why not. A refusal is a security
 * event, logged at warn with the client's address (as --trust-proxy resolves it) and the reason.
 */
async function signIn(req: IncomingMessage, res: ServerResponse, deps: DashboardPageDeps, key: string, next: string): Promise<void> {
  try {
    await deps.auth.verify(req, key);
  } catch (err) {
    // Anything but a refusal (the store is down) is an error page, not a wrong key.
    if (!isClickrateError(err) || (err.code !== 'CR_ERR_UNAUTHORIZED' && err.code !== 'CR_ERR_RATE_LIMITED')) throw err;
    const client = deps.auth.clientAddress(req);
    deps.log.warn(
      { client, reason: err.code === 'CR_ERR_RATE_LIMITED' ? 'too many failed sign-ins' : key === '' ? 'no key given' : err.message },
      'dashboard login refused',
    );
    if (err.code === 'CR_ERR_UNAUTHORIZED') return html(res, 401, loginPage({ next, error: 'That API key is unknown or revoked.' }));
    const wait = Number(err.details.retry_after_s);
    return html(res, 429, loginPage({ next, error: `Too many failed sign-ins from your address. Try again in ${Math.ceil(wait / 60)} min.` }), {
      'retry-after': String(wait),
    });
  }
  redirect(res, next, { 'set-cookie': deps.sessions.issue(hashApiKey(key)) });
}

async function serveStatic(res: ServerResponse, deps: DashboardPageDeps, folder: string, name: string): Promise<void> {
  // Names are plain file names: no separators, no dot-dot, so no path leaves the folder.
  if (!/^[\w-]+(?:\.[\w-]+)*$/.test(name)) return html(res, 404, 'not found');
  const ext = name.slice(name.lastIndexOf('.'));
  const type = TYPES[ext];
  if (!type) return html(res, 404, 'not found');
  try {
    const body = await readFile(join(deps.webRoot, folder, name));
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(body);
  } catch {
    html(res, 404, 'not found');
  }
}

/** Handles a dashboard path; false when the path is not the dashboard's. */
export async function routeDashboard(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  deps: DashboardPageDeps,
): Promise<boolean> {
  const m = req.method ?? 'GET';
  if (path.startsWith('/assets/') && (m === 'GET' || m === 'HEAD')) {
    await serveStatic(res, deps, 'assets', path.slice(8));
    return true;
  }
  if (path.startsWith('/static/') && (m === 'GET' || m === 'HEAD')) {
    await serveStatic(res, deps, 'static', path.slice(8));
    return true;
  }
  // Browsers ask for it on every page; an empty answer keeps the log and the console free of 404s.
  if (path === '/favicon.ico') {
    res.writeHead(204, { 'cache-control': 'max-age=86400' }).end();
    return true;
  }
  if (path === '/login' && m === 'GET') {
    if (await loggedIn(req, deps)) {
      redirect(res, safeNext(query.get('next')));
      return true;
    }
    html(res, 200, loginPage({ next: safeNext(query.get('next')) }));
    return true;
  }
  if (path === '/login' && m === 'POST') {
    const form = new URLSearchParams(await readBody(req, 8 * 1024));
    const next = safeNext(form.get('next'));
    // Login CSRF: a browser posting from another site says so in Origin; a script without Origin is not a browser session.
    if (req.headers.origin !== undefined && !isSameOrigin(req)) {
      html(res, 403, loginPage({ next, error: 'This sign-in came from another site and was refused.' }));
      return true;
    }
    await signIn(req, res, deps, (form.get('key') ?? '').trim(), next);
    return true;
  }
  if (path === '/logout' && m === 'POST') {
    if (!isSameOrigin(req)) {
      html(res, 403, loginPage({ next: '/', error: 'This sign-out came from another site and was refused.' }));
      return true;
    }
    // Revoked in the store, not only forgotten by this browser: a copied cookie stops working too.
    const session = deps.sessions.read(req);
    if (session) await deps.auth.endSession(session);
    redirect(res, '/login', { 'set-cookie': deps.sessions.clear() });
    return true;
  }
  if (APP_PATH.test(path) && (m === 'GET' || m === 'HEAD')) {
    if (!(await loggedIn(req, deps))) {
      redirect(res, `/login?next=${encodeURIComponent(path)}`);
      return true;
    }
    let shell: string;
    try {
      shell = await readFile(join(deps.webRoot, 'index.html'), 'utf8');
    } catch {
      html(res, 503, '<!doctype html><title>clickrate</title><p>The dashboard is not built. Run <code>npm run build</code>.</p>');
      return true;
    }
    html(res, 200, shell);
    return true;
  }
  if ((m === 'GET' || m === 'HEAD') && wantsHtml(req)) {
    html(res, 404, notFoundPage(path));
    return true;
  }
  return false;
}
