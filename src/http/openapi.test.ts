// The API description against the real server on loopback (real DuckDB file and spool): every described
// route is called, and each answer (successes and errors) must be described and validate against the
// response schema it is described with. A route added to the server without a description, or an
// answer that drifts from its schema, fails here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type DescriptionChecker, descriptionChecker } from '../../test/support/openapi-check.js';
import { parsePromText, sampleValue } from '../../test/support/prom-text.js';
import { waitFor } from '../../test/support/wait-for.js';
import { mailgunSignature } from '../../test/support/webhook-signers.js';
import { ClickrateServer } from '../server/server.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { webhookSetups } from '../webhooks/webhook-config.js';
import { createApiKey } from './api-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-openapi-'));
const keyring = createKeyring('k1', { k1: generateKey() });
let store: Store;
let server: ClickrateServer;
let base = '';
let key = '';
let doc: Record<string, unknown>;
let checker: DescriptionChecker;

const HOOK_PASSWORD = 'postmark-hook-password';
const MAILGUN_KEY = 'key-openapi-0123456789';
const ts = (min: number) => new Date(Date.parse('2026-03-02T10:00:00Z') + min * 60_000).toISOString();
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36';
const events = [
  ...['A', 'B'].flatMap((v, i) =>
    [1, 2].map((j) => ({ type: 'sent', ts: ts(0), message: `m${i}${j}`, campaign: 'news', recipient: `r${i}${j}@example.com`, variant: v, step: 1 })),
  ),
  { type: 'open', ts: ts(30), message: 'm01', user_agent: UA, ip: '81.2.69.160' },
  { type: 'click', ts: ts(31), message: 'm01', url: 'https://shop.example.com/a', user_agent: UA, ip: '81.2.69.160' },
  { type: 'reply', ts: ts(90), message: 'm12' },
  { type: 'impression', ts: ts(0), campaign: 'ads1', ad: 'ad-1' },
  { type: 'impression', ts: ts(1), campaign: 'ads1', ad: 'ad-1' },
  { type: 'click', ts: ts(2), campaign: 'ads1', ad: 'ad-1', url: 'https://shop.example.com/ad', user_agent: UA, ip: '81.2.69.161' },
];

before(async () => {
  store = await openDuckDbStore(join(dir, 'openapi.duckdb'));
  key = (await createApiKey(store, 'test')).key;
  server = new ClickrateServer({
    store,
    keyring,
    baseUrl: 'http://t.example.com',
    spoolDir: join(dir, 'spool'),
    webhooks: webhookSetups({ CLICKRATE_POSTMARK_WEBHOOK_AUTH: `hook:${HOOK_PASSWORD}`, CLICKRATE_MAILGUN_SIGNING_KEY: MAILGUN_KEY }),
  });
  base = `http://127.0.0.1:${await server.listen(0)}`;
  const res = await fetch(`${base}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  doc = (await res.json()) as Record<string, unknown>;
  checker = descriptionChecker(doc);
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: string, template: string, path: string, opts: { body?: string; type?: string; key?: string | null } = {}) => {
  const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/json' };
  if (opts.key !== null) headers.authorization = `Bearer ${opts.key ?? key}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: opts.body, redirect: 'manual' });
  const status = res.status;
  return { status, body: await checker.check(method, template, res) };
};
const json = (v: unknown) => JSON.stringify(v);

