import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threadSubject } from '../tracking/thread-subject.js';
import { classifyReply, ownWords, type MailFacts } from './reply-classify.js';

function facts(over: Partial<Omit<MailFacts, 'headers'>> & { headers?: Record<string, string> } = {}): MailFacts {
  const headers = new Map(Object.entries(over.headers ?? {}).map(([k, v]) => [k.toLowerCase(), [v]] as const));
  return {
    from: 'ann@example.org',
    subject: 'Re: Quick question',
    contentType: 'text/plain',
    deliveryStatus: null,
    text: 'Sounds good, call me.',
    ...over,
    headers,
  };
}

const DSN_STATUS = 'Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@b\nAction: failed\nStatus: 5.1.1\n';

// [case, mail, expected kind, expected reasons (in order), status]
const CASES: ReadonlyArray<readonly [string, MailFacts, string, string[], string?]> = [
  ['a plain reply', facts(), 'human', []],
  ['Auto-Submitted: no is a person', facts({ headers: { 'Auto-Submitted': 'no' } }), 'human', []],
  ['Auto-Submitted: auto-replied (Gmail vacation)', facts({ headers: { 'Auto-Submitted': 'auto-replied' } }), 'auto', ['auto-submitted:auto-replied']],
  ['Auto-Submitted with a parameter', facts({ headers: { 'Auto-Submitted': 'auto-generated; owner-email="x@y"' } }), 'auto', ['auto-submitted:auto-generated']],
  ['X-Autoreply', facts({ headers: { 'X-Autoreply': 'yes' } }), 'auto', ['x-autoreply']],
  ['X-Autorespond', facts({ headers: { 'X-Autorespond': 'vacation' } }), 'auto', ['x-autorespond']],
  ['Precedence: bulk', facts({ headers: { Precedence: 'bulk' } }), 'auto', ['precedence:bulk']],
  ['Precedence: auto_reply', facts({ headers: { Precedence: 'auto_reply' } }), 'auto', ['precedence:auto_reply']],
  ['Precedence: first-class is not', facts({ headers: { Precedence: 'first-class' } }), 'human', []],
  ['Outlook English OOF subject', facts({ subject: 'Automatic reply: Quick question' }), 'auto', ['ooo-subject:en']],
  ['Outlook German OOF subject', facts({ subject: 'Automatische Antwort: Quick question' }), 'auto', ['ooo-subject:de']],
  ['Outlook French OOF subject', facts({ subject: 'Réponse automatique : Quick question' }), 'auto', ['ooo-subject:fr']],
  ['Spanish OOF subject', facts({ subject: 'Respuesta automática: Quick question' }), 'auto', ['ooo-subject:es']],
  ['Dutch OOF subject', facts({ subject: 'Automatisch antwoord: Quick question' }), 'auto', ['ooo-subject:nl']],
  ['Polish OOF subject', facts({ subject: 'Automatyczna odpowiedź: Quick question' }), 'auto', ['ooo-subject:pl']],
  ['Out of office after Re:', facts({ subject: 'Re: Out of Office' }), 'auto', ['ooo-subject:en']],
  ['Abwesenheitsnotiz', facts({ subject: 'Abwesenheitsnotiz' }), 'auto', ['ooo-subject:de']],
  ['a subject merely about an office is a person', facts({ subject: 'Re: Office chairs' }), 'human', []],
  ['opt-out in English', facts({ text: 'Please remove me from your list.' }), 'opt_out', ['opt-out:en']],
  ['a bare STOP', facts({ text: 'STOP\n\nSent from my iPhone' }), 'opt_out', ['opt-out:en']],
  ['"unsubscribe"', facts({ text: 'unsubscribe' }), 'opt_out', ['opt-out:en']],
  ['German opt-out', facts({ text: 'Bitte austragen, danke.' }), 'opt_out', ['opt-out:de']],
  ['French opt-out', facts({ text: 'Merci de me désabonner.' }), 'opt_out', ['opt-out:fr']],
  ['Spanish opt-out', facts({ text: 'Por favor, darme de baja.' }), 'opt_out', ['opt-out:es']],
  ['Dutch opt-out', facts({ text: 'Graag afmelden.' }), 'opt_out', ['opt-out:nl']],
  ['an unsubscribe subject', facts({ subject: 'Unsubscribe', text: '' }), 'opt_out', ['opt-out:subject']],
  ['"stop" inside a sentence is a person', facts({ text: "Let's stop by your booth at the fair." }), 'human', []],
  [
    '"unsubscribe" only in the quoted text is a person',
    facts({ text: 'Sure, call me.\n\nOn Mon, Nov 2, 2026 at 9:00 AM Sam <s@x> wrote:\n> reply "unsubscribe" to opt out' }),
    'human',
    [],
  ],
  [
    'an auto-reply saying "unsubscribe" stays an auto-reply',
    facts({ headers: { 'Auto-Submitted': 'auto-replied' }, text: 'unsubscribe' }),
    'auto',
    ['auto-submitted:auto-replied'],
  ],
  [
    'a DSN report with a status',
    facts({ from: 'mailer-daemon@mx.example', contentType: 'multipart/report; report-type=delivery-status', deliveryStatus: DSN_STATUS }),
    'bounce',
    ['dsn-report', 'dsn-sender:mailer-daemon', 'dsn-status:5.1.1'],
    '5.1.1',
  ],
  [
    'a DSN report from another sender (Exchange Online)',
    facts({
      from: 'microsoftexchange329e@example.com',
      contentType: 'multipart/report; report-type=delivery-status',
      deliveryStatus: DSN_STATUS.replace('5.1.1', '5.1.10'),
    }),
    'bounce',
    ['dsn-report', 'dsn-status:5.1.10'],
    '5.1.10',
  ],
  [
    'postmaster in prose, status from the text',
    facts({ from: 'postmaster@example.com', text: 'Delivery failed: 550 5.7.1 rejected' }),
    'bounce',
    ['dsn-sender:postmaster', 'dsn-status:5.7.1'],
    '5.7.1',
  ],
  ['MAILER-DAEMON with no status', facts({ from: 'mailer-daemon@example.com', text: 'could not deliver' }), 'bounce', ['dsn-sender:mailer-daemon']],
  [
    'a delay warning is not a bounce',
    facts({ from: 'mailer-daemon@mx', contentType: 'multipart/report; report-type=delivery-status', deliveryStatus: 'Action: delayed\nStatus: 4.4.1\n' }),
    'delay',
    ['dsn-report', 'dsn-sender:mailer-daemon', 'dsn-action:delayed'],
  ],
  ['a read receipt report is not a DSN', facts({ contentType: 'multipart/report; report-type=disposition-notification' }), 'human', []],
];

