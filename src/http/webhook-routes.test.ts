// POST /webhooks/<provider> over real HTTP on loopback, with a real DuckDB file and spool: forged,
// replayed, stale and malformed deliveries are refused and store nothing; a retried delivery does not
// double a figure; an unconfigured provider is 404 and `/inbound` is left alone; and a campaign sent
// entirely through SendGrid gives its honest CTR and CTOR, the scanner's clicks and Apple's prefetches set aside.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as S from '../../test/support/provider-samples.js';
import { waitFor } from '../../test/support/wait-for.js';
import { loopbackSns, mailgunSignature, nowSeconds, sendgridKeys, snsSigner, svixKeys, type SnsSigner } from '../../test/support/webhook-signers.js';
import { listCampaigns } from '../metrics/list-campaigns.js';
import { runReport } from '../metrics/run-report.js';
import { ClickrateServer } from '../server/server.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { webhookSetups } from '../webhooks/webhook-config.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-webhooks-'));
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-events';
const MAILGUN_KEY = 'key-test-0123456789abcdef';
const POSTMARK_AUTH = 'hooks:pm-secret-1';
const BREVO_TOKEN = 'brevo-token-0123456789abcdef';
const sg = sendgridKeys();
const svix = svixKeys();
let sns: SnsSigner;
let store: Store;
let server: ClickrateServer;
let base = '';

