// Tests for keyring loading (env JSON, JSON file), key generation, rotation and configuration errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isClickrateError } from '../errors.js';
import { createKeyring, generateKey, loadKeyringFile, loadKeyringFromEnv, parseKeyringJson, rotateKeyring, serializeKeyring } from './keyring.js';
import { signToken, verifyToken } from './token.js';

const isConfigError = (err: unknown): boolean => isClickrateError(err) && err.code === 'CR_ERR_CONFIG';

test('generateKey makes distinct 32-byte base64 secrets', () => {
  const a = generateKey();
  const b = generateKey();
  assert.equal(Buffer.from(a, 'base64').length, 32);
  assert.notEqual(a, b);
});

test('a keyring loads from the CLICKRATE_KEYRING env var', () => {
  const k1 = generateKey();
  const ring = loadKeyringFromEnv({ CLICKRATE_KEYRING: JSON.stringify({ current: 'k1', keys: { k1 } }) });
  assert.ok(ring);
  assert.equal(ring.current, 'k1');
  assert.equal(ring.keys.get('k1')?.toString('base64'), k1);
});

test('a keyring loads from a JSON file, directly or via CLICKRATE_KEYRING_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-keyring-'));
  try {
    const path = join(dir, 'keys.json');
    writeFileSync(path, JSON.stringify({ current: 'k2', keys: { k1: generateKey(), k2: generateKey() } }));
    assert.equal(loadKeyringFile(path).current, 'k2');
    const ring = loadKeyringFromEnv({ CLICKRATE_KEYRING_FILE: path });
    assert.deepEqual([...(ring?.keys.keys() ?? [])].sort(), ['k1', 'k2']);
    assert.throws(() => loadKeyringFile(join(dir, 'missing.json')), isConfigError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no keyring configured is undefined, not an error', () => {
  assert.equal(loadKeyringFromEnv({}), undefined);
  assert.equal(loadKeyringFromEnv({ CLICKRATE_KEYRING: '  ' }), undefined);
});

test('bad keyrings are CR_ERR_CONFIG with a message that names the problem', () => {
  const good = generateKey();
  const table: Array<[string, string, RegExp]> = [
    ['not json', '{', /not valid JSON/],
    ['array', '[]', /needs "current"/],
    ['no current', JSON.stringify({ keys: { k1: good } }), /needs "current"/],
    ['current missing from keys', JSON.stringify({ current: 'k2', keys: { k1: good } }), /"k2" is not in the keyring/],
    ['short key', JSON.stringify({ current: 'k1', keys: { k1: Buffer.alloc(8).toString('base64') } }), /use at least 16/],
    ['not base64', JSON.stringify({ current: 'k1', keys: { k1: 'this is not base64!!' } }), /not base64/],
    ['bad kid', JSON.stringify({ current: 'k.1', keys: { 'k.1': good } }), /key id/],
    ['number secret', JSON.stringify({ current: 'k1', keys: { k1: 42 } }), /base64 string/],
  ];
  for (const [label, json, message] of table) {
    assert.throws(
      () => parseKeyringJson(json),
      (err: unknown) => isConfigError(err) && message.test((err as Error).message),
      label,
    );
  }
});

test('error messages never echo the secret', () => {
  const secret = 'c2VjcmV0c2VjcmV0c2VjcmV0'; // decodes, but the kid is invalid
  try {
    parseKeyringJson(JSON.stringify({ current: 'bad kid', keys: { 'bad kid': secret } }));
    assert.fail('should throw');
  } catch (err) {
    assert.ok(!String((err as Error).message).includes(secret));
  }
});

test('rotation adds a current key and keeps old tokens verifiable; serialize round-trips', () => {
  const ring = createKeyring('k1', { k1: generateKey() });
  const token = signToken({ kind: 'open', campaign: 'c', message: 'm' }, ring);
  const { ring: rotated, kid } = rotateKeyring(ring, 'k2');
  assert.equal(kid, 'k2');
  assert.equal(rotated.current, 'k2');
  assert.equal(verifyToken(token, rotated).message, 'm');
  const reloaded = parseKeyringJson(serializeKeyring(rotated));
  assert.equal(reloaded.current, 'k2');
  assert.equal(verifyToken(token, reloaded).campaign, 'c');
  assert.throws(() => rotateKeyring(rotated, 'k1'), isConfigError);
});

test('url-safe base64 secrets are accepted too', () => {
  const raw = Buffer.alloc(32, 0xfb);
  const ring = createKeyring('k1', { k1: raw.toString('base64url') });
  assert.deepEqual(ring.keys.get('k1'), raw);
});
