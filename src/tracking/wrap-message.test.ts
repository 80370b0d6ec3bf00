// Tests for wrapMessage, the function behind `clickrate wrap` and POST /api/v1/wrap: tokens, policy, pixel,
// message ids, UTM, lint warnings and input errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isClickrateError } from '../errors.js';
import { createKeyring, generateKey } from './keyring.js';
import { messageOfMessageId } from './message-id-header.js';
import { verifyClickToken, verifyOpenToken } from './token.js';
import { normalizeBaseUrl, wrapMessage, type WrapInput, type WrapOptions } from './wrap-message.js';

const keyring = createKeyring('k1', { k1: generateKey() });
const options: WrapOptions = { baseUrl: 'https://click.example.com/', keyring, senderDomain: 'example.com' };
const html =
  '<html><body><a href="https://example.com/a?x=1&amp;y=2">A</a> <a href="*|UNSUB|*">U</a>' +
  ' <a href="https://example.com/b">B</a> <a href="mailto:hi@example.com">M</a></body></html>';
const input: WrapInput = { html, text: 'A: https://example.com/a.\n', campaign: 'spring', recipient: 'r-1', message: 'msg-1' };

const clickTokens = (s: string): string[] =>
  [...s.matchAll(/https:\/\/click\.example\.com\/c\/([A-Za-z0-9_.-]+)/g)].map((m) => (m[1] ?? '').replace(/\.+$/, ''));

test('tracked links redirect through the base URL to the original destination', () => {
  const res = wrapMessage(input, options);
  assert.equal(res.message, 'msg-1');
  const tokens = clickTokens(res.html ?? '');
  assert.deepEqual(
    tokens.map((t) => verifyClickToken(t, keyring).url),
    ['https://example.com/a?x=1&y=2', 'https://example.com/b'],
  );
  for (const t of tokens) {
    const p = verifyClickToken(t, keyring);
    assert.equal(p.campaign, 'spring');
    assert.equal(p.message, 'msg-1');
  }
  assert.ok(res.html?.includes('href="*|UNSUB|*"') && res.html.includes('href="mailto:hi@example.com"'));
  const textTokens = clickTokens(res.text ?? '');
  assert.equal(textTokens.length, 1);
  assert.match(res.text ?? '', /^A: https:\/\/click\.example\.com\/c\/[^\s]+\.\n$/, 'sentence period kept outside');
});

test('links lists every link in order with the index signed into its token', () => {
  const res = wrapMessage(input, options);
  assert.deepEqual(
    res.links.map((l) => [l.index, l.part, l.url, l.tracked, l.reason]),
    [
      [0, 'html', 'https://example.com/a?x=1&y=2', true, undefined],
      [1, 'html', '*|UNSUB|*', false, 'template'],
      [2, 'html', 'https://example.com/b', true, undefined],
      [3, 'html', 'mailto:hi@example.com', false, 'mailto'],
      [4, 'text', 'https://example.com/a', true, undefined],
    ],
  );
  const indexes = [...clickTokens(res.html ?? ''), ...clickTokens(res.text ?? '')].map((t) => verifyClickToken(t, keyring).link);
  assert.deepEqual(indexes, [0, 2, 4]);
});

test('the open pixel carries an open token for the same message, and can be turned off', () => {
  const res = wrapMessage(input, options);
  const m = /<img src="https:\/\/click\.example\.com\/o\/([^"]+)"[^>]*\/><\/body>/.exec(res.html ?? '');
  assert.ok(m, 'pixel before </body>');
  assert.deepEqual(verifyOpenToken(m[1] ?? '', keyring), { kind: 'open', campaign: 'spring', message: 'msg-1' });
  const off = wrapMessage(input, { ...options, pixel: false });
  assert.ok(!(off.html ?? '').includes('/o/'));
});

test('the result names the Message-ID to send with, on the tracking host, leading back to the message', () => {
  const res = wrapMessage(input, options);
  assert.match(res.message_id_header, /^<cr1\..+@click\.example\.com>$/);
  assert.equal(messageOfMessageId(res.message_id_header, keyring), 'msg-1');
});

test('a message id is generated when absent: URL-safe and different every time', () => {
  const a = wrapMessage({ ...input, message: undefined }, options).message;
  const b = wrapMessage({ ...input, message: undefined }, options).message;
  assert.match(a, /^[A-Za-z0-9_-]{16,}$/);
  assert.notEqual(a, b);
});

