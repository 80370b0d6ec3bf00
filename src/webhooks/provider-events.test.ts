// Each provider's documented sample payloads become clickrate's events: sends from processed/delivered
// events of messages only the provider knows, bounces hard and soft (never deferrals), opens and clicks
// with their URL, address, agent and time, unsubscribes and complaints; the message from
// `clickrate_message` or the provider's id; the provider's machine flag in the id.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as S from '../../test/support/provider-samples.js';
import { brevoEvents } from './brevo-events.js';
import { mailgunEvents } from './mailgun-events.js';
import { postmarkEvents } from './postmark-events.js';
import { toClickrateEvents, type ProviderBatch } from './provider-event.js';
import { resendEvents } from './resend-events.js';
import { sendgridEvents } from './sendgrid-events.js';
import { sesEvents } from './ses-events.js';

const T = Date.parse('2026-03-01T09:30:00.000Z');
const SG = 'sendgrid:14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0';
const MG = 'mailgun:20130503182626.18666.16540@sandbox.mailgun.org';
const PM = 'postmark:00000000-0000-0000-0000-000000000000';
const SES = 'ses:EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';
const RS = 'resend:56761188-7520-42d8-8898-ff6fc54ce618';
const BR = 'brevo:202010081606.12345678901@smtp-relay.mailin.fr';

