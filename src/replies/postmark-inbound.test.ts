// Postmark inbound JSON written back into a message and read as read-mail.ts reads any mail: what the
// classifier and the matcher see must be what Postmark's fields said, and nothing a field smuggles in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postmarkInboundMail } from './postmark-inbound.js';
import { readMail } from './read-mail.js';
import { classifyReply } from './reply-classify.js';

const BASE = { From: 'ann@example.org', Subject: 'Re: hello', Date: 'Fri, 1 Aug 2026 16:45:32 -04:00', MessageID: 'pm-123', TextBody: 'Sounds good.' };

async function read(json: Record<string, unknown>) {
  const mail = postmarkInboundMail(JSON.stringify(json));
  assert.ok(mail.ok, JSON.stringify(mail));
  return readMail(mail.raw, mail.where);
}

const cases: Array<[string, Record<string, unknown>, (m: Awaited<ReturnType<typeof readMail>>) => void]> = [
  [
    'a French out-of-office subject survives the encoding and is an auto-reply',
    { ...BASE, Subject: 'Réponse automatique : Rendez-vous la semaine prochaine, à très bientôt' },
    (m) => {
      assert.equal(m.facts.subject, 'Réponse automatique : Rendez-vous la semaine prochaine, à très bientôt');
      assert.deepEqual(classifyReply(m.facts).reasons, ['ooo-subject:fr']);
    },
  ],
  [
    'a line break in a field adds no header',
    { ...BASE, Subject: 'Re: hi\r\nAuto-Submitted: auto-replied', Headers: [{ Name: 'X-Note', Value: 'a\nPrecedence: bulk' }] },
    (m) => {
      assert.equal(m.facts.headers.get('auto-submitted'), undefined);
      assert.equal(m.facts.headers.get('precedence'), undefined);
      assert.equal(classifyReply(m.facts).kind, 'human');
    },
  ],
  [
    'the Headers array gives the thread, its own Message-ID and RFC 3834 headers',
    {
      ...BASE,
      Headers: [
        { Name: 'Message-ID', Value: '<own@mail.example.org>' },
        { Name: 'In-Reply-To', Value: '<a@t.example.com>' },
        { Name: 'References', Value: '<z@t.example.com> <a@t.example.com>' },
        { Name: 'Auto-Submitted', Value: 'auto-replied' },
        { Name: 'Bad Name', Value: 'dropped' },
      ],
    },
    (m) => {
      assert.equal(m.messageId, '<own@mail.example.org>');
      assert.deepEqual(m.answers, ['<a@t.example.com>', '<a@t.example.com>', '<z@t.example.com>']);
      assert.equal(classifyReply(m.facts).kind, 'auto');
      assert.equal(m.facts.headers.get('bad name'), undefined);
    },
  ],
  [
    'without a Message-ID header, Postmark’s id stands in; the date and the sender are read',
    BASE,
    (m) => {
      assert.equal(m.messageId, '<pm-123@inbound.postmarkapp.com>');
      assert.equal(m.date, Date.parse('2026-08-01T20:45:32Z'));
      assert.equal(m.facts.from, 'ann@example.org');
      assert.match(m.facts.text, /Sounds good\./);
    },
  ],
  [
    'an opt-out in the text body is read as one',
    { ...BASE, TextBody: 'Please remove me from your list.' },
    (m) => assert.equal(classifyReply(m.facts).kind, 'opt_out'),
  ],
];

for (const [name, json, check] of cases) test(name, async () => check(await read(json)));

test('what is not a Postmark inbound delivery is refused with the reason', () => {
  const refused: Array<[string, RegExp]> = [
    ['[1,2]', /JSON object/],
    ['{"From": 7}', /From/],
    ['{"Subject": "x"}', /no sender address/],
    ['{"From": "ann@example.org\\r\\nBcc: x@example.org"}', /no sender address/],
  ];
  for (const [body, reason] of refused) {
    const mail = postmarkInboundMail(body);
    assert.equal(mail.ok, false, body);
    if (!mail.ok) assert.match(mail.reason, reason, body);
  }
});