before(async () => {
  sns = await snsSigner();
  store = await openDuckDbStore(join(dir, 'hooks.duckdb'));
  const env = {
    CLICKRATE_SENDGRID_PUBLIC_KEY: sg.publicKey,
    CLICKRATE_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
    CLICKRATE_POSTMARK_WEBHOOK_AUTH: POSTMARK_AUTH,
    CLICKRATE_SES_TOPIC_ARNS: TOPIC,
    CLICKRATE_RESEND_WEBHOOK_SECRET: svix.secret,
    CLICKRATE_BREVO_WEBHOOK_TOKEN: BREVO_TOKEN,
  };
  const webhooks = webhookSetups(env, {
    sns: loopbackSns(sns),
  });
  const keyring = createKeyring('k1', { k1: generateKey() });
  server = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool'), webhooks });
  base = `http://127.0.0.1:${await server.listen(0)}`;
});
after(async () => {
  await server.close();
  await store.close();
  await sns.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (provider: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/webhooks/${provider}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const appended = () => (server.status() as { spool: { recordsAppended: number } }).spool.recordsAppended;
async function drained(): Promise<void> {
  await waitFor('the writer to store the spool', () => {
    const s = server.status() as { spool: { recordsAppended: number }; writer: { recordsWritten: number } };
    return s.writer.recordsWritten >= s.spool.recordsAppended;
  });
  await server.classifyNow();
}
const sgHeaders = (body: string, ts = nowSeconds()) => ({
  'x-twilio-email-event-webhook-signature': sg.sign(ts, body),
  'x-twilio-email-event-webhook-timestamp': ts,
});
const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` });
const snsBody = (m: Record<string, string>) => JSON.stringify(sns.sign(m));
const snsNote = (Message: string, Timestamp = new Date().toISOString()) => ({
  Type: 'Notification',
  MessageId: `n-${Math.random()}`,
  TopicArn: TOPIC,
  Message,
  Timestamp,
});

describe('refused deliveries store nothing', () => {
  const T = Date.now();
  const sgBody = JSON.stringify([S.sendgrid.processed(T, { category: 'refused' })]);
  const mgEvent = S.mailgun.delivered(T);
  const old = String(Math.floor(T / 1000) - 600);
  const rows: Array<[string, string, () => [string, Record<string, string>], number]> = [
    [
      'SendGrid forged (signed by another key)',
      'sendgrid',
      () => {
        const ts = nowSeconds();
        return [sgBody, { 'x-twilio-email-event-webhook-signature': sendgridKeys().sign(ts, sgBody), 'x-twilio-email-event-webhook-timestamp': ts }];
      },
      401,
    ],
    ['SendGrid stale (signed ten minutes ago)', 'sendgrid', () => [sgBody, sgHeaders(sgBody, old)], 401],
    ['SendGrid unsigned', 'sendgrid', () => [sgBody, {}], 401],
    ['SendGrid signed but not an array of events', 'sendgrid', () => ['{"event":"open"}', sgHeaders('{"event":"open"}')], 400],
    ['Mailgun forged', 'mailgun', () => [JSON.stringify(S.mailgun.event(mgEvent, mailgunSignature('key-other'))), {}], 401],
    ['Mailgun replayed (old signature)', 'mailgun', () => [JSON.stringify(S.mailgun.event(mgEvent, mailgunSignature(MAILGUN_KEY, old))), {}], 401],
    ['Mailgun signed without event-data', 'mailgun', () => [JSON.stringify({ signature: mailgunSignature(MAILGUN_KEY) }), {}], 400],
    ['Postmark with a wrong password', 'postmark', () => [JSON.stringify(S.postmark.delivery(T)), basic('hooks:nope')], 401],
    ['Postmark malformed', 'postmark', () => ['{"RecordType":', basic(POSTMARK_AUTH)], 400],
    [
      'Resend forged',
      'resend',
      () => {
        const b = JSON.stringify(S.resend.event('email.sent', T));
        return [b, svixKeys().headers(b)];
      },
      401,
    ],
    [
      'Resend stale',
      'resend',
      () => {
        const b = JSON.stringify(S.resend.event('email.sent', T));
        return [b, svix.headers(b, 'msg_old', old)];
      },
      401,
    ],
    ['Brevo without a token', 'brevo', () => [JSON.stringify(S.brevo.event('request', T)), {}], 401],
    [
      'SES from a topic not allowed',
      'ses',
      () => [snsBody({ ...snsNote(S.ses.event('Send', T)), TopicArn: 'arn:aws:sns:us-east-1:123456789012:other' }), {}],
      401,
    ],
    ['SES stale', 'ses', () => [snsBody(snsNote(S.ses.event('Send', T), new Date(T - 600_000).toISOString())), {}], 401],
    [
      'SES tampered after signing',
      'ses',
      () => [JSON.stringify({ ...sns.sign(snsNote(S.ses.event('Send', T))), Message: S.ses.event('Delivery', T) }), {}],
      401,
    ],
    ['SES signed, but its Message is not an SES event', 'ses', () => [snsBody(snsNote('not json')), {}], 400],
  ];
  for (const [name, provider, make, want] of rows) {
    it(`${name} → ${want}`, async () => {
      const before = appended();
      const [body, headers] = make();
      const res = await post(provider, body, headers);
      assert.equal(res.status, want, await res.clone().text());
      const err = ((await res.json()) as { error: { code: string; message: string } }).error;
      assert.equal(err.code, want === 401 ? 'CR_ERR_UNAUTHORIZED' : 'CR_ERR_BAD_INPUT');
      assert.match(err.message, new RegExp(`^${provider} webhook: `));
      assert.equal(appended(), before, 'nothing reached the spool');
    });
  }

  it('and the store holds nothing from them', async () => {
    await drained();
    assert.deepEqual(await listCampaigns(store), []);
  });
});

describe('routing', () => {
  it('unknown providers are 404, /inbound is not answered here, GET is 405', async () => {
    assert.equal((await post('mandrill', '{}')).status, 404);
    assert.equal((await post('sendgrid/inbound', '{}')).status, 404);
    const get = await fetch(`${base}/webhooks/sendgrid`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  it('a provider that is not configured is 404 and says which variable to set', async () => {
    const keyring = createKeyring('k1', { k1: generateKey() });
    const bare = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool-bare'), webhooks: webhookSetups({}) });
    const url = `http://127.0.0.1:${await bare.listen(0)}/webhooks/sendgrid`;
    try {
      const res = await fetch(url, { method: 'POST', body: '[]' });
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /CLICKRATE_SENDGRID_PUBLIC_KEY/);
    } finally {
      await bare.close();
    }
  });

  it('an SNS subscription is confirmed only for an allowed topic', async () => {
    const confirm = (TopicArn: string) =>
      snsBody({
        Type: 'SubscriptionConfirmation',
        MessageId: 'c1',
        Token: 'tok',
        TopicArn,
        Message: 'You have chosen to subscribe',
        SubscribeURL: `${new URL(sns.certUrl).origin}/confirm?TopicArn=${TopicArn}`,
        Timestamp: new Date().toISOString(),
      });
    const refusedRes = await post('ses', confirm('arn:aws:sns:us-east-1:123456789012:other'));
    assert.equal(refusedRes.status, 401);
    assert.ok(!sns.seen.some((p) => p.startsWith('/confirm')), 'no confirmation for a topic not allowed');
    const res = await post('ses', confirm(TOPIC), { 'x-amz-sns-message-type': 'SubscriptionConfirmation' });
    assert.equal(res.status, 200);
    assert.ok(
      sns.seen.some((p) => p.startsWith('/confirm') && p.includes('ses-events')),
      'the SubscribeURL was visited',
    );
  });
});

