// Reading answers from a real IMAP server (Dovecot on loopback, test/support/dovecot.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ingestEvents } from '../ingest/ingest-events.js';
import { runReport } from '../metrics/run-report.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { EmailGroup } from '../metrics/report-types.js';
import type { Store } from '../store/store.js';
import { useLocalDovecot } from '../../test/support/dovecot.js';
import { coldSends, fixtureKeyring, fixtureMails, STEP_FIGURES } from '../../test/support/reply-campaign.js';
import { waitFor } from '../../test/support/wait-for.js';
import { CheckpointFile } from './imap-checkpoint.js';
import { parseImapUrl } from './imap-source.js';
import { readMailboxOnce, watchMailbox, type WatchOptions } from './imap-watch.js';
import type { ReplyOutcome } from './record-replies.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-imap-'));
const local = useLocalDovecot();
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function coldStore(): Promise<{ store: Store; opts: WatchOptions; outcomes: ReplyOutcome[]; checkpoints: string }> {
  const store = await openDuckDbStore(join(dir, `s${++n}.duckdb`));
  await ingestEvents(store, coldSends());
  const outcomes: ReplyOutcome[] = [];
  const checkpoints = join(dir, `s${n}.imap-checkpoints.json`);
  const opts = { store, match: { keyring: fixtureKeyring() }, checkpoints: new CheckpointFile(checkpoints), onOutcome: (o: ReplyOutcome) => outcomes.push(o) };
  return { store, opts, outcomes, checkpoints };
}

const stepFigures = async (store: Store) => {
  const report = await runReport(store, { campaign: 'cold', by: 'step' });
  return report.kind === 'email'
    ? (report.groups as EmailGroup[]).map((g) => ({
        key: g.key,
        sent: g.sent,
        bounced: g.bounced,
        delivered: g.delivered,
        replies: g.replies,
        auto_replies: g.auto_replies,
        opt_out_replies: g.opt_out_replies,
        reply_rate: g.reply_rate,
      }))
    : [];
};

test("a cold sequence's answers read from the mailbox give per-step reply rates that count people only, and leave the mailbox as it was", async () => {
  for (const m of fixtureMails()) await local.server.append(m.raw, 'Cold');
  const { store, opts, outcomes, checkpoints } = await coldStore();
  try {
    const source = parseImapUrl(local.server.url('Cold'));
    assert.equal(await readMailboxOnce(source, opts), fixtureMails().length);
    assert.deepEqual(await stepFigures(store), STEP_FIGURES);
    assert.equal(outcomes.filter((o) => o.stored).length, 10, 'every mail that answers a message, but the delay warning, stored once');
    // Read-only: no \Seen, nothing moved.
    const flags = await local.server.flags('Cold');
    assert.equal(flags.size, fixtureMails().length);
    assert.ok(
      [...flags.values()].every((f) => f.length === 0),
      JSON.stringify([...flags]),
    );
    // Resumed from the checkpoint: nothing is read twice. The file is private and holds no password.
    assert.equal(await readMailboxOnce(source, { ...opts, checkpoints: new CheckpointFile(checkpoints) }), 0);
    assert.equal(statSync(checkpoints).mode & 0o777, 0o600);
    assert.ok(!readFileSync(checkpoints, 'utf8').includes(local.server.password));
  } finally {
    await store.close();
  }
});

test('--mark-seen flags what was stored as \\Seen', async () => {
  const [reply] = fixtureMails().filter((m) => m.name === 'gmail-reply.eml');
  await local.server.append(reply!.raw, 'Seen');
  const { store, opts } = await coldStore();
  try {
    await readMailboxOnce(parseImapUrl(local.server.url('Seen')), { ...opts, markSeen: true });
    assert.deepEqual([...(await local.server.flags('Seen')).values()], [['\\Seen']]);
  } finally {
    await store.close();
  }
});

test('watching: a reply that lands while the watch runs is stored as it arrives', async () => {
  const mails = new Map(fixtureMails().map((m) => [m.name, m.raw]));
  await local.server.append(mails.get('gmail-reply.eml')!, 'Watch');
  const { store, opts } = await coldStore();
  const stop = new AbortController();
  const notices: string[] = [];
  const watching = watchMailbox(parseImapUrl(local.server.url('Watch')), { ...opts, onNotice: (t) => notices.push(t) }, stop.signal);
  try {
    const replies = async () => (await stepFigures(store)).reduce((sum, g) => sum + g.replies, 0);
    await waitFor('the reply already in the mailbox', async () => (await replies()) === 1);
    await local.server.append(mails.get('outlook-reply-aw.eml')!, 'Watch');
    await waitFor('the reply that arrived while watching', async () => (await replies()) === 2);
  } finally {
    stop.abort();
    await watching;
    await store.close();
  }
  assert.deepEqual(notices, []);
});

test('a refused login is a mailbox error that never shows the password', async () => {
  const { store, opts } = await coldStore();
  try {
    const source = { ...parseImapUrl(local.server.url('INBOX')), password: 'wrong-secret-123' };
    await assert.rejects(readMailboxOnce(source, opts), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'CR_ERR_MAILBOX');
      assert.ok(!err.message.includes('wrong-secret-123'), err.message);
      return true;
    });
    await assert.rejects(watchMailbox(source, opts, new AbortController().signal), { code: 'CR_ERR_MAILBOX' });
  } finally {
    await store.close();
  }
});
