// Matching beyond our own Message-IDs, over real HTTP on loopback with a real DuckDB file: provider
// webhooks (SendGrid, SES, Postmark, each verified as in production) tie their Message-ID to a message,
// and a reply naming it is matched `provider`; an id nobody mapped falls through to the weak match; a weak
// match takes the person's message of the reply's thread subject (wrapped with `subject`) over a later one
// of another subject, and a subject wrapped by `clickrate wrap --subject` reaches the store as a hash.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN } from '../../test/support/paths.js';
import * as S from '../../test/support/provider-samples.js';
import { waitFor } from '../../test/support/wait-for.js';
import { loopbackSns, nowSeconds, sendgridKeys, snsSigner, type SnsSigner } from '../../test/support/webhook-signers.js';
import { describeReason } from '../classify/reasons.js';
import { createApiKey } from '../http/api-keys.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import { ClickrateServer } from '../server/server.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { clickrateTracking } from '../tracking/nodemailer-plugin.js';
import { sameThreadSubject } from '../tracking/thread-subject.js';
import nodemailer from 'nodemailer';
import { webhookSetups } from '../webhooks/webhook-config.js';
import { recordReplies } from './record-replies.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-reply-match-'));
// eu-west-1: SES's Message-ID domain is then the region's (provider-message-ids.ts).
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';
const POSTMARK_AUTH = 'hooks:pm-secret-1';
const SG_ID = '<14c5d75ce93.dfd.64b469@ismtpd-555>';
const SES_ID = '0102018f-match-ses-000000';
const PM_ID = '5ab8e7a2-8f33-4a0e-9d3e-3c1f2b9e0a11';
const keyring = createKeyring('k1', { k1: generateKey() });
const sg = sendgridKeys();
let sns: SnsSigner;
let store: Store;
let server: ClickrateServer;
let base = '';
let apiKey = '';

const DAY = 86_400_000;
const sent = (message: string, recipient: string) => ({
  id: `sent:${message}`,
  type: 'sent',
  ts: new Date(Date.now() - DAY).toISOString(),
  message,
  campaign: 'match',
  recipient,
});

