import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKeyring, generateKey, rotateKeyring } from './keyring.js';
import { messageIdHeader, messageOfMessageId } from './message-id-header.js';

const ring = createKeyring('k1', { k1: generateKey() });

test('a Message-ID carries its message id back, for any message id text', () => {
  for (const message of ['m_abc', 'msg 42 @ spring', 'ünïcode/ид', 'a.b.c', 'x'.repeat(200)]) {
    const header = messageIdHeader(message, 'click.example.com', ring);
    assert.match(header, /^<cr1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{11}@click\.example\.com>$/);
    assert.equal(messageOfMessageId(header, ring), message);
    assert.equal(messageOfMessageId(header.slice(1, -1), ring), message, 'without angle brackets');
  }
  assert.match(messageIdHeader('m', '[::1]', ring), /@\[::1\]>$/);
});

test('a Message-ID verifies after a key rotation, and not with another keyring', () => {
  const header = messageIdHeader('m_1', 't.example', ring);
  assert.equal(messageOfMessageId(header, rotateKeyring(ring).ring), 'm_1');
  assert.equal(messageOfMessageId(header, createKeyring('k1', { k1: generateKey() })), null);
});

test('forged, altered and foreign Message-IDs are not ours', () => {
  const header = messageIdHeader('m_1', 't.example', ring);
  const [, kid, encoded, tag] = /^<cr1\.([^.]+)\.([^.]+)\.([^@]+)@/.exec(header) ?? [];
  const other = Buffer.from('m_2').toString('base64url');
  const cases: Array<[string, string]> = [
    ['another message under the same tag', `<cr1.${kid}.${other}.${tag}@t.example>`],
    ['a changed tag', `<cr1.${kid}.${encoded}.${tag?.slice(0, -1)}${tag?.endsWith('A') ? 'B' : 'A'}@t.example>`],
    ['an unknown key id', `<cr1.k9.${encoded}.${tag}@t.example>`],
    ['another format', `<cr2.${kid}.${encoded}.${tag}@t.example>`],
    ['a Gmail Message-ID', '<CAF=abc123@mail.gmail.com>'],
    ['no domain', `cr1.${kid}.${encoded}.${tag}`],
    ['empty', ''],
  ];
  for (const [name, id] of cases) assert.equal(messageOfMessageId(id, ring), null, name);
});

test('a host that cannot be a Message-ID domain is refused', () => {
  assert.throws(() => messageIdHeader('m', 'bad host', ring), { code: 'CR_ERR_BAD_INPUT' });
});
