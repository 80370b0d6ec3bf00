// Tests for the Nodemailer plugin with real Nodemailer transports (stream and JSON) and a real HTTP server:
// wrapped parts, verifying tokens, header handling, untracked cases, and sent-event recording that never blocks mail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { isClickrateError } from '../errors.js';
import { createKeyring, generateKey, KEYRING_ENV, KEYRING_FILE_ENV, serializeKeyring } from './keyring.js';
import { clickrateHeaders, clickrateTracking, type ClickrateNodemailerOptions, type NodemailerTrackingResult } from './nodemailer-plugin.js';
import { messageOfMessageId } from './message-id-header.js';
import { verifyClickToken, verifyOpenToken, verifyToken } from './token.js';

const keyring = createKeyring('k1', { k1: generateKey() });
const baseUrl = 'https://t.example.com';
const html =
  '<html><body><p>Hi</p><a href="https://shop.example.com/sale?x=1&amp;y=2">Sale</a> ' + '<a href="https://shop.example.com/new">New</a></body></html>';
const text = 'Sale: https://shop.example.com/sale\nNew: https://shop.example.com/new\n';

function recordingLogger() {
  const lines = { warn: [] as string[], error: [] as string[], debug: [] as string[] };
  return {
    lines,
    logger: {
      warn: (m: string) => void lines.warn.push(m),
      error: (m: string) => void lines.error.push(m),
      debug: (m: string) => void lines.debug.push(m),
    },
  };
}

/** A stream transport with the plugin: the raw RFC 5322 message comes back in info.message. */
function streamTransport(options: Partial<ClickrateNodemailerOptions> = {}) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  transport.use('compile', clickrateTracking({ baseUrl, keyring, ...options }));
  return transport;
}

function jsonTransport(options: Partial<ClickrateNodemailerOptions> = {}) {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  transport.use('compile', clickrateTracking({ baseUrl, keyring, ...options }));
  return transport;
}

async function sendRaw(transport: ReturnType<typeof streamTransport>, mail: Record<string, unknown>): Promise<string> {
  const info = await transport.sendMail(mail);
  return (info.message as Buffer).toString('utf8');
}

async function sendJson(transport: ReturnType<typeof jsonTransport>, mail: Record<string, unknown>) {
  const info = await transport.sendMail(mail);
  return JSON.parse(info.message as string) as { html?: string; text?: string; headers?: Record<string, string> };
}

/** Header block of a raw message, unfolded, as [name, value] pairs. */
function headersOf(raw: string): Array<[string, string]> {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  return head
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .map((line) => {
      const i = line.indexOf(':');
      return [line.slice(0, i), line.slice(i + 1).trim()] as [string, string];
    });
}

