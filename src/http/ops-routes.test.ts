// The operator's routes on a real server over loopback, with a real DuckDB file and spool: /healthz,
// /readyz failing for real (spool folder gone or read-only, store closed), /metrics scraped and parsed
// with its counters moving after real clicks, and the request log (ids, templates, no secrets).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { parsePromText, sampleValue } from '../../test/support/prom-text.js';
import { waitFor } from '../../test/support/wait-for.js';
import { ClickrateServer } from '../server/server.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { createApiKey } from './api-keys.js';
import { countRepliesRead, countWebhookRefused } from './prom-metrics.js';
import { createLogger } from './request-log.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-ops-'));
const keyring = createKeyring('k1', { k1: generateKey() });
let store: Store;
let server: ClickrateServer;
let base = '';
let key = '';
const logLines: string[] = [];
const logs = () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

before(async () => {
  store = await openDuckDbStore(join(dir, 'ops.duckdb'));
  key = (await createApiKey(store, 'test')).key;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  server = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool'), logger: createLogger('info', sink) });
  base = `http://127.0.0.1:${await server.listen(0)}`;
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const wrongKey = { authorization: 'Bearer cr_wrong' };
const keyed = () => ({ authorization: `Bearer ${key}` });
const scrape = async (headers: Record<string, string> = keyed()) => {
  const r = await fetch(`${base}/metrics`, { headers });
  assert.equal(r.status, 200, await r.clone().text());
  assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePromText(await r.text());
};
interface Ready {
  ready: boolean;
  checks: Record<'store' | 'spool' | 'writer', { ok: boolean; error?: string }>;
}
const readyz = async () => {
  const r = await fetch(`${base}/readyz`);
  return { status: r.status, body: (await r.json()) as Ready };
};

test('/healthz answers without a key and echoes a sane X-Request-Id, replacing any other', async () => {
  const r = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.1' } });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { ok: true });
  assert.equal(r.headers.get('x-request-id'), 'lb-7f3a.1');
  const odd = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'a b<script>' } });
  assert.match(odd.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'an id with spaces or markup is replaced by a fresh one');
});

test('/readyz is 200 with each check named, and 503 naming the spool while its folder cannot be written', async () => {
  const ok = await readyz();
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { ready: true, checks: { store: { ok: true }, spool: { ok: true }, writer: { ok: true } } });
  const spool = join(dir, 'spool');
  renameSync(spool, `${spool}.away`);
  try {
    // A check's answer is reused for a second: wait for the next check.
    const gone = await waitFor('a check after the folder went', async () => {
      const r = await readyz();
      return r.status === 503 ? r : null;
    });
    assert.equal(gone.body.ready, false);
    assert.equal(gone.body.checks.spool.ok, false);
    assert.match(gone.body.checks.spool.error ?? '', /spool folder not writable: ENOENT/);
    assert.equal(gone.body.checks.store.ok, true, 'only the failing check is named');
  } finally {
    renameSync(`${spool}.away`, spool);
  }
  await waitFor('ready again once the folder is back', async () => (await readyz()).status === 200);
});

test('/readyz is 503 while the spool folder is read-only', { skip: process.getuid?.() === 0 ? 'root writes through file modes' : false }, async () => {
  const spool = join(dir, 'spool');
  chmodSync(spool, 0o500);
  try {
    const r = await waitFor('a check after the chmod', async () => {
      const x = await readyz();
      return x.status === 503 ? x : null;
    });
    assert.match(r.body.checks.spool.error ?? '', /EACCES/);
  } finally {
    chmodSync(spool, 0o700);
  }
});

