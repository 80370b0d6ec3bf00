// Hostile and careless input over real HTTP on loopback, against a real DuckDB file and spool: every
// request gets a clear answer, valid data beside bad data is stored, and the server stays up throughout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { signToken } from '../tracking/token.js';
import { createApiKey } from '../http/api-keys.js';
import { ClickrateServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-hostile-'));
let store: Store;
let server: ClickrateServer;
let base = '';
let key = '';
const keyring = createKeyring('k1', { k1: generateKey() });
const BASE_URL = 'http://t.example.com';

before(async () => {
  store = await openDuckDbStore(join(dir, 'hostile.duckdb'));
  key = (await createApiKey(store, 'test')).key;
  server = new ClickrateServer({ store, keyring, baseUrl: BASE_URL, spoolDir: join(dir, 'spool') });
  base = `http://127.0.0.1:${await server.listen(0)}`;
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: string) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
const get = (path: string, method = 'GET') => fetch(`${base}${path}`, { method, redirect: 'manual', headers: { authorization: `Bearer ${key}` } });
const local = (tracked: string) => tracked.replace(BASE_URL, '');

/** Wraps one link and returns the tracked path of it (or null when it was left unwrapped) and the warnings. */
async function wrapOne(href: string): Promise<{ path: string | null; warnings: string[]; url: string }> {
  const html = `<p><a href="${href.replace(/"/g, '&quot;')}">x</a></p>`;
  const res = await post('/api/v1/wrap', JSON.stringify({ html, campaign: 'hostile', recipient: 'r@example.com', pixel: false }));
  assert.equal(res.status, 200, `wrap of ${href}`);
  const out = (await res.json()) as { html: string; warnings: string[]; links: Array<{ url: string; tracked: boolean }> };
  const m = /href="(http:\/\/t\.example\.com\/c\/[^"]+)"/.exec(out.html);
  return { path: m ? local(m[1]!) : null, warnings: out.warnings, url: out.links[0]!.url };
}

test('destinations with characters a header cannot carry redirect to their ASCII form, and the server stays up', async () => {
  const table: Array<[string, string]> = [
    ['https://例え.jp/パス?q=€', 'https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%E2%82%AC'],
    ['https://example.com/€uro', 'https://example.com/%E2%82%ACuro'],
    ['https://de.wikipedia.org/wiki/Straße_München_東京', 'https://de.wikipedia.org/wiki/Stra%C3%9Fe_M%C3%BCnchen_%E6%9D%B1%E4%BA%AC'],
    ['https://good.com/\u00fc', 'https://good.com/%C3%BC'],
    ['https://good.com/a\u2028b', 'https://good.com/a%E2%80%A8b'],
    // The HTML parser decodes &#13;&#10; into CR LF; the URL parser drops them, as browsers do.
    ['https://good.com/&#13;&#10;Set-Cookie: x=1', 'https://good.com/Set-Cookie:%20x=1'],
  ];
  for (const [href, location] of table) {
    const { path } = await wrapOne(href);
    assert.ok(path, `${href} is wrapped`);
    for (const method of ['GET', 'HEAD']) {
      const res: Response = await fetch(`${base}${path}`, { method, redirect: 'manual' });
      assert.equal(res.status, 302, `${method} ${href}`);
      assert.equal(res.headers.get('location'), location, `${method} ${href}`);
      assert.equal(res.headers.get('set-cookie'), null, 'no header is injected');
    }
  }
  const status = (await (await get('/api/v1/status')).json()) as { edge: { clicks: number; failed: number } };
  assert.equal(status.edge.clicks, table.length * 2);
  assert.equal(status.edge.failed, 0);
});

test('a token signed before destinations were normalized still redirects safely', async () => {
  // What an older build signed: the author's spelling, raw non-ASCII and all.
  const token = signToken({ kind: 'click', campaign: 'hostile', message: 'old-1', url: 'https://example.com/€uro', link: 0 }, keyring);
  const res = await fetch(`${base}/c/${token}`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), 'https://example.com/%E2%82%ACuro');
});