/** Decodes the quoted-printable bodies Nodemailer writes for long lines (soft breaks and =XX escapes). */
function decodeQp(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const tokensOf = (s: string, kind: 'c' | 'o'): string[] =>
  [...s.matchAll(new RegExp(`https://t\\.example\\.com/${kind}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`, 'g'))].map((m) => m[1] ?? '');

test('html and text go out with tracked links that verify back to the original URLs, plus the pixel', async () => {
  const wrapped: NodemailerTrackingResult[] = [];
  const transport = streamTransport({ onWrapped: (r) => void wrapped.push(r), logger: recordingLogger().logger });
  const raw = await sendRaw(transport, {
    from: 'News <news@example.com>',
    to: 'Ann <Ann@Example.org>',
    subject: 'Sale',
    html,
    text,
    clickrate: { campaign: 'spring', step: 2, variant: 'B', segment: 'vip' },
  });
  const body = decodeQp(raw);
  const clicks = tokensOf(body, 'c').map((t) => verifyClickToken(t, keyring));
  assert.equal(wrapped.length, 1);
  const result = wrapped[0]!;
  assert.match(result.message, /^m_[A-Za-z0-9_-]{16,}$/);
  // html part first (2 links), then the text part (2 links) — Nodemailer writes text before html.
  assert.deepEqual(clicks.map((c) => c.url).sort(), [
    'https://shop.example.com/new',
    'https://shop.example.com/new',
    'https://shop.example.com/sale',
    'https://shop.example.com/sale?x=1&y=2',
  ]);
  for (const c of clicks) {
    assert.equal(c.message, result.message);
    assert.equal(c.campaign, 'spring');
  }
  const opens = tokensOf(body, 'o');
  assert.equal(opens.length, 1, 'one open pixel');
  assert.deepEqual(verifyOpenToken(opens[0]!, keyring), { kind: 'open', campaign: 'spring', message: result.message });
  assert.ok(!body.includes('href="https://shop.example.com/'), 'no untracked html link left');

  const headers = headersOf(raw);
  assert.deepEqual(
    headers.filter(([k]) => /^x-clickrate/i.test(k)),
    [['X-Clickrate-Message', result.message]],
  );
  // The Message-ID a reply will name leads back to this message (message-id-header.ts).
  const messageId = headers.find(([k]) => k.toLowerCase() === 'message-id')?.[1];
  assert.equal(messageId, result.message_id_header);
  assert.equal(messageOfMessageId(messageId ?? '', keyring), result.message);

  assert.deepEqual(result.sent, {
    type: 'sent',
    ts: result.sent.ts,
    message: result.message,
    campaign: 'spring',
    recipient: 'ann@example.org',
    step: 2,
    variant: 'B',
    segment: 'vip',
  });
  assert.ok(!Number.isNaN(Date.parse(result.sent.ts)) && result.sent.ts.endsWith('Z'));
  assert.equal(result.links.filter((l) => l.tracked).length, 4);
  assert.ok(result.html?.includes('/o/') && result.text?.includes('/c/'));
});

test('X-Clickrate-* headers tag the message and are removed before sending; the header object is not mutated', async () => {
  const wrapped: NodemailerTrackingResult[] = [];
  const transport = streamTransport({ onWrapped: (r) => void wrapped.push(r), logger: recordingLogger().logger });
  const headers = {
    'X-Clickrate-Campaign': 'fall',
    'x-clickrate-step': '3',
    'X-Clickrate-Variant': 'A',
    'X-Clickrate-Segment': 'new',
    'X-Clickrate-Message': 'msg-42',
    'X-Clickrate-Recipient': 'user-7',
    'X-Other': 'kept',
  };
  const snapshot = { ...headers };
  const raw = await sendRaw(transport, { from: 'news@example.com', to: 'a@example.org', subject: 's', html, headers });
  const out = headersOf(raw);
  assert.deepEqual(
    out.filter(([k]) => /^x-/i.test(k)),
    [
      ['X-Other', 'kept'],
      ['X-Clickrate-Message', 'msg-42'],
    ],
  );
  assert.deepEqual(headers, snapshot, 'the app may reuse its headers object');
  const sent = wrapped[0]?.sent;
  assert.deepEqual(sent && { ...sent, ts: '' }, {
    type: 'sent',
    ts: '',
    message: 'msg-42',
    campaign: 'fall',
    recipient: 'user-7',
    step: 3,
    variant: 'A',
    segment: 'new',
  });
  for (const t of tokensOf(decodeQp(raw), 'c')) assert.equal(verifyToken(t, keyring).message, 'msg-42');

  // The array form, built with the typed helper; the clickrate field wins over a header.
  const raw2 = await sendRaw(transport, {
    from: 'news@example.com',
    to: 'a@example.org',
    html,
    headers: [...Object.entries(clickrateHeaders({ campaign: 'fall', step: 1 })).map(([key, value]) => ({ key, value })), { key: 'X-Other', value: 'kept' }],
    clickrate: { campaign: 'override' },
  });
  assert.deepEqual(
    headersOf(raw2)
      .filter(([k]) => /^x-/i.test(k))
      .map(([k]) => k),
    ['X-Other', 'X-Clickrate-Message'],
  );
  assert.equal(wrapped[1]?.sent.campaign, 'override');
  assert.equal(wrapped[1]?.sent.step, 1);
});

test('a message without clickrate data is sent unchanged (untracked is the transactional default)', async () => {
  const { logger, lines } = recordingLogger();
  let called = 0;
  const transport = jsonTransport({ onWrapped: () => void called++, logger });
  const out = await sendJson(transport, { from: 'a@example.com', to: 'b@example.org', subject: 'reset', html, text, headers: { 'X-Other': '1' } });
  assert.equal(out.html, html);
  assert.equal(out.text, text);
  assert.deepEqual(out.headers, { 'X-Other': '1' });
  assert.equal(called, 0);
  assert.equal(lines.warn.length, 0);
  assert.match(lines.debug.join('\n'), /no clickrate campaign; sent untracked/);
});

test('clickrate data that cannot be used: headers still removed, message sent untracked, warning logged', async () => {
  const { logger, lines } = recordingLogger();
  let called = 0;
  const transport = jsonTransport({ onWrapped: () => void called++, logger });
  const noCampaign = await sendJson(transport, { from: 'a@example.com', to: 'b@example.org', html, headers: { 'X-Clickrate-Step': '2' } });
  assert.equal(noCampaign.html, html);
  assert.deepEqual(noCampaign.headers ?? {}, {});
  const badStep = await sendJson(transport, { from: 'a@example.com', to: 'b@example.org', html, clickrate: { campaign: 'c', step: 0 } });
  assert.equal(badStep.html, html);
  assert.equal(called, 0);
  assert.match(lines.warn.join('\n'), /without a campaign.*untracked/);
  assert.match(lines.warn.join('\n'), /step must be an integer >= 1, not 0/);
});

test('Buffer parts are wrapped; a stream part leaves the whole message untracked with a warning', async () => {
  const { logger, lines } = recordingLogger();
  const transport = jsonTransport({ logger });
  const fromBuffer = await sendJson(transport, { to: 'b@example.org', html: Buffer.from(html), text: Buffer.from(text), clickrate: { campaign: 'c' } });
  assert.equal(tokensOf(fromBuffer.html ?? '', 'c').length, 2);
  assert.equal(tokensOf(fromBuffer.text ?? '', 'c').length, 2);

  const fromStream = await sendJson(transport, { to: 'b@example.org', html: Readable.from([html]), text, clickrate: { campaign: 'c' } });
  assert.equal(fromStream.html, html, 'stream content passes through as written');
  assert.equal(fromStream.text, text, 'the text part is not tracked alone: that would undercount clicks');
  assert.equal(fromStream.headers?.['X-Clickrate-Message'], undefined);
  assert.match(lines.warn.join('\n'), /html part is a stream; clickrate can wrap only string or Buffer/);
});

test('several recipients: warned, tracked as one message of the first recipient', async () => {
  const { logger, lines } = recordingLogger();
  const wrapped: NodemailerTrackingResult[] = [];
  const transport = jsonTransport({ logger, onWrapped: (r) => void wrapped.push(r) });
  await sendJson(transport, {
    to: ['"Doe, Jane" <Jane@Example.org>', { name: 'Bob', address: 'bob@example.org' }],
    cc: 'Team: c@example.org, d@example.org;',
    html,
    clickrate: { campaign: 'c' },
  });
  assert.equal(wrapped[0]?.sent.recipient, 'jane@example.org');
  assert.ok(wrapped[0]?.warnings.some((w) => /4 recipients but tracking is per message/.test(w)));
  assert.match(lines.warn.join('\n'), /4 recipients but tracking is per message/);
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

test('apiUrl: the sent event is POSTed to /api/v1/events with the bearer key', async (t) => {
  const requests: Array<{ method?: string; url?: string; auth?: string; type?: string; body: unknown }> = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"stored":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const { logger, lines } = recordingLogger();
  const transport = jsonTransport({ apiUrl: `http://127.0.0.1:${port}/`, apiKey: 'cr_test_key', logger });
  const out = await sendJson(transport, { to: 'a@example.org', html, clickrate: { campaign: 'spring', step: 1, variant: 'B', message: 'msg-1' } });
  assert.deepEqual(
    requests.map((r) => r.url),
    ['/api/v1/events', '/api/v1/templates'],
    'recorded before the send completes, and the template kept for the click map',
  );
  const req = requests[0]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/api/v1/events');
  assert.equal(req.auth, 'Bearer cr_test_key');
  assert.equal(req.type, 'application/json');
  const body = req.body as Record<string, unknown>;
  assert.deepEqual({ ...body, ts: '' }, { type: 'sent', ts: '', message: 'msg-1', campaign: 'spring', recipient: 'a@example.org', step: 1, variant: 'B' });
  assert.ok(!Number.isNaN(Date.parse(String(body.ts))));
  assert.equal(out.headers?.['X-Clickrate-Message'], 'msg-1');
  assert.deepEqual(requests[1]!.body, { campaign: 'spring', step: 1, variant: 'B', html }, 'the HTML as written, before wrapping');
  assert.equal(requests[1]!.auth, 'Bearer cr_test_key');
  // The same template to another recipient: its sent event, no second template.
  await sendJson(transport, { to: 'b@example.org', html, clickrate: { campaign: 'spring', step: 1, variant: 'B', message: 'msg-2' } });
  assert.deepEqual(
    requests.slice(2).map((r) => r.url),
    ['/api/v1/events'],
  );
  assert.deepEqual(lines.error, []);
  assert.deepEqual(
    lines.warn.filter((w) => w.includes('template')),
    [],
  );
});

test('recording failures never stop the mail: server down, server error, onWrapped throwing', async (t) => {
  // A port that was just free: bind, note it, close.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const down = recordingLogger();
  const out = await sendJson(jsonTransport({ apiUrl: `http://127.0.0.1:${closedPort}`, apiKey: 'secret-key-123', logger: down.logger }), {
    to: 'a@example.org',
    html,
    clickrate: { campaign: 'spring', message: 'msg-down' },
  });
  assert.equal(tokensOf(out.html ?? '', 'c').length, 2, 'still tracked');
  assert.match(down.lines.error.join('\n'), /could not record the sent event of message msg-down \(mail sent anyway\)/);
  assert.ok(!down.lines.error.join('\n').includes('secret-key-123'), 'the API key is never logged');

  const server = createServer((req, res) => void readBody(req).then(() => res.writeHead(500).end('boom')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const failing = recordingLogger();
  const port = (server.address() as AddressInfo).port;
  const transport = jsonTransport({
    apiUrl: `http://127.0.0.1:${port}`,
    apiKey: 'k',
    logger: failing.logger,
    onWrapped: async () => {
      throw new Error('db down');
    },
  });
  const out2 = await sendJson(transport, { to: 'a@example.org', html, clickrate: { campaign: 'spring', message: 'msg-500' } });
  assert.equal(tokensOf(out2.html ?? '', 'c').length, 2);
  assert.match(failing.lines.error.join('\n'), /HTTP 500: boom/);
  assert.match(failing.lines.error.join('\n'), /onWrapped failed for message msg-500 \(mail sent anyway\): db down/);

  // A server that never answers costs at most the timeout.
  const hung = createServer(() => {});
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    hung.closeAllConnections();
    return new Promise<void>((resolve) => hung.close(() => resolve()));
  });
  const slow = recordingLogger();
  await sendJson(jsonTransport({ apiUrl: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`, apiKey: 'k', apiTimeoutMs: 200, logger: slow.logger }), {
    to: 'a@example.org',
    html,
    clickrate: { campaign: 'spring' },
  });
  // The send finished although the server never answered, and the log says the request was cut off
  // (a broken timeout would hang the test instead, and the test runner's own limit would fail it).
  assert.equal(slow.lines.error.length, 1);
  assert.match(slow.lines.error[0]!, /timeout|aborted/i);
});

test('bad options throw CR_ERR_CONFIG when the plugin is created, not when mail is sent', () => {
  const bad: Array<Partial<ClickrateNodemailerOptions>> = [
    { baseUrl: 'not a url' },
    { baseUrl: 'https://t.example.com/?q=1' },
    { keyring: { current: 'k9', keys: new Map() } },
    { apiUrl: 'https://t.example.com' },
    { apiKey: 'k' },
    { apiUrl: 'ftp://t.example.com', apiKey: 'k' },
    { tracking: { firstN: -1 } },
    { onWrapped: 'nope' as unknown as ClickrateNodemailerOptions['onWrapped'] },
  ];
  for (const b of bad) {
    assert.throws(
      () => clickrateTracking({ baseUrl, keyring, ...b } as ClickrateNodemailerOptions),
      (err: unknown) => isClickrateError(err) && err.code === 'CR_ERR_CONFIG',
      JSON.stringify(b),
    );
  }
});

test('a plugin registered twice does not wrap tracked links again', async () => {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const { logger, lines } = recordingLogger();
  transport.use('compile', clickrateTracking({ baseUrl, keyring, logger }));
  transport.use('compile', clickrateTracking({ baseUrl, keyring, logger }));
  const info = await transport.sendMail({ to: 'a@example.org', html, clickrate: { campaign: 'c' } } as Record<string, unknown>);
  const out = JSON.parse(info.message as string) as { html: string };
  for (const t of tokensOf(out.html, 'c')) assert.match(verifyClickToken(t, keyring).url, /^https:\/\/shop\.example\.com\//);
  assert.match(lines.warn.join('\n'), /twice/);
});

test('without a keyring option the plugin uses CLICKRATE_KEYRING, and refuses to start with none', async (t) => {
  const saved = { inline: process.env[KEYRING_ENV], file: process.env[KEYRING_FILE_ENV] };
  t.after(() => {
    for (const [name, value] of [
      [KEYRING_ENV, saved.inline],
      [KEYRING_FILE_ENV, saved.file],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  delete process.env[KEYRING_ENV];
  delete process.env[KEYRING_FILE_ENV];
  assert.throws(
    () => clickrateTracking({ baseUrl }),
    (err: unknown) => isClickrateError(err) && err.code === 'CR_ERR_CONFIG' && /CLICKRATE_KEYRING/.test(err.message),
  );

  process.env[KEYRING_ENV] = serializeKeyring(keyring);
  const transport = nodemailer.createTransport({ jsonTransport: true });
  transport.use('compile', clickrateTracking({ baseUrl, logger: recordingLogger().logger }));
  const info = await transport.sendMail({ to: 'a@example.org', html, clickrate: { campaign: 'c' } } as Record<string, unknown>);
  const out = JSON.parse(info.message as string) as { html: string };
  assert.equal(tokensOf(out.html, 'c').map((tok) => verifyClickToken(tok, keyring).url).length, 2);
});
