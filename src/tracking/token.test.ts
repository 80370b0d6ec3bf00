// Tests for signed tracking tokens: round trips, every single-character tamper, truncation, rotation, bad keys.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { isClickrateError } from '../errors.js';
import { createKeyring, generateKey } from './keyring.js';
import { signToken, verifyClickToken, verifyOpenToken, verifyToken, type TokenPayload } from './token.js';

const ring = createKeyring('k1', { k1: generateKey() });
const click: TokenPayload = {
  kind: 'click',
  campaign: 'spring-sale',
  message: 'm_123',
  url: 'https://shop.example.com/p?a=1&b=%20x#top',
  link: 3,
};
const open: TokenPayload = { kind: 'open', campaign: 'spring-sale', message: 'm_123' };

function assertBadToken(fn: () => unknown, label: string): void {
  assert.throws(fn, (err: unknown) => isClickrateError(err) && err.code === 'CR_ERR_BAD_TOKEN', label);
}

test('click and open tokens round-trip to the exact payload', () => {
  assert.deepEqual(verifyToken(signToken(click, ring), ring), click);
  assert.deepEqual(verifyToken(signToken(open, ring), ring), open);
  assert.deepEqual(verifyClickToken(signToken(click, ring), ring), click);
  assert.deepEqual(verifyOpenToken(signToken(open, ring), ring), open);
});

test('tokens are URL-safe, unpadded and carry a 128-bit tag', () => {
  const token = signToken(click, ring);
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.equal(encodeURIComponent(token), token, 'no character needs escaping in a URL path');
  const tag = token.split('.')[2] ?? '';
  assert.equal(Buffer.from(tag, 'base64url').length, 16);
  assert.ok(token.startsWith('k1.'), 'key id is readable so rotation can find the key');
});

test('changing any single character of a token makes it fail', () => {
  const token = signToken(click, ring);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
  for (let i = 0; i < token.length; i++) {
    // Try a few replacements per position, including ones that differ only in base64 padding bits.
    for (const ch of ['A', 'B', 'Q', 'g', 'w', '-', '.']) {
      if (ch === token[i] || !alphabet.includes(ch)) continue;
      const tampered = token.slice(0, i) + ch + token.slice(i + 1);
      assertBadToken(() => verifyToken(tampered, ring), `tamper at ${i} with ${ch}`);
    }
  }
});

test('a tag character swapped for a non-ASCII one whose low byte is the same still fails', () => {
  const token = signToken(click, ring);
  const tagAt = token.lastIndexOf('.') + 1;
  for (let i = tagAt; i < token.length; i++) {
    // U+0100 + c keeps c as its low byte: a latin1 comparison would read the forged tag as the real one.
    const alias = String.fromCharCode(0x100 + token.charCodeAt(i));
    assertBadToken(() => verifyToken(token.slice(0, i) + alias + token.slice(i + 1), ring), `alias at ${i}`);
  }
});

test('every truncation and extension of a token fails', () => {
  const token = signToken(click, ring);
  for (let n = 0; n < token.length; n++) assertBadToken(() => verifyToken(token.slice(0, n), ring), `truncated to ${n}`);
  assertBadToken(() => verifyToken(`${token}A`, ring), 'extended');
  assertBadToken(() => verifyToken(`${token}.`, ring), 'extra dot');
});

test('malformed tokens fail with CR_ERR_BAD_TOKEN', () => {
  const table: string[] = ['', '.', '..', 'k1', 'k1.abc', 'k1.a.b.c', 'k1.a+b.cc', 'k1.a/b.cc', 'k 1.ab.cd', 'x'.repeat(5000)];
  for (const bad of table) assertBadToken(() => verifyToken(bad, ring), JSON.stringify(bad.slice(0, 20)));
  assertBadToken(() => verifyToken(undefined as unknown as string, ring), 'undefined');
});

test('a token signed with the wrong secret under the same key id fails', () => {
  const other = createKeyring('k1', { k1: generateKey() });
  assertBadToken(() => verifyToken(signToken(click, other), ring), 'forged with another secret');
});