test('/metrics needs the key; its counters move after real clicks and opens', async () => {
  assert.equal((await fetch(`${base}/metrics`)).status, 401);
  assert.equal((await fetch(`${base}/metrics`, { headers: wrongKey })).status, 401);
  const before = await scrape();
  const wrap = await fetch(`${base}/api/v1/wrap`, {
    method: 'POST',
    headers: { ...keyed(), 'content-type': 'application/json' },
    body: JSON.stringify({ html: '<a href="https://a.example.com/x">x</a>', campaign: 'm1', recipient: 'r@example.com' }),
  });
  assert.equal(wrap.status, 200);
  const html = ((await wrap.json()) as { html: string }).html;
  const click = /href="http:\/\/t\.example\.com(\/c\/[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
  const open = /src="http:\/\/t\.example\.com(\/o\/[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${base}${click}`, { redirect: 'manual' })).status, 302);
  assert.equal((await fetch(`${base}${open}`)).status, 200);
  assert.equal((await fetch(`${base}/c/forged.token.x`, { redirect: 'manual' })).status, 404);
  await waitFor('the writer to store the clicks', () => server.writer.stats().inserted >= 5);
  const s = await scrape();
  const moved = (name: string, labels: Record<string, string> = {}) => (sampleValue(s, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
  assert.equal(moved('clickrate_edge_clicks_total'), 3);
  assert.equal(moved('clickrate_edge_opens_total'), 1);
  assert.equal(moved('clickrate_edge_bad_tokens_total'), 1);
  assert.equal(moved('clickrate_redirect_duration_seconds_count', { route: '/c/{token}' }), 3, 'each redirect timed once');
  assert.equal(moved('clickrate_redirect_duration_seconds_count', { route: '/o/{token}' }), 1);
  assert.equal(
    sampleValue(s, 'clickrate_redirect_duration_seconds_bucket', { route: '/c/{token}', le: '+Inf' }),
    sampleValue(s, 'clickrate_redirect_duration_seconds_count', { route: '/c/{token}' }),
  );
  assert.ok(moved('clickrate_events_stored_total') >= 5, 'the sent, three clicks and the open were stored');
  assert.equal(moved('clickrate_http_requests_total', { route: '/api/v1/wrap', method: 'POST', status: '200' }), 1);
  assert.equal(sampleValue(s, 'clickrate_events_dead_lettered_total'), 0);
  assert.equal(typeof sampleValue(s, 'clickrate_spool_pending_bytes'), 'number');
  assert.equal(typeof sampleValue(s, 'clickrate_writer_lag_seconds'), 'number');
  assert.ok((sampleValue(s, 'clickrate_process_resident_memory_bytes') ?? 0) > 0, 'process metrics are there');
  // Raw paths never become label values: the forged token is not in the output.
  assert.ok(!s.some((x) => Object.values(x.labels).some((v) => v.includes('forged'))));
});

test('/metrics counts what the webhook receivers and the reply reader report', async () => {
  const before = await scrape();
  countWebhookRefused('mailgun', 'unauthorized');
  countWebhookRefused('mailgun', 'unauthorized');
  countRepliesRead('imap', 3);
  const s = await scrape();
  const moved = (name: string, labels: Record<string, string>) => (sampleValue(s, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
  assert.equal(moved('clickrate_webhook_verifications_refused_total', { provider: 'mailgun', reason: 'unauthorized' }), 2);
  assert.equal(moved('clickrate_replies_read_total', { source: 'imap' }), 3);
});

test('/metrics is open without a key to a --metrics-allow address only', async () => {
  const allowed = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool-allow'), metricsAllow: '127.0.0.0/8' });
  const other = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool-other'), metricsAllow: '10.0.0.0/8' });
  try {
    const a = await allowed.listen(0);
    const o = await other.listen(0);
    assert.equal((await fetch(`http://127.0.0.1:${a}/metrics`)).status, 200);
    // X-Forwarded-For is no way in: only the direct peer's address counts.
    assert.equal((await fetch(`http://127.0.0.1:${o}/metrics`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status, 401);
  } finally {
    await allowed.close();
    await other.close();
  }
  assert.throws(
    () => new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool-bad'), metricsAllow: 'localhost' }),
    /--metrics-allow entry 'localhost'/,
  );
});

test('the request log: one JSON line per slow request with id, route template, status and duration; no click lines, no secrets, no full addresses', async () => {
  logLines.length = 0;
  await fetch(`${base}/api/v1/campaigns/m1/report`, { headers: { ...keyed(), 'x-request-id': 'trace-1', cookie: 'cr_session=secret-cookie' } });
  await fetch(`${base}/api/v1/campaigns`, { headers: { authorization: 'Bearer cr_not-a-real-key' } });
  const wrap = await fetch(`${base}/api/v1/wrap`, {
    method: 'POST',
    headers: { ...keyed(), 'content-type': 'application/json' },
    body: JSON.stringify({ html: '<a href="https://a.example.com/y">y</a>', campaign: 'm1', recipient: 'q@example.com' }),
  });
  const click = /href="http:\/\/t\.example\.com(\/c\/[^"]+)"/.exec(((await wrap.json()) as { html: string }).html)![1]!.replace(/&amp;/g, '&');
  await fetch(`${base}${click}`, { redirect: 'manual' });
  await fetch(`${base}/healthz`);
  await waitFor('three request lines', () => logs().filter((l) => l.msg === 'request answered').length >= 3);
  const lines = logs();
  const report = lines.find((l) => l.reqId === 'trace-1');
  assert.ok(report, 'the caller’s request id is in the line');
  assert.equal(report.route, '/api/v1/campaigns/{campaign}/report');
  assert.equal(report.status, 200);
  assert.equal(report.method, 'GET');
  assert.equal(typeof report.ms, 'number');
  assert.equal(report.client, '127.0.0.0/24', 'the address cut to its /24');
  assert.ok(!lines.some((l) => typeof l.route === 'string' && l.route.startsWith('/c/')), 'no line per click');
  assert.ok(!lines.some((l) => l.route === '/healthz'), 'a probe that succeeds is logged at debug only');
  // A refused key is a security event, logged at warn with the whole address (to block it); info lines never hold one.
  const refused = lines.find((l) => l.msg === 'API key refused');
  assert.equal(refused?.level, 40);
  const info = lines.filter((l) => (l.level as number) <= 30);
  assert.ok(!JSON.stringify(info).includes('127.0.0.1'), 'no whole address at info level');
  const text = logLines.join('\n');
  for (const secret of [key, 'cr_not-a-real-key', 'secret-cookie']) assert.ok(!text.includes(secret), `the log holds ${secret}`);
});

test('the logger redacts credentials handed to it and refuses an unknown level', () => {
  const out: string[] = [];
  const log = createLogger('debug', new Writable({ write: (c: Buffer, _e, done) => done(void out.push(c.toString())) }));
  log.info({ authorization: 'Bearer cr_abc', req: { headers: { cookie: 'cr_session=1', authorization: 'Bearer cr_def' } }, key: 'cr_ghi' }, 'x');
  assert.doesNotMatch(out.join(''), /cr_abc|cr_session=1|cr_def|cr_ghi/);
  assert.match(out.join(''), /\[redacted\]/);
  assert.throws(() => createLogger('verbose'), /CLICKRATE_LOG_LEVEL must be one of/);
});

test('/readyz is 503 naming the store once the store is closed', async () => {
  const own = await openDuckDbStore(join(dir, 'closing.duckdb'));
  const s = new ClickrateServer({ store: own, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool-closing') });
  const port = await s.listen(0);
  try {
    assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    await own.close();
    const r = await waitFor('a check after the store closed', async () => {
      const x = await fetch(`http://127.0.0.1:${port}/readyz`);
      return x.status === 503 ? x : null;
    });
    const body = (await r.json()) as Ready;
    assert.equal(body.checks.store.ok, false);
    assert.match(body.checks.store.error ?? '', /^store unreachable: /);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'liveness does not depend on the store');
  } finally {
    await s.close().catch(() => undefined);
  }
});
