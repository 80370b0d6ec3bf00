// The dashboard's newer routes over real HTTP on loopback: a campaign's kind (PUT/GET …/settings) and
// the diagnosis that follows it, templates posted for the click map (POST /api/v1/templates), and the
// not-found answer (an HTML page for browsers, JSON for API clients).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createApiKey } from '../http/api-keys.js';
import { ClickrateServer } from '../server/server.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-routes-'));
let store: Store;
let server: ClickrateServer;
let base = '';
let key = '';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
/** An email campaign with one reply (read as outreach until a kind is set), and an ad campaign. */
const events = [
  ...[1, 2, 3].map((i) => ({ type: 'sent', ts: iso(0), message: `m${i}`, campaign: 'news', recipient: `r${i}@example.com` })),
  { type: 'reply', ts: iso(120), message: 'm3' },
  { type: 'impression', ts: iso(5), campaign: 'banner', ad: 'a1' },
];

before(async () => {
  store = await openDuckDbStore(join(dir, 'routes.duckdb'));
  key = (await createApiKey(store, 'test')).key;
  server = new ClickrateServer({ store, keyring: createKeyring('k1', { k1: generateKey() }), baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool') });
  base = `http://127.0.0.1:${await server.listen(0)}`;
  const res = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(events) });
  assert.equal(res.status, 200, await res.text());
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const keyed = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });

test('campaign settings: a kind can be set and cleared, and the diagnosis follows it', async () => {
  const put = (campaign: string, body: string) =>
    fetch(`${base}/api/v1/campaigns/${campaign}/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
  const diag = async () =>
    (await (await keyed('/api/v1/campaigns/news/diagnosis')).json()) as {
      email_kind: { kind: string; inferred: boolean; why: string };
      benchmarks: { ctr: { label: string } };
    };
  // news has a reply: read as outreach until someone says otherwise.
  assert.deepEqual((await diag()).email_kind, { kind: 'outreach', inferred: true, why: '1 replies were recorded' });
  const set = await put('news', '{"kind":"newsletter"}');
  assert.equal(set.status, 200);
  assert.deepEqual(((await set.json()) as { kind: string }).kind, 'newsletter');
  const d = await diag();
  assert.deepEqual(d.email_kind, { kind: 'newsletter', inferred: false, why: 'set for this campaign' });
  assert.equal(d.benchmarks.ctr.label, 'newsletters');
  assert.equal((await put('news', '{"kind":null}')).status, 200);
  assert.equal((await diag()).email_kind.inferred, true);
  for (const [campaign, body, status] of [
    ['news', '{"kind":"cold"}', 400],
    ['news', '{"kind":"outreach","colour":"red"}', 400],
    ['news', '[1]', 400],
    ['news', '{', 400],
    ['nope', '{"kind":"outreach"}', 404],
    ['banner', '{"kind":"outreach"}', 400],
  ] as const) {
    assert.equal((await put(campaign, body)).status, status, `${campaign} ${body}`);
  }
  assert.equal((await fetch(`${base}/api/v1/campaigns/news/settings`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } })).status, 405);
});

test('POST /api/v1/templates keeps a template for the click map; bad bodies are named', async () => {
  const post = (body: unknown) =>
    fetch(`${base}/api/v1/templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const ok = await post({ campaign: 'news', step: 2, variant: 'B', html: '<a href="https://shop.example.com/a">A</a>' });
  assert.equal(ok.status, 201);
  assert.equal((await store.getTemplate('news', 2, 'B'))?.html, '<a href="https://shop.example.com/a">A</a>');
  for (const [bad, field] of [
    [{ campaign: 'news', html: '' }, /html/],
    [{ campaign: 'news', step: 0, html: 'x' }, /step/],
    [{ html: 'x' }, /campaign/],
    [{ campaign: 'news', html: 'x', extra: 1 }, /extra/],
  ] as const) {
    const r = await post(bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(((await r.json()) as { error: { message: string } }).error.message, field);
  }
  assert.equal((await fetch(`${base}/api/v1/templates`, { method: 'POST', body: '{}' })).status, 401, 'keyed like every API route');
});

test('an unknown path is an HTML page for browsers and JSON for API clients, both 404', async () => {
  const browser = await fetch(`${base}/nope`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  assert.equal(browser.status, 404);
  assert.match(browser.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await browser.text(), /Page not found[\s\S]*<code>\/nope<\/code>/);
  const script = await fetch(`${base}/nope<script>`, { headers: { accept: 'text/html' } });
  assert.doesNotMatch(await script.text(), /<script>/, 'the path is escaped');
  const api = await fetch(`${base}/nope`, { headers: { accept: 'application/json' } });
  assert.equal(api.status, 404);
  assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'CR_ERR_NOT_FOUND');
});
