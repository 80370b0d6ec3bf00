// The server over real HTTP on loopback, with a real DuckDB file and spool: tracked links redirect to
// their originals, forged tokens never redirect, the API needs a key, bodies are limited, and the
// report over HTTP is the CLI's report.
import { waitFor } from '../../test/support/wait-for.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runReport } from '../metrics/run-report.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { createApiKey } from '../http/api-keys.js';
import { ClickrateServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-http-'));
let store: Store;
let server: ClickrateServer;
let base = '';
let key = '';
const keyring = createKeyring('k1', { k1: generateKey() });

before(async () => {
  store = await openDuckDbStore(join(dir, 'http.duckdb'));
  key = (await createApiKey(store, 'test')).key;
  server = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool'), trustedProxies: '127.0.0.1' });
  base = `http://127.0.0.1:${await server.listen(0)}`;
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${key}` });
const api = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...auth(), 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
/** Tracked links point at the public base URL; the test calls the same path on the loopback server. */
const local = (tracked: string) => tracked.replace('http://t.example.com', base);
const hrefs = (html: string, kind: 'c' | 'o') =>
  [...html.matchAll(new RegExp(`(?:href|src)="(http://t\\.example\\.com/${kind}/[^"]+)"`, 'g'))].map((m) => m[1]!.replace(/&amp;/g, '&'));
/** Waits until the background writer has stored every spooled event. */
async function drained(): Promise<void> {
  await waitFor('the writer to catch up with the spool', () => {
    const s = server.status() as { spool: { recordsAppended: number }; writer: { recordsWritten: number } };
    return s.writer.recordsWritten >= s.spool.recordsAppended;
  });
}

const corpus = join(process.cwd(), '..', 'shared', 'corpus', 'email-html');
test('every link of every corpus template redirects to its original', {
  skip: existsSync(corpus) ? false : `the shared corpus is absent (${corpus})`,
}, async () => {
  const files = readdirSync(corpus).filter((f) => f.endsWith('.html'));
  assert.ok(files.length >= 11, 'the corpus is there');
  for (const f of files) {
    const res = await api('/api/v1/wrap', { html: readFileSync(join(corpus, f), 'utf8'), campaign: 'corpus', recipient: `${f}@example.com` });
    assert.equal(res.status, 200, f);
    const out = (await res.json()) as { html: string; links: Array<{ url: string; tracked: boolean }> };
    const tracked = out.links.filter((l) => l.tracked);
    const links = hrefs(out.html, 'c');
    assert.equal(links.length, tracked.length, `${f}: one tracked href per tracked link`);
    for (const [i, link] of links.entries()) {
      const r = await fetch(local(link), { redirect: 'manual' });
      assert.equal(r.status, 302, `${f} link ${i}`);
      assert.equal(r.headers.get('location'), tracked[i]!.url, `${f} link ${i} goes to its original`);
    }
  }
});

test('forged, tampered and truncated tokens never redirect', async () => {
  const res = await api('/api/v1/wrap', { html: '<a href="https://shop.example.com/p?x=1">x</a>', campaign: 'forge', recipient: 'r@example.com' });
  const [link] = hrefs(((await res.json()) as { html: string }).html, 'c');
  const good = local(link!);
  const token = good.slice(good.lastIndexOf('/') + 1);
  const [kid, body, tag] = token.split('.') as [string, string, string];
  const evil = Buffer.from(JSON.stringify(['c', 'forge', 'm', 'https://evil.example.net/', 0])).toString('base64url');
  const forged = [
    `${kid}.${evil}.${tag}`,
    `${kid}.${body}.${tag.slice(0, -2)}`,
    token.slice(0, 20),
    `zz.${body}.${tag}`,
    `${kid}.${body}.${'A'.repeat(22)}`,
    '%00',
    '',
  ];
  for (const t of forged) {
    const r = await fetch(`${base}/c/${t}`, { redirect: 'manual' });
    assert.equal(r.status, 404, t);
    assert.equal(r.headers.get('location'), null, `no Location for ${t}`);
  }
  assert.equal((await fetch(good, { redirect: 'manual' })).status, 302);
});

test('clicks and opens are recorded with method, address and agent; HEAD gets the same answer', async () => {
  const res = await api('/api/v1/wrap', {
    html: '<html><body><a href="https://a.example.com/">a</a></body></html>',
    campaign: 'rec',
    recipient: 'r@example.com',
    variant: 'A',
  });
  const out = (await res.json()) as { html: string; message: string };
  const click = local(hrefs(out.html, 'c')[0]!);
  const open = local(hrefs(out.html, 'o')[0]!);
  const head = await fetch(click, { method: 'HEAD', redirect: 'manual', headers: { 'user-agent': 'Scanner/1.0' } });
  assert.equal(head.status, 302);
  const get = await fetch(click, { redirect: 'manual', headers: { 'user-agent': 'Person/1.0', 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(get.headers.get('cache-control')?.includes('no-store'), true);
  const gif = await fetch(open);
  assert.equal(gif.headers.get('content-type'), 'image/gif');
  assert.equal((await gif.arrayBuffer()).byteLength, 43);
  assert.match(gif.headers.get('cache-control') ?? '', /no-cache/);
  await drained();
  const rows = await store.query({
    sql: 'SELECT type, method, ip, user_agent FROM events WHERE message = $m ORDER BY type, method',
    params: { m: { value: out.message, type: 'String' } },
  });
  assert.deepEqual(rows, [
    { type: 'click', method: 'GET', ip: '203.0.113.9', user_agent: 'Person/1.0' },
    { type: 'click', method: 'HEAD', ip: '127.0.0.1', user_agent: 'Scanner/1.0' },
    { type: 'open', method: 'GET', ip: '127.0.0.1', user_agent: 'node' },
    { type: 'sent', method: null, ip: null, user_agent: null },
  ]);
});

test('the API needs a key; errors are JSON with a stable code; bodies are limited', async () => {
  const none = await fetch(`${base}/api/v1/campaigns`);
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'CR_ERR_UNAUTHORIZED');
  assert.equal((await fetch(`${base}/api/v1/campaigns`, { headers: { authorization: 'Bearer cr_wrong' } })).status, 401);
  const big = await api('/api/v1/wrap', { html: 'x'.repeat(3 * 1024 * 1024), campaign: 'c', recipient: 'r' });
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: { code: string } }).error.code, 'CR_ERR_TOO_LARGE');
  const bad = await api('/api/v1/wrap', { html: '<a href="https://a/">a</a>', campaign: 'c' });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /recipient/);
  assert.equal((await api('/api/v1/nope')).status, 404);
  assert.equal((await fetch(`${base}/c/x`, { method: 'POST' })).status, 405);
});