test('an odd href is left as written with a warning, and the rest of the message is wrapped', async () => {
  for (const odd of ['https:/typo.example.com/', 'http:\\\\evil.com', 'https://bad host.example.com/']) {
    const html = `<a href="${odd}">odd</a> <a href="https://shop.example.com/sale">sale</a>`;
    const res = await post('/api/v1/wrap', JSON.stringify({ html, campaign: 'hostile', recipient: 'r@example.com', pixel: false }));
    assert.equal(res.status, 200, odd);
    const out = (await res.json()) as { html: string; warnings: string[]; links: Array<{ url: string; tracked: boolean; reason?: string }> };
    assert.ok(out.html.includes(`href="${odd}"`), `${odd} stays as written`);
    assert.deepEqual(
      out.links.map((l) => [l.tracked, l.reason ?? null]),
      [
        [false, 'invalid'],
        [true, null],
      ],
    );
    assert.ok(
      out.warnings.some((w) => w.startsWith('Link 1 in the html part') && w.includes('left unwrapped')),
      `a warning names the link: ${out.warnings.join(' | ')}`,
    );
  }
});

test('ill-formed Unicode is refused at the API with its field, and nothing of it reaches the spool', async () => {
  const before = (server.status() as { spool: { recordsAppended: number } }).spool.recordsAppended;
  const res = await post('/api/v1/wrap', '{"html":"<a href=\\"https://a.example.com/\\">a</a>","campaign":"poison\\ud800","recipient":"r@example.com"}');
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'CR_ERR_BAD_INPUT');
  assert.match(body.error.message, /campaign: contains a lone surrogate \(U\+D800\) at character 7/);
  assert.equal((server.status() as { spool: { recordsAppended: number } }).spool.recordsAppended, before, 'nothing spooled');
});

test('events: a lone surrogate or an out-of-range value rejects that event only; the valid ones are stored', async () => {
  const ts = '2026-03-01T09:00:00Z';
  const lines = [
    { id: 'h-ok-1', type: 'sent', ts, message: 'h1', campaign: 'hostile-events', recipient: 'a@example.com' },
    { id: 'h-bad-1', type: 'sent', ts, message: 'h2', campaign: 'poison\ud800', recipient: 'b@example.com' },
    { id: 'h-bad-2', type: 'conversion', ts, message: 'h1', value: 1e15 },
    { id: 'h-bad-3', type: 'conversion', ts, message: 'h1', value: -1e308 },
    { id: 'h-ok-2', type: 'conversion', ts, message: 'h1', value: 19.9 },
  ];
  const res = await post('/api/v1/events', lines.map((l) => JSON.stringify(l)).join('\n'));
  assert.equal(res.status, 200);
  const out = (await res.json()) as { accepted: number; inserted: number; rejected: Array<{ index: number; line?: number; reason: string }> };
  assert.equal(out.accepted, 2);
  assert.equal(out.inserted, 2);
  assert.deepEqual(
    out.rejected.map((r) => r.line),
    [2, 3, 4],
  );
  assert.match(out.rejected[0]!.reason, /campaign: contains a lone surrogate/);
  assert.match(out.rejected[1]!.reason, /value must be at most 1e\+12/);
  assert.match(out.rejected[2]!.reason, /value must be at least -1e\+12/);
  // The store still answers reports after the attempt.
  const report = await get('/api/v1/campaigns/hostile-events/report');
  assert.equal(report.status, 200);
});

test('bad percent-encoding in a path is a 400 that names it, not a 500', async () => {
  for (const bad of ['%', '%E0%A4%A', '%ZZ']) {
    const res = await get(`/api/v1/campaigns/${bad}/events.jsonl`);
    assert.equal(res.status, 400, bad);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'CR_ERR_BAD_INPUT');
    assert.match(body.error.message, /campaign in the path is not valid percent-encoded UTF-8/);
  }
  const status = (await (await get('/api/v1/status')).json()) as { faults: { requests: number } };
  assert.equal(status.faults.requests, 0, 'no request failed inside the server');
});
