import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { after, test } from 'node:test';
import { explainMessage } from '../classify/explain-message.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import { runReport } from '../metrics/run-report.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { coldSends, EXPECTED, fixtureKeyring, fixtureMails, REPLY_FIXTURES, STEP_FIGURES } from '../../test/support/reply-campaign.js';
import { readMailboxFiles } from './read-mailbox-files.js';
import { recordAll, type ReplyOutcome } from './record-replies.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-replies-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function withCold<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openDuckDbStore(join(dir, `r${++n}.duckdb`));
  try {
    await ingestEvents(store, coldSends());
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function importPaths(store: Store, paths: string[]): Promise<ReplyOutcome[]> {
  const outcomes: ReplyOutcome[] = [];
  await recordAll(store, readMailboxFiles(paths), { keyring: fixtureKeyring() }, (o) => outcomes.push(o));
  return outcomes;
}

const emlPaths = () => fixtureMails().map((m) => join(REPLY_FIXTURES, m.name));

test('each fixture mail gets its verdict and its message; per-step reply rates count people only', async () => {
  await withCold(async (store) => {
    const outcomes = await importPaths(store, emlPaths());
    for (const o of outcomes) {
      const want = EXPECTED[basename(o.where)];
      assert.ok(want, o.where);
      assert.equal(o.kind, want.kind, `${o.where}: ${JSON.stringify(o)}`);
      assert.equal(o.message, want.message, o.where);
      assert.equal(o.status, want.status, o.where);
    }
    assert.equal(outcomes.length, Object.keys(EXPECTED).length);
    const weak = outcomes.find((o) => o.where.endsWith('weak-reply.eml'));
    assert.deepEqual(weak?.reasons, ['match:weak-sender']);
    const report = await runReport(store, { campaign: 'cold', by: 'step' });
    assert.equal(report.kind, 'email');
    if (report.kind !== 'email') return;
    for (const [i, want] of STEP_FIGURES.entries()) {
      for (const [k, v] of Object.entries(want)) assert.equal((report.groups[i] as unknown as Record<string, unknown>)[k], v, `step ${want.key} ${k}`);
    }
  });
});

test('the same mails read again change nothing: every event is stored once', async () => {
  await withCold(async (store) => {
    await importPaths(store, emlPaths());
    const before = await runReport(store, { campaign: 'cold', by: 'step' });
    const again = await importPaths(store, emlPaths());
    assert.equal(again.filter((o) => o.stored).length, 0);
    assert.deepEqual(await runReport(store, { campaign: 'cold', by: 'step' }), before);
  });
});

test('an mbox file and a Maildir folder of the same mails give the same verdicts as the files', async () => {
  const mails = fixtureMails();
  // mboxrd: a "From " separator line before each message, body lines starting "From " escaped.
  const mbox = join(dir, 'replies.mbox');
  writeFileSync(
    mbox,
    mails.map((m) => `From sender@example.com Mon Nov  2 09:00:00 2026\n${m.raw.toString('utf8').replace(/^(>*From )/gm, '>$1')}\n`).join(''),
  );
  const maildir = join(dir, 'Maildir');
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  for (const [i, m] of mails.entries()) writeFileSync(join(maildir, i % 2 ? 'cur' : 'new', `17930000${i}.M1P1.host:2,S`), m.raw);
  const kinds = (os: ReplyOutcome[]) => os.map((o) => `${o.kind} ${o.message}`).sort();
  const files = await withCold((store) => importPaths(store, emlPaths()));
  assert.deepEqual(kinds(await withCold((store) => importPaths(store, [mbox]))), kinds(files));
  assert.deepEqual(kinds(await withCold((store) => importPaths(store, [maildir]))), kinds(files));
});

test('explain shows each reply and bounce with its verdict and reasons; nothing of the mail is stored but those', async () => {
  await withCold(async (store) => {
    await importPaths(store, emlPaths());
    const shown = async (message: string) => (await explainMessage(store, message)).events.filter((e) => e.type !== 'sent');
    const [ooo] = await shown('s1-cat');
    assert.equal(ooo?.verdict, 'auto_reply');
    assert.deepEqual(
      ooo?.reasons.map((r) => r.code),
      ['auto-submitted:auto-generated', 'ooo-subject:en', 'match:in-reply-to'],
    );
    const [optOut] = await shown('s1-fay');
    assert.equal(optOut?.verdict, 'opt_out');
    const [bounce] = await shown('s1-dan');
    assert.equal(bounce?.type, 'bounced');
    assert.ok(bounce?.reasons.some((r) => r.code === 'dsn-status:5.1.1' && r.text === 'delivery status 5.1.1'));
    const [human] = await shown('s1-ann');
    assert.equal(human?.verdict, 'human');
    // Privacy: no body text, subject or address of any mail is in the store.
    const rows = await store.query({ sql: "SELECT * FROM events WHERE type <> 'sent'", params: {} });
    const stored = JSON.stringify(rows);
    for (const secret of ['onboarding', 'Following up', 'example.org', 'out of the office', 'remove me', 'mail.gmail.com'])
      assert.ok(!stored.includes(secret), secret);
  });
});

test('a path that is no mailbox, and a mail that is no message, are named', async () => {
  await withCold(async (store) => {
    await assert.rejects(importPaths(store, [join(dir, 'missing.eml')]), { code: 'CR_ERR_BAD_INPUT' });
    const notMaildir = join(dir, 'plain-folder');
    mkdirSync(notMaildir, { recursive: true });
    await assert.rejects(importPaths(store, [notMaildir]), /not a Maildir/);
    const junk = join(dir, 'junk.eml');
    writeFileSync(junk, 'just some words\n');
    const [o] = await importPaths(store, [junk]);
    assert.equal(o?.kind, 'unreadable');
  });
});