test('every route answers as described: successes and errors', async () => {
  // Writes first, so the reads have figures to show.
  const evs = await call('POST', '/api/v1/events', '/api/v1/events', { body: json(events) });
  assert.equal(evs.status, 200);
  assert.equal((await call('POST', '/api/v1/events', '/api/v1/events', { body: '{"type":"sent"}\n', type: 'application/x-ndjson' })).status, 400);
  const wrap = await call('POST', '/api/v1/wrap', '/api/v1/wrap', {
    body: json({ html: '<a href="https://shop.example.com/w">w</a>', text: 'see https://shop.example.com/t', campaign: 'wrapped', recipient: 'w@example.com' }),
  });
  assert.equal(wrap.status, 200);
  // With the honeypot and a link left as written, the answer carries `honeypot` and a link's `reason`.
  const honeypot = await call('POST', '/api/v1/wrap', '/api/v1/wrap', {
    body: json({
      html: '<a href="https://shop.example.com/h">h</a> <a href="mailto:a@example.com">a</a>',
      campaign: 'wrapped',
      recipient: 'h@example.com',
      honeypot: true,
    }),
  });
  assert.equal(honeypot.status, 200);
  assert.match(String((honeypot.body as { honeypot?: unknown }).honeypot), /^http:\/\/t\.example\.com\/c\//);
  assert.ok((honeypot.body as { links: Array<{ reason?: string }> }).links.some((l) => l.reason === 'mailto'));
  assert.equal((await call('POST', '/api/v1/wrap', '/api/v1/wrap', { body: json({ campaign: 'x' }) })).status, 400);
  assert.equal((await call('POST', '/api/v1/wrap', '/api/v1/wrap', { body: '{}', key: 'cr_wrong' })).status, 401);
  const conflict = await call('POST', '/api/v1/wrap', '/api/v1/wrap', { body: json({ text: 'x', campaign: 'other', recipient: 'r', message: 'm01' }) });
  assert.equal(conflict.status, 409);
  assert.equal((await call('POST', '/api/v1/subjects', '/api/v1/subjects', { body: json({ message: 'm01', subject: 'Re: Hello' }) })).status, 200);
  assert.equal((await call('POST', '/api/v1/subjects', '/api/v1/subjects', { body: json({ message: 'm01' }) })).status, 400);
  const basic = (pass: string) => `Basic ${Buffer.from(`hook:${pass}`).toString('base64')}`;
  const delivery = json({
    RecordType: 'Delivery',
    MessageID: 'pm-1',
    DeliveredAt: ts(1),
    Recipient: 'r01@example.com',
    Metadata: { clickrate_message: 'm01' },
  });
  const hook = (auth: string, provider = 'postmark') =>
    fetch(`${base}/webhooks/${provider}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: delivery });
  assert.equal((await checker.check('POST', '/webhooks/{provider}', await hook(basic(HOOK_PASSWORD)))) !== undefined, true);
  const refusedHooks = async () => {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${key}` } })).text();
    return sampleValue(parsePromText(text), 'clickrate_webhook_verifications_refused_total', { provider: 'postmark', reason: 'unauthorized' }) ?? 0;
  };
  const refusedBefore = await refusedHooks();
  const wrongHook = await hook(basic('wrong'));
  assert.equal(wrongHook.status, 401);
  await checker.check('POST', '/webhooks/{provider}', wrongHook);
  assert.equal((await refusedHooks()) - refusedBefore, 1, 'the refused delivery is counted in /metrics');
  const unconfigured = await hook(basic(HOOK_PASSWORD), 'sendgrid');
  assert.equal(unconfigured.status, 404);
  await checker.check('POST', '/webhooks/{provider}', unconfigured);
  assert.ok(checker.covered.has('POST /webhooks/{provider}'), 'the delivery was answered 2xx');
  const inbound = (auth: string) =>
    fetch(`${base}/webhooks/postmark/inbound`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ From: 'r01@example.com', Subject: 'Re: news', MessageID: 'pm-in-1', TextBody: 'Thanks!', Headers: [] }),
    });
  assert.equal((await checker.check('POST', '/webhooks/{provider}/inbound', await inbound(basic(HOOK_PASSWORD))))?.constructor, Object);
  await checker.check('POST', '/webhooks/{provider}/inbound', await inbound(basic('wrong')));
  const mime = 'From: r01@example.com\r\nSubject: Re: news\r\nMessage-ID: <in-2@example.com>\r\n\r\nThanks!\r\n';
  const mailgunForm = new URLSearchParams({ 'body-mime': mime, ...mailgunSignature(MAILGUN_KEY) });
  await checker.check('POST', '/webhooks/mailgun/inbound/mime', await fetch(`${base}/webhooks/mailgun/inbound/mime`, { method: 'POST', body: mailgunForm }));
  const kept = await call('POST', '/api/v1/templates', '/api/v1/templates', {
    body: json({ campaign: 'news', step: 1, variant: 'A', html: '<a href="https://shop.example.com/a">a</a>' }),
  });
  assert.equal(kept.status, 201);
  assert.equal((await call('POST', '/api/v1/templates', '/api/v1/templates', { body: json({ campaign: 'news' }) })).status, 400);
  assert.equal(
    (await call('PUT', '/api/v1/campaigns/{campaign}/settings', '/api/v1/campaigns/news/settings', { body: json({ kind: 'newsletter' }) })).status,
    200,
  );
  assert.equal((await call('PUT', '/api/v1/campaigns/{campaign}/settings', '/api/v1/campaigns/news/settings', { body: json({ kind: 'loud' }) })).status, 400);
  assert.equal(
    (await call('PUT', '/api/v1/campaigns/{campaign}/settings', '/api/v1/campaigns/none-such/settings', { body: json({ kind: null }) })).status,
    404,
  );
  await waitFor('the wrapped sent to be stored', () => server.writer.stats().inserted >= 1);
  await server.classifyNow();

  const gets: Array<[string, string, number]> = [
    ['/healthz', '/healthz', 200],
    ['/readyz', '/readyz', 200],
    ['/metrics', '/metrics', 200],
    ['/api/v1/openapi.json', '/api/v1/openapi.json', 200],
    ['/api/v1/status', '/api/v1/status', 200],
    ['/api/v1/campaigns', '/api/v1/campaigns', 200],
    ['/api/v1/campaigns/{campaign}/report', '/api/v1/campaigns/news/report', 200],
    ['/api/v1/campaigns/{campaign}/report', '/api/v1/campaigns/news/report?by=variant&window=7d', 200],
    ['/api/v1/campaigns/{campaign}/report', '/api/v1/campaigns/news/report?by=link', 200],
    ['/api/v1/campaigns/{campaign}/report', '/api/v1/campaigns/ads1/report?by=ad', 200],
    ['/api/v1/campaigns/{campaign}/report', '/api/v1/campaigns/news/report?by=colour', 400],
    ['/api/v1/campaigns/{campaign}/report', '/api/v1/campaigns/none-such/report', 404],
    ['/api/v1/dashboard/overview', '/api/v1/dashboard/overview?window=7d', 200],
    ['/api/v1/campaigns/{campaign}/page', '/api/v1/campaigns/news/page', 200],
    ['/api/v1/campaigns/{campaign}/page', '/api/v1/campaigns/ads1/page', 200],
    ['/api/v1/campaigns/{campaign}/timeseries', '/api/v1/campaigns/news/timeseries?interval=hour', 200],
    ['/api/v1/campaigns/{campaign}/timeseries', '/api/v1/campaigns/news/timeseries?interval=week', 400],
    ['/api/v1/campaigns/{campaign}/diagnosis', '/api/v1/campaigns/news/diagnosis', 200],
    ['/api/v1/campaigns/{campaign}/diagnosis', '/api/v1/campaigns/ads1/diagnosis', 200],
    ['/api/v1/campaigns/{campaign}/templates', '/api/v1/campaigns/wrapped/templates', 200],
    ['/api/v1/campaigns/{campaign}/settings', '/api/v1/campaigns/news/settings', 200],
    ['/api/v1/campaigns/{campaign}/settings', '/api/v1/campaigns/ads1/settings', 200],
    ['/api/v1/campaigns/{campaign}/click-map', '/api/v1/campaigns/wrapped/click-map', 200],
    ['/api/v1/campaigns/{campaign}/click-map', '/api/v1/campaigns/wrapped/click-map?step=0', 400],
    ['/api/v1/campaigns/{campaign}/click-map', '/api/v1/campaigns/wrapped/click-map?step=2', 404],
    ['/api/v1/campaigns/{campaign}/events.jsonl', '/api/v1/campaigns/news/events.jsonl', 200],
    ['/api/v1/campaigns/{campaign}/events.jsonl', '/api/v1/campaigns/none-such/events.jsonl', 404],
    ['/api/v1/calc', '/api/v1/calc?clicks=12&delivered=400&opens=100', 200],
    ['/api/v1/calc', '/api/v1/calc?impressions=1000&clicks=9', 200],
    ['/api/v1/calc', '/api/v1/calc?delivered=400', 400],
  ];
  for (const [template, path, status] of gets) assert.equal((await call('GET', template, path)).status, status, path);
  assert.equal((await call('GET', '/api/v1/campaigns', '/api/v1/campaigns', { key: null })).status, 401);
  assert.equal((await call('GET', '/metrics', '/metrics', { key: null })).status, 401);

  // Every described route was answered with a success at least once.
  const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  const missing = described.filter((r) => !checker.covered.has(r));
  assert.deepEqual(missing, [], 'routes never called here');
});

test('the description is generated from the request schemas: a field the wrap schema refuses is refused by the server', async () => {
  type Op = { requestBody: { content: Record<string, { schema: { $ref: string } }> } };
  const ref = (doc.paths as Record<string, Record<string, Op>>)['/api/v1/wrap']!.post!.requestBody.content['application/json']!.schema.$ref;
  const schemas = (doc.components as { schemas: Record<string, { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean }> })
    .schemas;
  const schema = schemas[ref.replace('#/components/schemas/', '')]!;
  assert.deepEqual(schema.required.sort(), ['campaign', 'recipient']);
  assert.equal(schema.additionalProperties, false);
  assert.ok('tracking' in schema.properties);
  const r = await fetch(`${base}/api/v1/wrap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: json({ text: 'x', campaign: 'c', recipient: 'r', colour: 'red' }),
  });
  assert.equal(r.status, 400, 'an undescribed field is refused');
});
