// POST /webhooks/<provider>/inbound over real HTTP on loopback with a real DuckDB file: for SendGrid
// Inbound Parse, Mailgun routes and Postmark inbound, a reply to a wrapped message (real reply mail from
// test/fixtures/email/replies/, answering the message's Message-ID) is stored once however often it is
// delivered and shows in the campaign's report; an out-of-office is set aside as an auto-reply; a
// delivery with a wrong credential or a stale signature stores nothing; malformed bodies are named.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { useApiServer } from '../../test/support/api-server.js';
import { REPLY_FIXTURES } from '../../test/support/reply-campaign.js';
import { waitFor } from '../../test/support/wait-for.js';
import { mailgunSignature } from '../../test/support/webhook-signers.js';
import { runReport } from '../metrics/run-report.js';
import { webhookSetups } from '../webhooks/webhook-config.js';

const MAILGUN_KEY = 'key-inbound-0123456789abcdef';
const POSTMARK_AUTH = 'hooks:pm-inbound-secret';
const SENDGRID_AUTH = 'parse:sg-inbound-secret';
// The SendGrid inbound credential is read from the environment once, when the server starts, as serve reads it.
process.env.CLICKRATE_SENDGRID_INBOUND_AUTH = SENDGRID_AUTH;
const api = useApiServer('inbound', undefined, {
  webhooks: webhookSetups({ CLICKRATE_MAILGUN_SIGNING_KEY: MAILGUN_KEY, CLICKRATE_POSTMARK_WEBHOOK_AUTH: POSTMARK_AUTH }),
});
const unconfigured = useApiServer('inbound-none', undefined, { webhooks: webhookSetups({}), sendgridInboundAuth: null });

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

/** Wraps one message of campaign `inbound` (its own segment) through the API; its Message-ID is what a reply answers. */
async function wrapped(message: string): Promise<string> {
  const res = await fetch(`${api.base}/api/v1/wrap`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      html: '<p><a href="https://shop.example.com/a">Shop</a></p>',
      campaign: 'inbound',
      recipient: `${message}@example.org`,
      message,
      segment: message,
    }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { message_id_header: string }).message_id_header;
}

/** A fixture mail made to answer `answers`, with its own Message-ID `own` (one mail per case). */
function mailAnswering(fixture: string, answers: string, own: string): string {
  return readFileSync(join(REPLY_FIXTURES, fixture), 'utf8')
    .replace(/^(In-Reply-To|References): <cr1\.[^>]+>/gm, `$1: ${answers}`)
    .replace(/^Message-ID: <[^>]+>/m, `Message-ID: ${own}`);
}

/** The headers, subject, sender and plain text of a mail, as Postmark's inbound JSON gives them. */
function postmarkJson(raw: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const lines = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const get = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.replace(/^[^:]+:\s*/, '') ?? '';
  const from = /<([^>]+)>/.exec(get('From'))?.[1] ?? '';
  const own = new Set(['from', 'to', 'subject', 'date', 'content-type', 'mime-version']);
  return {
    From: from,
    FromFull: { Email: from, Name: '' },
    Subject: get('Subject'),
    Date: get('Date'),
    MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
    TextBody: rest.join('\n\n').replace(/^--.*$|^Content-Type:.*$/gm, ''),
    Headers: lines.map((l) => ({ Name: l.split(':', 1)[0] ?? '', Value: l.replace(/^[^:]+:\s*/, '') })).filter((h) => !own.has(h.Name.toLowerCase())),
    ...extra,
  };
}

interface Provider {
  name: 'sendgrid' | 'mailgun' | 'postmark';
  /** Posts one mail as the provider does; `bad` posts it with a wrong credential (or a stale signature). */
  post(raw: string, bad?: 'wrong' | 'stale'): Promise<Response>;
}

const url = (p: string, tail = '') => `${api.base}/webhooks/${p}/inbound${tail}`;
const PROVIDERS: Provider[] = [
  {
    name: 'sendgrid',
    post: (raw, bad) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ email: raw, to: 'sam@sender.example', from: 'someone', subject: 'Re', charsets: '{}', spam_score: '0.1' }))
        form.set(k, v);
      return fetch(url('sendgrid'), { method: 'POST', headers: { authorization: basic(bad ? 'parse:nope' : SENDGRID_AUTH) }, body: form });
    },
  },
  {
    name: 'mailgun',
    post: (raw, bad) => {
      const sig = mailgunSignature(bad === 'wrong' ? 'key-other' : MAILGUN_KEY, bad === 'stale' ? String(Math.floor(Date.now() / 1000) - 600) : undefined);
      // Multipart for a clean reply, urlencoded for the others: Mailgun posts either.
      const fields = { 'body-mime': raw, recipient: 'sam@sender.example', ...sig };
      const body = raw.includes('Automatic reply') ? new URLSearchParams(fields) : new FormData();
      if (body instanceof FormData) for (const [k, v] of Object.entries(fields)) body.set(k, v);
      return fetch(url('mailgun', '/mime'), { method: 'POST', body });
    },
  },
  {
    name: 'postmark',
    post: (raw, bad) =>
      fetch(url('postmark'), {
        method: 'POST',
        headers: { authorization: basic(bad ? 'hooks:nope' : POSTMARK_AUTH), 'content-type': 'application/json' },
        body: JSON.stringify(postmarkJson(raw)),
      }),
  },
];

type Answer = { kind: string; message: string | null; reasons: string[]; stored: boolean };