test('rotation: old tokens verify while the old key stays in the ring; unknown key ids fail', () => {
  const oldSecret = generateKey();
  const before = createKeyring('k1', { k1: oldSecret });
  const oldToken = signToken(click, before);
  const after = createKeyring('k2', { k1: oldSecret, k2: generateKey() });
  assert.deepEqual(verifyToken(oldToken, after), click, 'mail sent before the rotation still redirects');
  assert.ok(signToken(click, after).startsWith('k2.'), 'new mail is signed with the current key');
  const retired = createKeyring('k2', { k2: after.keys.get('k2')?.toString('base64') ?? '' });
  assertBadToken(() => verifyToken(oldToken, retired), 'old key removed');
  assertBadToken(() => verifyToken(oldToken.replace(/^k1\./, 'k9.'), after), 'unknown kid');
});

test('a correctly signed body that is not a valid payload is still rejected (no javascript: redirects)', () => {
  const secret = ring.keys.get('k1');
  assert.ok(secret);
  const forge = (fields: unknown): string => {
    const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
    const tag = createHmac('sha256', secret).update(`k1.${body}`).digest().subarray(0, 16).toString('base64url');
    return `k1.${body}.${tag}`;
  };
  const table: unknown[] = [
    ['c', 'camp', 'm1', 'javascript:alert(1)', 0],
    ['c', 'camp', 'm1', 'https://x.com', -1],
    ['c', 'camp', 'm1', 'https://x.com'],
    ['o', '', 'm1'],
    ['x', 'camp', 'm1'],
    { kind: 'click' },
    'hello',
  ];
  for (const fields of table) assertBadToken(() => verifyToken(forge(fields), ring), JSON.stringify(fields));
  assert.deepEqual(verifyToken(forge(['o', 'camp', 'm1']), ring), { kind: 'open', campaign: 'camp', message: 'm1' });
});

test('click/open confusion is rejected by the typed verifiers', () => {
  assertBadToken(() => verifyClickToken(signToken(open, ring), ring), 'open token on click route');
  assertBadToken(() => verifyOpenToken(signToken(click, ring), ring), 'click token on open route');
});

test('signing an impossible payload is a CR_ERR_BAD_INPUT, not a token', () => {
  const table: TokenPayload[] = [
    { ...click, url: 'javascript:alert(1)' } as TokenPayload,
    { ...click, url: '/relative' } as TokenPayload,
    { ...click, link: 1.5 } as TokenPayload,
    { ...open, campaign: '' },
    { ...open, message: '' },
  ];
  for (const payload of table) {
    assert.throws(
      () => signToken(payload, ring),
      (err: unknown) => isClickrateError(err) && err.code === 'CR_ERR_BAD_INPUT',
    );
  }
});

test('unicode campaign ids and long URLs survive the round trip', () => {
  const payload: TokenPayload = { ...click, campaign: 'été-キャンペーン', url: `https://x.com/?q=${'a'.repeat(1500)}` };
  assert.deepEqual(verifyToken(signToken(payload, ring), ring), payload);
});

test('property: any text as a token is refused with CR_ERR_BAD_TOKEN, never another error or a redirect', () => {
  const ring = createKeyring('k1', { k1: generateKey() });
  const good = signToken({ kind: 'click', campaign: 'c', message: 'm', url: 'https://a.example.com/', link: 0 }, ring);
  const tokenish = fc.oneof(
    fc.string(),
    fc.string({ unit: fc.constantFrom('k', '1', '.', 'A', '_', '-', '\ud800', 'é', '='), maxLength: 60 }),
    // One character of a real token changed: the MAC must catch every such edit.
    fc.tuple(fc.nat(good.length - 1), fc.constantFrom('A', 'b', '_', '-', '.', '0')).map(([i, c]) => good.slice(0, i) + c + good.slice(i + 1)),
  );
  fc.assert(
    fc.property(tokenish, (token) => {
      if (token === good) return;
      assert.throws(
        () => verifyToken(token, ring),
        (err: unknown) => (err as { code?: string }).code === 'CR_ERR_BAD_TOKEN',
      );
    }),
    { numRuns: 5000 },
  );
});

test('property: a signed payload verifies to itself, whatever text its names hold', () => {
  const ring = createKeyring('k1', { k1: generateKey() });
  const name = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u2028', '😀', 'é', '.', ' '), minLength: 1, maxLength: 30 });
  fc.assert(
    fc.property(name, name, fc.nat(1000), (campaign, message, link) => {
      const click = { kind: 'click' as const, campaign, message, url: `https://a.example.com/${encodeURIComponent(campaign)}`, link };
      assert.deepEqual(verifyToken(signToken(click, ring), ring), click);
      const open = { kind: 'open' as const, campaign, message };
      assert.deepEqual(verifyToken(signToken(open, ring), ring), open);
    }),
    { numRuns: 2000 },
  );
});
