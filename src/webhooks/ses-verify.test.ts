// SNS message signatures (SES events): messages signed here with an RSA key whose X.509 certificate
// (made by openssl) is served over real HTTPS on loopback; the verifier reaches it only through the
// test's trusted-URL check, while production trusts https on sns.<region>.amazonaws.com alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { snsSigner, type SnsSigner } from '../../test/support/webhook-signers.js';
import { fetchHttpsText } from './https-text.js';
import { isSnsUrl, snsVerifier } from './ses-verify.js';
import type { VerifyVerdict, WebhookVerifier } from './webhook-verdict.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-events';
let signer: SnsSigner;
let verify: WebhookVerifier;
let fetches = 0;
before(async () => {
  signer = await snsSigner();
  verify = snsVerifier({
    topics: [TOPIC],
    fetchText: (url) => {
      fetches++;
      return fetchHttpsText(url, { ca: signer.certPem });
    },
    trustedUrl: (url) => url.protocol === 'https:' && url.hostname === '127.0.0.1',
  });
});
after(() => signer.close());

const notification = (over: Record<string, string> = {}) => ({
  Type: 'Notification',
  MessageId: 'b0a7c8e2-1111-2222-3333-444455556666',
  TopicArn: TOPIC,
  Message: JSON.stringify({ eventType: 'Open', mail: { messageId: 'm1' }, open: { timestamp: new Date().toISOString() } }),
  Timestamp: new Date().toISOString(),
  ...over,
});
const status = (v: VerifyVerdict) => (v.ok ? 200 : v.status);
const body = (m: object) => JSON.stringify(m);

describe('SNS signatures', () => {
  it('versions 1 (SHA1withRSA) and 2 (SHA256withRSA) are accepted, with and without a Subject', async () => {
    assert.equal(status(await verify({ 'x-amz-sns-message-type': 'Notification' }, body(signer.sign(notification(), '1')))), 200);
    assert.equal(status(await verify({}, body(signer.sign(notification(), '2')))), 200);
    assert.equal(status(await verify({}, body(signer.sign(notification({ Subject: 'Amazon SES Email Event Notification' }), '2')))), 200);
  });

  it('the certificate is fetched once and cached', async () => {
    const before = fetches;
    for (let i = 0; i < 3; i++) await verify({}, body(signer.sign(notification())));
    assert.ok(fetches - before <= 1, `${fetches - before} fetches`);
  });

  const refusals: Array<[string, () => Record<string, string>, number]> = [
    ['a message changed after signing', () => ({ ...signer.sign(notification()), Message: '{"eventType":"Click"}' }), 401],
    ['a topic not in the allow-list', () => signer.sign(notification({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:other' })), 401],
    ['signed ten minutes ago', () => signer.sign(notification({ Timestamp: new Date(Date.now() - 600_000).toISOString() })), 401],
    ['SignatureVersion 3', () => ({ ...signer.sign(notification()), SignatureVersion: '3' }), 401],
    ['a certificate over plain http', () => ({ ...signer.sign(notification()), SigningCertURL: signer.certUrl.replace('https:', 'http:') }), 401],
    ['a certificate URL that is not a .pem', () => ({ ...signer.sign(notification()), SigningCertURL: signer.certUrl.replace('.pem', '.txt') }), 401],
    ['a signature that is not base64 of one', () => ({ ...signer.sign(notification()), Signature: 'AAAA' }), 401],
    ['an unknown Type', () => signer.sign(notification({ Type: 'Other' })), 400],
    [
      'a message without its Message field',
      () => {
        const m = signer.sign(notification());
        delete m.Message;
        return m;
      },
      400,
    ],
  ];
  for (const [name, make, want] of refusals) it(`${name} → ${want}`, async () => assert.equal(status(await verify({}, body(make()))), want));

  it('a body that is not JSON → 400; a header naming another type → 400', async () => {
    assert.equal(status(await verify({}, '{"Type"')), 400);
    assert.equal(status(await verify({ 'x-amz-sns-message-type': 'SubscriptionConfirmation' }, body(signer.sign(notification())))), 400);
  });

  it('production trusts only https on an SNS host, so the loopback certificate is refused there', async () => {
    const prod = snsVerifier({ topics: [TOPIC] });
    const v = await prod({}, body(signer.sign(notification())));
    assert.equal(status(v), 401);
    assert.match(!v.ok ? v.reason : '', /not an https certificate on an SNS host/);
    const table: Array<[string, boolean]> = [
      ['https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', true],
      ['https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem', true],
      ['http://sns.us-east-1.amazonaws.com/x.pem', false],
      ['https://sns.us-east-1.amazonaws.com.evil.example/x.pem', false],
      ['https://evil.example/sns.us-east-1.amazonaws.com/x.pem', false],
      ['https://sns.us-east-1.amazonaws.com:8443/x.pem', false],
      ['https://s3.amazonaws.com/x.pem', false],
    ];
    for (const [url, ok] of table) assert.equal(isSnsUrl(new URL(url)), ok, url);
  });
});