before(async () => {
  sns = await snsSigner();
  store = await openDuckDbStore(join(dir, 'match.duckdb'));
  apiKey = (await createApiKey(store, 'test')).key;
  await ingestEvents(store, [sent('m-sg', 'ann@example.org'), sent('m-ses', 'bob@example.org'), sent('m-pm', 'cat@example.org')]);
  const webhooks = webhookSetups(
    { CLICKRATE_SENDGRID_PUBLIC_KEY: sg.publicKey, CLICKRATE_POSTMARK_WEBHOOK_AUTH: POSTMARK_AUTH, CLICKRATE_SES_TOPIC_ARNS: TOPIC },
    { sns: loopbackSns(sns) },
  );
  server = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool'), webhooks, sendgridInboundAuth: null });
  base = `http://127.0.0.1:${await server.listen(0)}`;
});
after(async () => {
  // The server first: it holds the store, and its SES verifier the signer's certificate server.
  for (const part of [server, store, sns]) await part.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (path: string, body: string, headers: Record<string, string>) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return res.json();
};

/** The three providers' deliveries, each naming its clickrate message in the provider's metadata. */
const deliveries: Record<string, () => Promise<unknown>> = {
  sendgrid: () => {
    const body = JSON.stringify([S.sendgrid.processed(Date.now(), { clickrate_message: 'm-sg', 'smtp-id': SG_ID })]);
    const ts = nowSeconds();
    return post('/webhooks/sendgrid', body, { 'x-twilio-email-event-webhook-signature': sg.sign(ts, body), 'x-twilio-email-event-webhook-timestamp': ts });
  },
  ses: () => {
    const event = JSON.parse(S.ses.event('Send', Date.now(), {}, { clickrate_message: ['m-ses'] })) as { mail: Record<string, unknown> };
    event.mail.messageId = SES_ID;
    event.mail.commonHeaders = { subject: 'Quarterly numbers' };
    const note = { Type: 'Notification', MessageId: `n-${SES_ID}`, TopicArn: TOPIC, Message: JSON.stringify(event), Timestamp: new Date().toISOString() };
    return post('/webhooks/ses', JSON.stringify(sns.sign(note)), {});
  },
  postmark: () => {
    const body = JSON.stringify({ ...S.postmark.delivery(Date.now()), MessageID: PM_ID, Metadata: { clickrate_message: 'm-pm' } });
    return post('/webhooks/postmark', body, { authorization: `Basic ${Buffer.from(POSTMARK_AUTH).toString('base64')}` });
  },
};

/** A person's plain reply; `headers` adds In-Reply-To/References. */
function reply(from: string, subject: string, headers: Record<string, string> = {}): Buffer {
  const lines = [
    `From: ${from}`,
    'To: sales@example.com',
    `Subject: ${subject}`,
    // A minute after now: the Date header has whole seconds, and a reply comes after the message it answers.
    `Date: ${new Date(Date.now() + 60_000).toUTCString()}`,
    `Message-ID: <r-${Math.random().toString(36).slice(2)}@mail.example.org>`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    'Sounds good, let us talk on Tuesday.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

async function match(raw: Buffer): Promise<{ message: string | null; how: string | undefined }> {
  const [o] = await recordReplies(store, [{ raw, where: 'test' }], { keyring });
  return { message: o?.message ?? null, how: o?.reasons.find((r) => r.startsWith('match:'))?.slice(6) };
}

const linkRows = async (value: string) =>
  Number((await store.query({ sql: 'SELECT count(*) AS n FROM message_mail_links WHERE value = $v', params: { v: { value, type: 'String' } } }))[0]?.n);

describe('a provider Message-ID mapped by a webhook', () => {
  before(async () => {
    for (const deliver of Object.values(deliveries)) await deliver();
  });

  const cases: Array<[string, string, string, Record<string, string>, string | null, string | undefined]> = [
    ['SendGrid smtp-id in In-Reply-To', 'ann@example.org', 'Re: hello', { 'In-Reply-To': SG_ID }, 'm-sg', 'provider'],
    ['SES, the us-east-1 form', 'bob@example.org', 'Re: hello', { 'In-Reply-To': `<${SES_ID}@email.amazonses.com>` }, 'm-ses', 'provider'],
    ['SES, the region of the topic', 'bob@example.org', 'Re: hello', { 'In-Reply-To': `<${SES_ID}@eu-west-1.amazonses.com>` }, 'm-ses', 'provider'],
    [
      'Postmark, the domain in capitals, named in References only',
      'cat@example.org',
      'Re: hello',
      { References: `<x@elsewhere.example> <${PM_ID}@MTASV.NET>` },
      'm-pm',
      'provider',
    ],
    // A provider id nobody mapped: the next step decides (the sender's latest message, no subject stored).
    ['an unmapped id falls through to the weak match', 'ann@example.org', 'Re: hello', { 'In-Reply-To': '<unmapped.1@ismtpd-555>' }, 'm-sg', 'weak-sender'],
    // SES events carry the Subject: its thread-subject hash is kept, so a reply without In-Reply-To matches.
    ['no Message-ID, the thread subject an SES event carried', 'bob@example.org', 'Re: Quarterly numbers', {}, 'm-ses', 'weak-subject'],
    ['no Message-ID, another subject than the SES event carried', 'bob@example.org', 'Re: hello', {}, null, undefined],
    ['an unmapped id from a stranger matches nothing', 'zed@example.org', 'Re: hello', { 'In-Reply-To': '<unmapped.2@ismtpd-555>' }, null, undefined],
  ];
  for (const [name, from, subject, headers, message, how] of cases) {
    it(name, async () => {
      assert.deepEqual(await match(reply(`Someone <${from}>`, subject, headers)), { message, how });
      // `explain` says in words how the reply was matched, for every way there is.
      if (how) assert.doesNotMatch(describeReason(`match:${how}`), /^matched by /, how);
    });
  }

  it('a delivery posted again records each Message-ID once', async () => {
    await deliveries.sendgrid!();
    await deliveries.postmark!();
    assert.equal(await linkRows(SG_ID), 1);
    assert.equal(await linkRows(`<${PM_ID}@mtasv.net>`), 1);
  });
});

describe('a weak match by thread subject', () => {
  const wrap = (message: string, subject: string) =>
    post('/api/v1/wrap', JSON.stringify({ text: 'Hi Dan', campaign: 'match', recipient: 'dan@example.org', message, subject }), {
      authorization: `Bearer ${apiKey}`,
    });

  before(async () => {
    await wrap('w-pricing', 'Pricing for Acme');
    await wrap('w-later', 'Quick question');
    await waitFor('the wrapped sends to be stored', async () => {
      const rows = await store.query({ sql: "SELECT count(*) AS n FROM events WHERE type = 'sent' AND message LIKE 'w-%'", params: {} });
      return Number(rows[0]?.n) === 2;
    });
  });

  it('stores a keyed hash of the thread subject, never its text', async () => {
    const rows = await store.query({ sql: "SELECT value FROM message_mail_links WHERE kind = 'subject' AND message = 'w-pricing'", params: {} });
    assert.equal(rows.length, 1);
    assert.match(String(rows[0]?.value), /^k1\.[A-Za-z0-9_-]{22}$/);
  });

  const cases: Array<[string, string, string | null, string | undefined]> = [
    ['the same thread subject wins over a later message of another subject', 'RE:  Pricing for ACME', 'w-pricing', 'weak-subject'],
    ['the later message, when its subject is the one answered', 'AW: Quick question', 'w-later', 'weak-subject'],
    ['a subject of neither message matches nothing', 'Re: Something else', null, undefined],
  ];
  for (const [name, subject, message, how] of cases) {
    it(name, async () => {
      assert.deepEqual(await match(reply('Dan <dan@example.org>', subject)), { message, how });
    });
  }
});

it('clickrate wrap --subject stores the thread-subject hash of the message', async () => {
  const db = join(dir, 'cli.duckdb');
  const run = spawnSync(
    process.execPath,
    [BIN, 'wrap', '--db', db, '--campaign', 'c', '--recipient', 'eve@example.org', '--message', 'cli-1', '--subject', 'Hello there'],
    {
      input: '<p>Hello</p>',
      encoding: 'utf8',
    },
  );
  assert.equal(run.status, 0, run.stderr);
  const cli = await openDuckDbStore(db);
  try {
    const rows = await cli.query({ sql: "SELECT value, source FROM message_mail_links WHERE kind = 'subject' AND message = 'cli-1'", params: {} });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.source, 'wrap');
  } finally {
    await cli.close();
  }
});

it("the Nodemailer plugin posts the mail's Subject: its thread-subject hash is stored for the message", async () => {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  transport.use('compile', clickrateTracking({ baseUrl: 'http://t.example.com', keyring, apiUrl: base, apiKey }));
  await transport.sendMail({
    to: 'fay@example.org',
    subject: 'Plugin hello',
    html: '<p>Hi Fay</p>',
    clickrate: { campaign: 'match', message: 'plug-1' },
  } as Record<string, unknown>);
  const rows = await store.query({ sql: "SELECT value, source FROM message_mail_links WHERE kind = 'subject' AND message = 'plug-1'", params: {} });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.source, 'api');
  assert.ok(sameThreadSubject(String(rows[0]?.value), 'Re: plugin  HELLO', keyring), 'the hash of the thread subject');
});