test('each answering mail gets its verdict and reasons', () => {
  for (const [name, mail, kind, reasons, status] of CASES) {
    const v = classifyReply(mail);
    assert.equal(v.kind, kind, name);
    assert.deepEqual(v.reasons, reasons, name);
    assert.equal(v.status, status, name);
  }
});

test('thread subjects drop the reply and forward prefixes of the common clients', () => {
  const table: Array<[string, string]> = [
    ['Re: Quick question', 'quick question'],
    ['RE: RE:  Quick   question', 'quick question'],
    ['AW: Quick question', 'quick question'],
    ['SV: Sv: Quick question', 'quick question'],
    ['Fwd: Re: Quick question', 'quick question'],
    ['Re[2]: Quick question', 'quick question'],
    ['WG: Quick question', 'quick question'],
    ['Quick question', 'quick question'],
    ['Reply needed', 'reply needed'],
  ];
  for (const [subject, thread] of table) assert.equal(threadSubject(subject), thread, subject);
});

test("a person's own words stop at the quote header of Gmail, Apple Mail and Outlook", () => {
  const table: Array<[string, string]> = [
    ['Yes.\n\nOn Mon, Nov 2, 2026 at 9:00 AM Sam <s@x> wrote:\n> unsubscribe', 'Yes.\n'],
    ['Ja.\n\nAm 02.11.2026 um 09:00 schrieb Sam <s@x>:\n> abmelden', 'Ja.\n'],
    ['Ok\n\n-----Original Message-----\nFrom: Sam\nunsubscribe', 'Ok\n'],
    ['Gerne\n\n________________________________\nVon: Sam <s@x.example>\nGesendet: Montag\nabmelden', 'Gerne\n\n________________________________'],
    ['Sure\n> quoted\nmore', 'Sure\nmore'],
  ];
  for (const [text, own] of table) assert.equal(ownWords(text), own, text);
});
