// The HMAC and credential schemes: Mailgun (HMAC of timestamp + token in the body), Svix for Resend
// (HMAC of id.timestamp.body), Postmark (basic auth) and Brevo (bearer token or basic auth). Each table
// row is one delivery and whether it may be believed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mailgunSignature, nowSeconds, svixKeys } from '../../test/support/webhook-signers.js';
import { brevoVerifier, postmarkVerifier } from './credential-verify.js';
import { checkMailgunSignature, mailgunVerifier } from './mailgun-verify.js';
import { svixVerifier } from './resend-verify.js';
import type { VerifyVerdict } from './webhook-verdict.js';

const status = (v: VerifyVerdict) => (v.ok ? 200 : v.status);
const basic = (s: string) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` });

describe('Mailgun signature', () => {
  const key = 'key-0123456789abcdef0123456789abcdef';
  const verify = mailgunVerifier(key);
  const body = (signature: object) => JSON.stringify({ signature, 'event-data': { event: 'opened' } });
  const old = String(Number(nowSeconds()) - 600);
  const rows: Array<[string, string, number]> = [
    ['signed now', body(mailgunSignature(key)), 200],
    ['signed with another key', body(mailgunSignature('key-other')), 401],
    ['a token changed after signing', body({ ...mailgunSignature(key), token: 'x'.repeat(50) }), 401],
    ['signed ten minutes ago (a replay)', body(mailgunSignature(key, old)), 401],
    ['no signature object', JSON.stringify({ 'event-data': {} }), 401],
    ['no token', body({ ...mailgunSignature(key), token: undefined }), 401],
    ['a body that is not JSON', '{"signature":', 400],
  ];
  for (const [name, b, want] of rows) it(`${name} → ${want}`, async () => assert.equal(status(await verify({}, b)), want));

  it('the check alone takes the three fields of a form-encoded delivery (inbound routes)', () => {
    const form = new URLSearchParams(mailgunSignature(key));
    const fields = { timestamp: form.get('timestamp'), token: form.get('token'), signature: form.get('signature') };
    assert.equal(status(checkMailgunSignature(key, fields, Date.now())), 200);
    assert.equal(status(checkMailgunSignature(key, { ...fields, signature: '00' }, Date.now())), 401);
  });
});

describe('Svix signature (Resend)', () => {
  const keys = svixKeys();
  const verify = svixVerifier(keys.secret);
  const body = JSON.stringify({ type: 'email.opened', data: { email_id: 'e1' } });
  const rows: Array<[string, Record<string, string>, string, number]> = [
    ['signed now', keys.headers(body), body, 200],
    [
      'one of several signatures matches (a secret being rotated)',
      { ...keys.headers(body), 'svix-signature': `v1,AAAA ${keys.headers(body, 'msg_1', nowSeconds())['svix-signature']}`, 'svix-id': 'msg_1' },
      body,
      200,
    ],
    ['the body changed after signing', keys.headers(body), body.replace('opened', 'clicked'), 401],
    ['another id than was signed', { ...keys.headers(body), 'svix-id': 'msg_other' }, body, 401],
    ['signed ten minutes ago', keys.headers(body, 'msg_2', String(Number(nowSeconds()) - 600)), body, 401],
    ['signed by another secret', svixKeys().headers(body), body, 401],
    ['no signature header', { 'svix-id': 'msg_3', 'svix-timestamp': nowSeconds() }, body, 401],
    ['a v2 entry only', { ...keys.headers(body), 'svix-signature': keys.headers(body)['svix-signature']!.replace('v1,', 'v2,') }, body, 401],
  ];
  for (const [name, h, b, want] of rows) it(`${name} → ${want}`, async () => assert.equal(status(await verify(h, b)), want));

  it('a secret without whsec_ is a configuration error', () => assert.throws(() => svixVerifier('secret'), { code: 'CR_ERR_CONFIG' }));
});

describe('credentials (Postmark basic auth, Brevo bearer or basic)', () => {
  const postmark = postmarkVerifier('hooks:s3cret-pass');
  const token = 'brevo-token-0123456789abcdef';
  const brevo = brevoVerifier(token);
  const rows: Array<[string, typeof postmark, Record<string, string>, number]> = [
    ['Postmark, right credentials', postmark, basic('hooks:s3cret-pass'), 200],
    ['Postmark, wrong password', postmark, basic('hooks:s3cret-pasS'), 401],
    ['Postmark, no credentials', postmark, {}, 401],
    ['Postmark, a bearer token instead', postmark, { authorization: 'Bearer hooks:s3cret-pass' }, 401],
    ['Brevo, bearer token', brevo, { authorization: `Bearer ${token}` }, 200],
    ['Brevo, basic auth holding the token', brevo, basic(token), 200],
    ['Brevo, wrong token', brevo, { authorization: `Bearer ${token}x` }, 401],
    ['Brevo, no credentials', brevo, {}, 401],
  ];
  for (const [name, verify, h, want] of rows) it(`${name} → ${want}`, async () => assert.equal(status(await verify(h, '{}')), want));

  it('unusable settings are configuration errors', () => {
    assert.throws(() => postmarkVerifier('no-colon'), { code: 'CR_ERR_CONFIG' });
    assert.throws(() => brevoVerifier('short'), { code: 'CR_ERR_CONFIG' });
  });
});