/** Each stored event as `type message [campaign recipient | url ip | flagged | bounce kind]`, and the skipped count. */
function summary(batch: ProviderBatch): string[] {
  assert.ok(batch.ok, !batch.ok ? batch.reason : '');
  const out: string[] = [];
  for (const pe of batch.events) {
    const m = toClickrateEvents(pe);
    assert.ok(m.ok, !m.ok ? m.reason : '');
    for (const e of m.events) {
      assert.ok(e.ts === pe.ts, 'the event keeps the provider time');
      const extra =
        e.type === 'sent'
          ? ` ${e.campaign} ${e.recipient}`
          : e.type === 'click'
            ? ` ${e.url} ${e.ip}${e.id.startsWith('pf:') ? ' flagged' : ''}`
            : e.type === 'open'
              ? ` ${e.ip ?? '-'}${e.user_agent ? ' ua' : ''}${e.id.startsWith('pf:') ? ' flagged' : ''}`
              : e.type === 'bounced'
                ? ` ${e.id.includes(':bounced-soft:') ? 'soft' : 'hard'}`
                : '';
      out.push(`${e.type} ${e.message}${extra}`);
    }
  }
  if (batch.skipped) out.push(`skipped ${batch.skipped}`);
  return out;
}
const json = (v: unknown) => JSON.stringify(v);
const sns = (Message: string) =>
  json({ Type: 'Notification', MessageId: 'n1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message, Timestamp: new Date(T).toISOString() });
const noConfirm = async () => assert.fail('no confirmation expected');

describe('provider samples → clickrate events', () => {
  const rows: Array<[string, () => ProviderBatch | Promise<ProviderBatch>, string[]]> = [
    [
      'SendGrid: processed, deferred, delivered, open, machine open, click, spam report, unsubscribe',
      () =>
        sendgridEvents(
          json([
            S.sendgrid.processed(T),
            S.sendgrid.deferred(T + 1000),
            S.sendgrid.delivered(T + 2000),
            S.sendgrid.open(T + 60_000),
            S.sendgrid.open(T + 61_000, { sg_machine_open: true, sg_event_id: 'mpp1', ip: '17.58.101.9', useragent: 'Mozilla/5.0' }),
            S.sendgrid.click(T + 90_000),
            S.sendgrid.spamreport(T + 100_000),
            S.sendgrid.unsubscribe(T + 110_000),
          ]),
        ),
      [
        `sent ${SG} cat facts example@test.com`,
        `sent ${SG} cat facts example@test.com`,
        `delivered ${SG}`,
        `open ${SG} 255.255.255.255 ua`,
        `open ${SG} 17.58.101.9 ua flagged`,
        `click ${SG} http://www.sendgrid.com/ 255.255.255.255`,
        `complaint ${SG}`,
        `unsubscribe ${SG}`,
        'skipped 1',
      ],
    ],
    [
      'SendGrid: a bounce is hard, a block is soft',
      () => sendgridEvents(json([S.sendgrid.bounce(T, 'bounce'), S.sendgrid.bounce(T, 'blocked')])),
      [`bounced ${SG} hard`, `bounced ${SG} soft`],
    ],
    [
      'SendGrid: custom args name a wrapped message and its campaign (no second sent)',
      () => sendgridEvents(json([S.sendgrid.delivered(T, { clickrate_message: 'cr-1' }), S.sendgrid.click(T + 5000, { clickrate_message: 'cr-1' })])),
      ['delivered cr-1', 'click cr-1 http://www.sendgrid.com/ 255.255.255.255'],
    ],
    [
      'SendGrid: clickrate_campaign wins over the category',
      () => sendgridEvents(json([S.sendgrid.processed(T, { clickrate_campaign: 'spring' })])),
      [`sent ${SG} spring example@test.com`],
    ],
    [
      'Mailgun: delivered',
      () => mailgunEvents(json(S.mailgun.event(S.mailgun.delivered(T), {}))),
      [`sent ${MG} my_tag_1 alice@example.com`, `delivered ${MG}`],
    ],
    ['Mailgun: a permanent failure is a hard bounce', () => mailgunEvents(json(S.mailgun.event(S.mailgun.failed(T, 'permanent'), {}))), [`bounced ${MG} hard`]],
    ['Mailgun: a temporary failure is a deferral', () => mailgunEvents(json(S.mailgun.event(S.mailgun.failed(T, 'temporary'), {}))), ['skipped 1']],
    ['Mailgun: an open by a person', () => mailgunEvents(json(S.mailgun.event(S.mailgun.opened(T), {}))), [`open ${MG} 50.56.129.169 ua`]],
    [
      'Mailgun: an open client-info calls a bot',
      () => mailgunEvents(json(S.mailgun.event(S.mailgun.opened(T, 'apple'), {}))),
      [`open ${MG} 50.56.129.169 ua flagged`],
    ],
    [
      'Mailgun: a click of a wrapped message',
      () => mailgunEvents(json(S.mailgun.event(S.mailgun.clicked(T), {}))),
      ['click cr-msg-1 https://example.com/offer 50.56.129.169'],
    ],
    ['Postmark: delivery', () => postmarkEvents(json(S.postmark.delivery(T))), [`sent ${PM} welcome-email john@example.com`, `delivered ${PM}`]],
    ['Postmark: hard bounce', () => postmarkEvents(json(S.postmark.bounce(T, 'HardBounce'))), [`bounced ${PM} hard`]],
    ['Postmark: soft bounce', () => postmarkEvents(json(S.postmark.bounce(T, 'SoftBounce'))), [`bounced ${PM} soft`]],
    ['Postmark: a transient delay is a deferral', () => postmarkEvents(json(S.postmark.bounce(T, 'Transient'))), ['skipped 1']],
    ['Postmark: an auto-responder is no bounce', () => postmarkEvents(json(S.postmark.bounce(T, 'AutoResponder'))), ['skipped 1']],
    ['Postmark: open', () => postmarkEvents(json(S.postmark.open(T))), [`open ${PM} 188.2.95.4 ua`]],
    ['Postmark: click', () => postmarkEvents(json(S.postmark.click(T))), [`click ${PM} https://example.com 192.168.0.1`]],
    ['Postmark: spam complaint', () => postmarkEvents(json(S.postmark.spam(T))), [`complaint ${PM}`]],
    ['Postmark: the recipient unsubscribed', () => postmarkEvents(json(S.postmark.subscription(T, 'ManualSuppression'))), [`unsubscribe ${PM}`]],
    ['Postmark: suppressed after a hard bounce is no unsubscribe', () => postmarkEvents(json(S.postmark.subscription(T, 'HardBounce'))), ['skipped 1']],
    ['SES: send', () => sesEvents(sns(S.ses.event('Send', T)), noConfirm), [`sent ${SES} ConfigSet recipient@example.com`]],
    [
      'SES: delivery',
      () => sesEvents(sns(S.ses.event('Delivery', T, { recipients: ['recipient@example.com'] })), noConfirm),
      [`sent ${SES} ConfigSet recipient@example.com`, `delivered ${SES}`],
    ],
    [
      'SES: permanent bounce',
      () => sesEvents(sns(S.ses.event('Bounce', T, { bounceType: 'Permanent', feedbackId: 'f1' })), noConfirm),
      [`bounced ${SES} hard`],
    ],
    [
      'SES: transient bounce',
      () => sesEvents(sns(S.ses.event('Bounce', T, { bounceType: 'Transient', feedbackId: 'f2' })), noConfirm),
      [`bounced ${SES} soft`],
    ],
    ['SES: a delivery delay is a deferral', () => sesEvents(sns(S.ses.event('DeliveryDelay', T, { delayType: 'MailboxFull' })), noConfirm), ['skipped 1']],
    [
      'SES: open and click',
      async () => {
        const a = await sesEvents(
          sns(S.ses.event('Open', T, { ipAddress: '192.0.2.1', userAgent: 'Mozilla/5.0 (Windows NT 6.3; WOW64; rv:24.0) Gecko/20100101 Firefox/24.0' })),
          noConfirm,
        );
        const b = await sesEvents(
          sns(
            S.ses.event('Click', T, {
              ipAddress: '192.0.2.1',
              link: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html',
              userAgent: 'Mozilla/5.0',
            }),
          ),
          noConfirm,
        );
        return a.ok && b.ok ? { ok: true, events: [...a.events, ...b.events], skipped: 0 } : a;
      },
      [`open ${SES} 192.0.2.1 ua`, `click ${SES} http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html 192.0.2.1`],
    ],
    ['SES: complaint', () => sesEvents(sns(S.ses.event('Complaint', T, { feedbackId: 'c1' })), noConfirm), [`complaint ${SES}`]],
    [
      'SES: message tags name a wrapped message',
      () => sesEvents(sns(S.ses.event('Delivery', T, {}, { clickrate_message: ['cr-9'] })), noConfirm),
      ['delivered cr-9'],
    ],
    ['Resend: sent', () => resendEvents(json(S.resend.event('email.sent', T))), [`sent ${RS} confirm_email delivered@resend.dev`]],
    ['Resend: delivery delayed is a deferral', () => resendEvents(json(S.resend.event('email.delivery_delayed', T))), ['skipped 1']],
    [
      'Resend: bounced',
      () => resendEvents(json(S.resend.event('email.bounced', T, { bounce: { type: 'Permanent', subType: 'Suppressed' } }))),
      [`bounced ${RS} hard`],
    ],
    [
      'Resend: clicked',
      () =>
        resendEvents(
          json(
            S.resend.event('email.clicked', T, {
              click: {
                ipAddress: '122.115.53.11',
                link: 'https://resend.com',
                timestamp: new Date(T).toISOString(),
                userAgent: 'Mozilla/5.0 (Macintosh) Safari/605.1.15',
              },
            }),
          ),
        ),
      [`click ${RS} https://resend.com 122.115.53.11`],
    ],
    ['Resend: opened', () => resendEvents(json(S.resend.event('email.opened', T))), [`open ${RS} -`]],
    [
      'Resend: tags in the API form name a wrapped message',
      () => resendEvents(json(S.resend.event('email.complained', T, { tags: [{ name: 'clickrate_message', value: 'cr-5' }] }))),
      ['complaint cr-5'],
    ],
    [
      'Brevo: request (sent) and delivered',
      () => brevoEvents(json([S.brevo.event('request', T), S.brevo.event('delivered', T + 1000)])),
      [`sent ${BR} myFirstTransactional example@example.com`, `sent ${BR} myFirstTransactional example@example.com`, `delivered ${BR}`],
    ],
    [
      'Brevo: hard and soft bounces, deferred skipped',
      () => brevoEvents(json([S.brevo.event('hard_bounce', T), S.brevo.event('soft_bounce', T), S.brevo.event('deferred', T)])),
      [`bounced ${BR} hard`, `bounced ${BR} soft`, 'skipped 1'],
    ],
    ['Brevo: a proxy open is flagged', () => brevoEvents(json(S.brevo.event('proxy_open', T))), [`open ${BR} - flagged`]],
    ['Brevo: a click', () => brevoEvents(json(S.brevo.event('click', T, { link: 'https://example.com/a' }))), [`click ${BR} https://example.com/a null`]],
    [
      'Brevo: X-Mailin-custom JSON names the message',
      () => brevoEvents(json(S.brevo.event('unsubscribed', T, { 'X-Mailin-custom': '{"clickrate_message":"cr-7"}' }))),
      ['unsubscribe cr-7'],
    ],
    ['Brevo: a tag names the message', () => brevoEvents(json(S.brevo.event('spam', T, { tags: ['clickrate_message:cr-8'] }))), ['complaint cr-8']],
  ];
  for (const [name, run, want] of rows) it(name, async () => assert.deepEqual(summary(await run()), want));
});

describe('retries and ids', () => {
  it('the same provider event maps to the same ids every time; opened and unique_opened share one', () => {
    const ids = (b: ProviderBatch) =>
      b.ok
        ? b.events.flatMap((e) => {
            const m = toClickrateEvents(e);
            return m.ok ? m.events.map((x) => x.id) : [];
          })
        : [];
    const body = json([S.sendgrid.processed(T), S.sendgrid.open(T + 60_000)]);
    assert.deepEqual(ids(sendgridEvents(body)), ids(sendgridEvents(body)));
    const [a] = ids(brevoEvents(json(S.brevo.event('opened', T))));
    const [b] = ids(brevoEvents(json(S.brevo.event('unique_opened', T))));
    assert.equal(a, b);
  });

  it('an event naming no message is refused alone, with the reason', () => {
    const b = sendgridEvents(json([{ ...S.sendgrid.open(T), sg_message_id: undefined }]));
    assert.ok(b.ok);
    const m = toClickrateEvents(b.events[0]!);
    assert.equal(m.ok, false);
    assert.match(!m.ok ? m.reason : '', /names no message/);
  });

  it('a click whose URL is not http(s) fails the event checks', () => {
    const b = sendgridEvents(json([S.sendgrid.click(T, { url: 'javascript:alert(1)' })]));
    const m = b.ok ? toClickrateEvents(b.events[0]!) : null;
    assert.equal(m?.ok, false);
  });

  it('bodies that are not the provider’s are refused with the reason', () => {
    const rows: Array<[string, ProviderBatch]> = [
      ['SendGrid object', sendgridEvents('{}')],
      ['SendGrid entry', sendgridEvents('[1]')],
      ['Mailgun without event-data', mailgunEvents('{"signature":{}}')],
      ['Postmark without RecordType', postmarkEvents('{"MessageID":"x"}')],
      ['Resend without data', resendEvents('{"type":"email.sent"}')],
      ['Brevo without event', brevoEvents('[{"email":"x"}]')],
      ['not JSON', brevoEvents('{')],
    ];
    for (const [name, b] of rows) assert.equal(b.ok, false, name);
  });
});
