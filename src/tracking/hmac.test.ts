// The hot path's HMAC-SHA256 equals node:crypto's: RFC 4231's vectors, and random keys and texts of every
// length around the block boundaries; non-ASCII text is refused (the caller falls back to node:crypto).
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { equalTextConstantTime, hmacTagAscii, prepareHmacKey } from './hmac.js';

const nodeTag = (key: Buffer, text: string, bytes: number) => createHmac('sha256', key).update(text, 'utf8').digest().subarray(0, bytes).toString('base64url');

test('RFC 4231 test case 2 (key "Jefe"), whole and cut to 16 bytes', () => {
  const key = prepareHmacKey(Buffer.from('Jefe'));
  const text = 'what do ya want for nothing?';
  const want = Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex');
  assert.equal(hmacTagAscii(key, text, text.length, 32), want.toString('base64url'));
  assert.equal(hmacTagAscii(key, text, text.length, 16), want.subarray(0, 16).toString('base64url'));
});

test('equals node:crypto for random keys (16–64 bytes) and texts of 0–300 characters', () => {
  for (let n = 0; n < 3000; n++) {
    const key = randomBytes(16 + (n % 49));
    const text = randomBytes(300).toString('base64url').slice(0, n % 301);
    // Only the first `end` characters are signed: the rest of the string (a token's tag) is not.
    assert.equal(hmacTagAscii(prepareHmacKey(key), `${text}.tag`, text.length, 16), nodeTag(key, text, 16), `${key.length} ${text.length}`);
  }
});

test('non-ASCII text is left to node:crypto; tags compare as whole texts', () => {
  assert.equal(hmacTagAscii(prepareHmacKey(randomBytes(32)), 'k1.é', 4, 16), null);
  assert.ok(equalTextConstantTime('abc', 'abc'));
  assert.ok(!equalTextConstantTime('abc', 'abd'));
  assert.ok(!equalTextConstantTime('abc', 'abcd'));
});
