// SendGrid's signature check: SendGrid's own published vector (from its official Node library's tests:
// sendgrid-nodejs, packages/eventwebhook), keys generated here, and every way a delivery can be wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nowSeconds, sendgridKeys } from '../../test/support/webhook-signers.js';
import { sendgridVerifier } from './sendgrid-verify.js';

// The published vector: public key, signature, timestamp and payload as SendGrid's library tests them.
const VECTOR = {
  publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
  signature: 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
  timestamp: '1588788367',
  payload: JSON.stringify({ category: 'example_payload', event: 'test_event', message_id: 'message_id' }),
};
const OTHER_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==';
const atVectorTime = () => Number(VECTOR.timestamp) * 1000 + 30_000;
const headers = (signature: string, timestamp: string) => ({
  'x-twilio-email-event-webhook-signature': signature,
  'x-twilio-email-event-webhook-timestamp': timestamp,
});

describe("SendGrid's published verification vector", () => {
  const cases: Array<[string, string, string, string, string, boolean]> = [
    ['valid signature', VECTOR.publicKey, VECTOR.payload, VECTOR.signature, VECTOR.timestamp, true],
    ['another key', OTHER_KEY, VECTOR.payload, VECTOR.signature, VECTOR.timestamp, false],
    ['another payload', VECTOR.publicKey, 'payload', VECTOR.signature, VECTOR.timestamp, false],
    ['a changed signature', VECTOR.publicKey, VECTOR.payload, VECTOR.signature.replace('NH2j', 'NH3j'), VECTOR.timestamp, false],
    ['a timestamp that is not one', VECTOR.publicKey, VECTOR.payload, VECTOR.signature, 'timestamp', false],
  ];
  for (const [name, key, payload, signature, timestamp, ok] of cases) {
    it(`${name} → ${ok ? 'accepted' : 'refused'}`, async () => {
      const v = await sendgridVerifier(key, { now: atVectorTime })(headers(signature, timestamp), payload);
      assert.equal(v.ok, ok, JSON.stringify(v));
      if (!v.ok) assert.equal(v.status, 401);
    });
  }

  it('the same vector on the real clock is years old: refused as a replay', async () => {
    const v = await sendgridVerifier(VECTOR.publicKey)(headers(VECTOR.signature, VECTOR.timestamp), VECTOR.payload);
    assert.equal(v.ok, false);
    assert.match(!v.ok ? v.reason : '', /replay/);
  });
});

describe('SendGrid deliveries signed with a key made here', () => {
  const keys = sendgridKeys();
  const verify = sendgridVerifier(keys.publicKey);
  const body = JSON.stringify([{ email: 'a@example.com', event: 'open', sg_event_id: 'e1', timestamp: 1 }]);

  it('a fresh, signed delivery is accepted', async () => {
    const ts = nowSeconds();
    assert.deepEqual(await verify(headers(keys.sign(ts, body), ts), body), { ok: true });
  });

  const refusals: Array<[string, () => Record<string, string>, string]> = [
    ['no signature header', () => ({ 'x-twilio-email-event-webhook-timestamp': nowSeconds() }), body],
    ['no timestamp header', () => ({ 'x-twilio-email-event-webhook-signature': keys.sign(nowSeconds(), body) }), body],
    ['a body changed after signing', () => headers(keys.sign(nowSeconds(), body), nowSeconds()), body.replace('open', 'click')],
    [
      'signed six minutes ago',
      () => {
        const ts = String(Number(nowSeconds()) - 360);
        return headers(keys.sign(ts, body), ts);
      },
      body,
    ],
    [
      'signed six minutes ahead',
      () => {
        const ts = String(Number(nowSeconds()) + 360);
        return headers(keys.sign(ts, body), ts);
      },
      body,
    ],
    ['a signature that is not DER', () => headers('bm90IGEgc2lnbmF0dXJl', nowSeconds()), body],
    [
      'signed by another key',
      () => {
        const ts = nowSeconds();
        return headers(sendgridKeys().sign(ts, body), ts);
      },
      body,
    ],
  ];
  for (const [name, make, sent] of refusals) {
    it(`${name} → 401`, async () => {
      const v = await verify(make(), sent);
      assert.equal(v.ok, false);
      assert.equal(!v.ok && v.status, 401);
    });
  }

  it('a key that is not an ECDSA public key is a configuration error at start', () => {
    assert.throws(() => sendgridVerifier('bm90IGEga2V5'), { code: 'CR_ERR_CONFIG' });
  });
});