test('POST /api/v1/events stores the valid events, names each rejected one, and is idempotent', async () => {
  const ndjson = [
    JSON.stringify({ id: 'e1', type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'em1', campaign: 'evapi', recipient: 'a@x.com' }),
    JSON.stringify({ id: 'e2', type: 'click', ts: '2026-03-01T09:05:00Z', message: 'em1', url: 'https://a.example.com/' }),
    '{broken',
    JSON.stringify({ id: 'e3', type: 'click', ts: '2026-03-01T09:05:00Z', message: 'em1' }),
  ].join('\n');
  const r1 = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/x-ndjson' }, body: ndjson });
  const b1 = (await r1.json()) as { accepted: number; inserted: number; rejected: Array<{ line: number; reason: string }> };
  assert.equal(r1.status, 200);
  assert.equal(b1.accepted, 2);
  assert.equal(b1.inserted, 2);
  assert.deepEqual(
    b1.rejected.map((r) => r.line),
    [3, 4],
  );
  assert.match(b1.rejected[1]!.reason, /url is required/);
  const r2 = await api('/api/v1/events', [{ id: 'e1', type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'em1', campaign: 'evapi', recipient: 'a@x.com' }]);
  assert.deepEqual(await r2.json(), { received: 1, accepted: 1, inserted: 0, duplicates: 1, rejected: [] });
  const r3 = await api('/api/v1/events', [{ type: 'nope' }]);
  assert.equal(r3.status, 400);
});

test('GET /api/v1/campaigns/<id>/report is the same JSON as report --json', async () => {
  const http = await api('/api/v1/campaigns/evapi/report?by=link&window=7d');
  assert.equal(http.status, 200);
  assert.deepEqual(await http.json(), JSON.parse(JSON.stringify(await runReport(store, { campaign: 'evapi', by: 'link', window: '7d' }))));
  const bad = await api('/api/v1/campaigns/evapi/report?by=colour');
  assert.equal(bad.status, 400);
  assert.equal((await api('/api/v1/campaigns/none-such/report')).status, 404);
});