describe('every provider stores its events once, retries included', () => {
  const T = Date.now() - 3_600_000;
  const deliveries: Array<[string, () => [string, Record<string, string>]]> = [
    ['mailgun', () => [JSON.stringify(S.mailgun.event(S.mailgun.delivered(T), mailgunSignature(MAILGUN_KEY))), {}]],
    ['postmark', () => [JSON.stringify(S.postmark.delivery(T)), basic(POSTMARK_AUTH)]],
    [
      'resend',
      () => {
        const b = JSON.stringify(S.resend.event('email.delivered', T));
        return [b, svix.headers(b)];
      },
    ],
    ['brevo', () => [JSON.stringify(S.brevo.event('delivered', T)), { authorization: `Bearer ${BREVO_TOKEN}` }]],
    ['ses', () => [snsBody(snsNote(S.ses.event('Delivery', T))), {}]],
  ];
  const campaigns: Record<string, string> = {
    mailgun: 'my_tag_1',
    postmark: 'welcome-email',
    resend: 'confirm_email',
    brevo: 'myFirstTransactional',
    ses: 'ConfigSet',
  };
  for (const [provider, make] of deliveries) {
    it(`${provider}: delivered twice (a retry), counted once`, async () => {
      for (let i = 0; i < 2; i++) {
        const [body, headers] = make();
        const res = await post(provider, body, headers);
        assert.equal(res.status, 200, await res.clone().text());
        assert.deepEqual(await res.json(), { received: 1, stored: 2, skipped: 0, refused: [] });
      }
      await drained();
      const r = await runReport(store, { campaign: campaigns[provider]! });
      const t = r.totals as unknown as Record<string, number>;
      assert.equal(t.sent, 1);
      assert.equal(t.delivered, 1);
    });
  }
});

describe('a campaign sent entirely through SendGrid', () => {
  const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  const HOME = '73.12.44.9';
  const LINKS = ['https://shop.example.com/a', 'https://shop.example.com/b', 'https://shop.example.com/c'];
  const T = Date.now() - 2 * 3_600_000;
  const msg = (i: number) => ({ sg_message_id: `camp${i}.filter0001.16648.0`, email: `r${i}@example.com`, category: 'spring-sale' });
  const ev = (i: number, id: string, e: object) => ({ ...msg(i), sg_event_id: `${id}-${i}`, ...e });
  const events: object[] = [];
  for (let i = 0; i < 10; i++) {
    events.push(ev(i, 'p', { event: 'processed', timestamp: Math.floor(T / 1000) }));
    events.push(
      i === 9
        ? ev(i, 'b', { event: 'bounce', type: 'bounce', timestamp: Math.floor(T / 1000) + 5 })
        : ev(i, 'd', { event: 'delivered', timestamp: Math.floor(T / 1000) + 5 }),
    );
  }
  const at = (s: number) => Math.floor(T / 1000) + s;
  // People: four open an hour later, two of them click one link.
  for (const i of [0, 1, 2, 3]) events.push(ev(i, 'o', { event: 'open', timestamp: at(3600), ip: HOME, useragent: CHROME, sg_machine_open: false }));
  for (const i of [0, 1]) events.push(ev(i, 'c', { event: 'click', timestamp: at(3630), ip: HOME, useragent: CHROME, url: LINKS[0] }));
  // A security gateway follows every link of three messages within a second, seconds after delivery.
  for (const i of [4, 5, 6])
    for (const [k, url] of LINKS.entries()) events.push(ev(i, `s${k}`, { event: 'click', timestamp: at(7), ip: HOME, useragent: CHROME, url }));
  // Apple's proxy prefetches two pixels; SendGrid flags them as machine opens.
  for (const i of [7, 8]) events.push(ev(i, 'm', { event: 'open', timestamp: at(60), ip: '17.58.101.9', useragent: 'Mozilla/5.0', sg_machine_open: true }));

  it('gives CTR and CTOR from the webhooks alone, and a retried batch changes nothing', async () => {
    const half = Math.floor(events.length / 2);
    for (const part of [events.slice(0, half), events.slice(half), events.slice(half)]) {
      const body = JSON.stringify(part);
      const res = await post('sendgrid', body, sgHeaders(body));
      assert.equal(res.status, 200, await res.clone().text());
    }
    await drained();
    const r = await runReport(store, { campaign: 'spring-sale' });
    const t = r.totals as unknown as Record<string, number> & { raw: Record<string, number> };
    assert.equal(t.sent, 10);
    assert.equal(t.bounced, 1);
    assert.equal(t.delivered, 9);
    assert.equal(t.unique_clicks, 2);
    assert.equal(t.unique_opens, 4);
    assert.equal(t.ctr, (100 * 2) / 9);
    assert.equal(t.ctor, 50);
    assert.equal(t.scanner_clicks, 9, 'the gateway clicks are set aside');
    assert.equal(t.machine_opens, 2, "Apple's prefetches are set aside");
    assert.equal(t.raw.unique_clicks, 5, 'without filtering the scanner would have counted');
    assert.equal(t.total_clicks, 2);
  });
});
