// A cold sequence whose answers are the mails in test/fixtures/email/replies/: the sends to store first,
// the keyring those mails' Message-IDs were signed with, and what each mail is. Shared by the tests that
// read the mails from files and from a real IMAP server.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyringJson, type Keyring } from '../../src/tracking/keyring.js';
import { ROOT } from './paths.js';

export const REPLY_FIXTURES = join(ROOT, 'test', 'fixtures', 'email', 'replies');

/** The keyring the fixtures' Message-IDs carry a MAC of (a test key, not a secret). */
export function fixtureKeyring(): Keyring {
  return parseKeyringJson(readFileSync(join(REPLY_FIXTURES, 'keyring.json'), 'utf8'), 'fixture keyring');
}

/** The fixture mails, by file name. */
export function fixtureMails(): Array<{ name: string; raw: Buffer }> {
  return readdirSync(REPLY_FIXTURES)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, raw: readFileSync(join(REPLY_FIXTURES, name)) }));
}

const STEP_1 = '2026-11-02T08:00:00.000Z';
const STEP_2 = '2026-11-09T07:00:00.000Z';
const PEOPLE = [
  ['s1-ann', 1],
  ['s1-bob', 1],
  ['s1-cat', 1],
  ['s1-dan', 1],
  ['s1-eve', 1],
  ['s1-fay', 1],
  ['s2-gus', 2],
  ['s2-hal', 2],
  ['s2-ivy', 2],
  ['s2-jon', 2],
  ['s2-kim', 2],
  ['s2-lee', 2],
] as const;

/** The `sent` events of the sequence: message s<step>-<name> to <name>@example.*. */
export function coldSends(campaign = 'cold'): Array<Record<string, string | number>> {
  const domain: Record<string, string> = {
    bob: 'example.de',
    gus: 'example.se',
    dan: 'example.net',
    kim: 'example.net',
    cat: 'example.com',
    ivy: 'example.com',
    jon: 'example.com',
  };
  return PEOPLE.map(([message, step]) => {
    const name = message.slice(3);
    return {
      id: `sent:${message}`,
      type: 'sent',
      ts: step === 1 ? STEP_1 : STEP_2,
      message,
      campaign,
      recipient: `${name}@${domain[name] ?? 'example.org'}`,
      step,
    };
  });
}

/** What each fixture is: its verdict and the message it answers (null: none of ours). */
export const EXPECTED: Readonly<Record<string, { kind: string; message: string | null; status?: string }>> = {
  'apple-mail-opt-out.eml': { kind: 'opt_out', message: 's1-fay' },
  'apple-mail-reply-sv.eml': { kind: 'human', message: 's2-gus' },
  'exchange-dsn.eml': { kind: 'bounce', message: 's2-ivy', status: '5.1.10' },
  'exchange-out-of-office.eml': { kind: 'auto', message: 's1-cat' },
  'gmail-dsn.eml': { kind: 'bounce', message: 's2-jon', status: '5.1.1' },
  'gmail-reply.eml': { kind: 'human', message: 's1-ann' },
  'gmail-vacation.eml': { kind: 'auto', message: 's2-hal' },
  'newsletter.eml': { kind: 'unmatched', message: null },
  'outlook-reply-aw.eml': { kind: 'human', message: 's1-bob' },
  'postfix-delay.eml': { kind: 'delay', message: 's2-kim' },
  'postfix-dsn.eml': { kind: 'bounce', message: 's1-dan', status: '5.1.1' },
  'weak-reply.eml': { kind: 'human', message: 's2-lee' },
};

/** The per-step figures the sequence's answers give: people only in reply_rate. */
export const STEP_FIGURES = [
  { key: 1, sent: 6, bounced: 1, delivered: 5, replies: 2, auto_replies: 1, opt_out_replies: 1, reply_rate: 40 },
  { key: 2, sent: 6, bounced: 2, delivered: 4, replies: 2, auto_replies: 1, opt_out_replies: 0, reply_rate: 50 },
];
