// The Nodemailer plugin's `provider` option through a real Nodemailer transport: each provider's
// metadata header names the wrapped message and its campaign, an app's own X-SMTPAPI settings are kept,
// SES tags that SES would refuse are left out with a warning, and an unknown provider is a config error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { createKeyring, generateKey } from './keyring.js';
import { clickrateTracking, type ClickrateNodemailerOptions } from './nodemailer-plugin.js';

const keyring = createKeyring('k1', { k1: generateKey() });
const html = '<p><a href="https://shop.example.com/sale">Sale</a></p>';

async function send(options: Partial<ClickrateNodemailerOptions>, mail: Record<string, unknown> = {}) {
  const warnings: string[] = [];
  const transport = nodemailer.createTransport({ jsonTransport: true });
  transport.use('compile', clickrateTracking({ baseUrl: 'https://t.example.com', keyring, logger: { warn: (m) => void warnings.push(m) }, ...options }));
  const m: Record<string, unknown> = { from: 'a@shop.example.com', to: 'r@example.com', html, clickrate: { campaign: 'spring', message: 'msg-1' }, ...mail };
  const info = await transport.sendMail(m);
  return { headers: (JSON.parse(info.message as string) as { headers: Record<string, string> }).headers, warnings };
}

describe('provider metadata headers', () => {
  const rows: Array<[ClickrateNodemailerOptions['provider'], string, unknown]> = [
    ['sendgrid', 'X-SMTPAPI', { unique_args: { clickrate_message: 'msg-1', clickrate_campaign: 'spring' } }],
    ['mailgun', 'X-Mailgun-Variables', { clickrate_message: 'msg-1', clickrate_campaign: 'spring' }],
    ['brevo', 'X-Mailin-custom', { clickrate_message: 'msg-1', clickrate_campaign: 'spring' }],
    ['postmark', 'X-PM-Metadata-clickrate_message', 'msg-1'],
    ['ses', 'X-SES-MESSAGE-TAGS', 'clickrate_message=msg-1, clickrate_campaign=spring'],
  ];
  for (const [provider, name, want] of rows) {
    it(`${provider}: ${name}`, async () => {
      const { headers } = await send({ provider });
      const value = headers[name];
      assert.ok(value !== undefined, `no ${name} in ${JSON.stringify(headers)}`);
      assert.deepEqual(typeof want === 'string' ? value : JSON.parse(value), want);
    });
  }

  it('no provider: no provider header', async () => {
    const { headers } = await send({});
    assert.deepEqual(
      Object.keys(headers).filter((h) => /smtpapi|mailgun|x-pm-|x-ses|mailin/i.test(h)),
      [],
    );
  });

  it("SendGrid: the app's own X-SMTPAPI settings are kept", async () => {
    const { headers } = await send({ provider: 'sendgrid' }, { headers: { 'X-SMTPAPI': '{"category":["news"],"unique_args":{"user":"7"}}' } });
    assert.deepEqual(JSON.parse(headers['X-SMTPAPI']!), {
      category: ['news'],
      unique_args: { user: '7', clickrate_message: 'msg-1', clickrate_campaign: 'spring' },
    });
  });

  it('SES: a campaign SES would refuse as a tag is left out, with a warning', async () => {
    const { headers, warnings } = await send({ provider: 'ses' }, { clickrate: { campaign: 'spring sale!', message: 'msg-1' } });
    assert.equal(headers['X-SES-MESSAGE-TAGS'], 'clickrate_message=msg-1');
    assert.ok(
      warnings.some((w) => w.includes('clickrate_campaign')),
      warnings.join('\n'),
    );
  });

  it('Resend (no SMTP tag header) and unknown providers are configuration errors', () => {
    for (const provider of ['resend', 'mandrill']) {
      assert.throws(() => clickrateTracking({ baseUrl: 'https://t.example.com', keyring, provider: provider as ClickrateNodemailerOptions['provider'] }), {
        code: 'CR_ERR_CONFIG',
      });
    }
  });
});