test('tracking policy: none, firstN, and per-step decisions', () => {
  const none = wrapMessage(input, { ...options, tracking: 'none' });
  assert.equal(clickTokens(none.html ?? '').length, 0);
  assert.ok(none.html?.includes('href="https://example.com/a?x=1&amp;y=2"'), 'untracked link written as it was');
  assert.deepEqual(
    none.links.filter((l) => l.reason === 'policy').map((l) => l.index),
    [0, 2, 4],
  );
  assert.ok((none.html ?? '').includes('/o/'), 'pixel still there: opens and clicks are separate choices');
  const raw = '<a href="https://example.com/?a=1&b=2">x</a>';
  assert.equal(wrapMessage({ ...input, html: raw, text: undefined }, { ...options, tracking: 'none', pixel: false }).html, raw);

  const first = wrapMessage(input, { ...options, tracking: { firstN: 1 } });
  assert.equal(clickTokens(first.html ?? '').length, 1);
  assert.equal(first.links.find((l) => l.index === 2)?.reason, 'policy');

  const seen: Array<number | undefined> = [];
  const byStep = wrapMessage(
    { ...input, step: 1 },
    {
      ...options,
      tracking: ({ step }) => {
        seen.push(step);
        return step !== undefined && step <= 2 ? 'none' : 'all';
      },
    },
  );
  assert.deepEqual(seen, [1]);
  assert.equal(clickTokens(byStep.html ?? '').length, 0);
});

test('UTM parameters go on the destination inside the token', () => {
  const res = wrapMessage(input, { ...options, utm: { source: 'newsletter', medium: 'email' } });
  const [first] = clickTokens(res.html ?? '');
  assert.equal(verifyClickToken(first ?? '', keyring).url, 'https://example.com/a?x=1&y=2&utm_source=newsletter&utm_medium=email');
});

test('deliverability warnings come back with the result', () => {
  const res = wrapMessage({ ...input, step: 1 }, { ...options, baseUrl: 'https://trk.vendor.net' });
  assert.ok(
    res.warnings.some((w) => /trk\.vendor\.net.*example\.com/.test(w)),
    'tracking domain mismatch',
  );
  assert.ok(
    res.warnings.some((w) => /Step 1/.test(w)),
    'cold step',
  );
  assert.deepEqual(wrapMessage(input, options).warnings, []);
});

test('text-only messages work and get no pixel', () => {
  const res = wrapMessage({ text: 'Go: https://example.com/x', campaign: 'c', recipient: 'r' }, options);
  assert.equal(res.html, undefined);
  assert.equal(clickTokens(res.text ?? '').length, 1);
});

test('bad input is CR_ERR_BAD_INPUT naming the field', () => {
  const table: Array<[string, WrapInput, WrapOptions, string]> = [
    ['no campaign', { ...input, campaign: '' }, options, 'campaign'],
    ['no recipient', { ...input, recipient: ' ' }, options, 'recipient'],
    ['step 0', { ...input, step: 0 }, options, 'step'],
    ['step 1.5', { ...input, step: 1.5 }, options, 'step'],
    ['empty message id', { ...input, message: '' }, options, 'message'],
    ['nothing to wrap', { campaign: 'c', recipient: 'r' }, options, 'html'],
    ['ftp base URL', input, { ...options, baseUrl: 'ftp://x.com' }, 'baseUrl'],
    ['base URL with query', input, { ...options, baseUrl: 'https://x.com/?a=1' }, 'baseUrl'],
    ['not a URL', input, { ...options, baseUrl: 'click.example.com' }, 'baseUrl'],
    ['bad firstN', input, { ...options, tracking: { firstN: -1 } }, 'tracking'],
  ];
  for (const [label, inp, opt, field] of table) {
    assert.throws(
      () => wrapMessage(inp, opt),
      (err: unknown) => isClickrateError(err) && err.code === 'CR_ERR_BAD_INPUT' && err.details.field === field,
      label,
    );
  }
});

test('base URLs are normalised: trailing slash dropped, path prefix kept', () => {
  assert.equal(normalizeBaseUrl('https://click.example.com/'), 'https://click.example.com');
  assert.equal(normalizeBaseUrl('http://localhost:8080'), 'http://localhost:8080');
  assert.equal(normalizeBaseUrl('https://x.com/track/'), 'https://x.com/track');
});

test('honeypot: one hidden link without text, not a tab stop, whose token leads to the honeypot path', () => {
  const res = wrapMessage(input, { ...options, honeypot: true });
  const html = res.html ?? '';
  const m = /<a href="(https:\/\/click\.example\.com\/c\/[^"]+)" aria-hidden="true" tabindex="-1" style="display:none !important;[^"]*"><\/a><\/body>/.exec(
    html,
  );
  assert.ok(m, html);
  assert.equal(res.honeypot, m[1]);
  const p = verifyClickToken((m[1] ?? '').slice('https://click.example.com/c/'.length), keyring);
  assert.equal(p.url, 'https://click.example.com/clickrate-honeypot');
  assert.equal(p.message, 'msg-1');
  // Not the sender's link: not listed, not linted, and the real links keep their indexes.
  assert.deepEqual(
    res.links.map((l) => l.index),
    wrapMessage(input, options).links.map((l) => l.index),
  );
  assert.equal(wrapMessage(input, options).honeypot, undefined);
  assert.ok(!(wrapMessage(input, options).html ?? '').includes('aria-hidden'));
});

test('honeypot on a plain-text message: none added, and a warning says why', () => {
  const res = wrapMessage({ text: 'Hi https://example.com/a', campaign: 'c', recipient: 'r' }, { ...options, honeypot: true });
  assert.equal(res.honeypot, undefined);
  assert.ok(res.warnings.some((w) => w.startsWith('No honeypot link was added')));
});