async function drained(): Promise<void> {
  await waitFor('the writer to store the spool', () => {
    const s = api.server.status() as { spool: { recordsAppended: number }; writer: { recordsWritten: number } };
    return s.writer.recordsWritten >= s.spool.recordsAppended;
  });
}

describe('inbound replies per provider', () => {
  for (const p of PROVIDERS) {
    it(`${p.name}: a reply is stored once, an out-of-office is an auto-reply, a bad credential stores nothing`, async () => {
      const [reply, ooo, refused] = [await wrapped(`${p.name}-reply`), await wrapped(`${p.name}-ooo`), await wrapped(`${p.name}-refused`)];
      await drained();
      const mail = mailAnswering('gmail-reply.eml', reply, `<reply-${p.name}@mail.gmail.com>`);
      const first = await p.post(mail);
      assert.equal(first.status, 200, await first.clone().text());
      const a = (await first.json()) as Answer;
      assert.deepEqual([a.kind, a.message, a.stored, a.reasons], ['human', `${p.name}-reply`, true, ['match:in-reply-to']]);
      const again = await p.post(mail);
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as Answer).stored, false, 'a redelivery stores nothing new');

      const away = await p.post(mailAnswering('exchange-out-of-office.eml', ooo, `<ooo-${p.name}@EX01.example.com>`));
      assert.equal(away.status, 200);
      const b = (await away.json()) as Answer;
      assert.deepEqual([b.kind, b.message, b.stored], ['auto', `${p.name}-ooo`, true]);
      assert.ok(
        b.reasons.some((r) => r.startsWith('auto-submitted:') || r.startsWith('ooo-subject:')),
        b.reasons.join(' '),
      );

      const forged = mailAnswering('gmail-reply.eml', refused, `<forged-${p.name}@mail.gmail.com>`);
      for (const bad of p.name === 'mailgun' ? (['wrong', 'stale'] as const) : (['wrong'] as const)) {
        const res = await p.post(forged, bad);
        assert.equal(res.status, 401, `${bad}: ${await res.text()}`);
      }
      const report = await runReport(api.store, { campaign: 'inbound', by: 'segment' });
      assert.equal(report.kind, 'email');
      if (report.kind !== 'email') return;
      const row = (m: string) => report.groups.find((g) => g.key === m) as unknown as { replies: number; auto_replies: number } | undefined;
      assert.deepEqual([row(`${p.name}-reply`)?.replies, row(`${p.name}-reply`)?.auto_replies], [1, 0]);
      assert.deepEqual([row(`${p.name}-ooo`)?.replies, row(`${p.name}-ooo`)?.auto_replies], [0, 1]);
      assert.deepEqual([row(`${p.name}-refused`)?.replies, row(`${p.name}-refused`)?.auto_replies], [0, 0]);
    });
  }

  it('the campaign report counts one person’s reply per provider and sets the out-of-office answers aside', async () => {
    const report = await runReport(api.store, { campaign: 'inbound' });
    assert.equal(report.kind, 'email');
    if (report.kind !== 'email') return;
    assert.deepEqual([report.totals.sent, report.totals.replies, report.totals.auto_replies], [9, 3, 3]);
  });
});

describe('malformed and unconfigured deliveries', () => {
  const postmark = (body: string) =>
    fetch(url('postmark'), { method: 'POST', headers: { authorization: basic(POSTMARK_AUTH), 'content-type': 'application/json' }, body });
  const rows: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['Postmark JSON that is not JSON', () => postmark('{"From":'), 400, /not valid JSON/],
    ['Postmark JSON with no sender', () => postmark(JSON.stringify({ Subject: 'Re: hi', TextBody: 'yes' })), 400, /no sender address/],
    ['Postmark Headers of the wrong shape', () => postmark(JSON.stringify({ From: 'a@example.org', Headers: 'x' })), 400, /Headers/],
    [
      'SendGrid without the raw MIME option',
      () => {
        const form = new FormData();
        form.set('text', 'hello');
        return fetch(url('sendgrid'), { method: 'POST', headers: { authorization: basic(SENDGRID_AUTH) }, body: form });
      },
      400,
      /POST the raw, full MIME message/,
    ],
    ['SendGrid without basic auth', () => fetch(url('sendgrid'), { method: 'POST', body: new FormData() }), 401, /basic auth/],
    [
      'Mailgun forwarding to a URL without /mime',
      () => fetch(url('mailgun'), { method: 'POST', body: new URLSearchParams({ 'body-plain': 'hi', ...mailgunSignature(MAILGUN_KEY) }) }),
      400,
      /body-mime/,
    ],
    ['Mailgun posting JSON', () => fetch(url('mailgun'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 400, /multipart/],
    ['SendGrid at Mailgun’s /mime path', () => fetch(url('sendgrid', '/mime'), { method: 'POST', body: '{}' }), 404, /only Mailgun/],
    [
      'a body over 30 MB',
      () => postmark(JSON.stringify({ From: 'a@example.org', TextBody: 'x'.repeat(30 * 1024 * 1024) })),
      413,
      /over the 31457280-byte limit/,
    ],
    ['a provider without inbound mail', () => fetch(url('ses'), { method: 'POST', body: '{}' }), 404, /providers: sendgrid, mailgun, postmark/],
  ];
  for (const [name, send, status, message] of rows) {
    it(name, async () => {
      const res = await send();
      assert.equal(res.status, status);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, message);
    });
  }

  it('a provider that is not configured is 404 and names the variable to set', async () => {
    const res = await fetch(`${unconfigured.base}/webhooks/sendgrid/inbound`, { method: 'POST', body: new FormData() });
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /CLICKRATE_SENDGRID_INBOUND_AUTH/);
  });
});
