// `clickrate replies import` and `clickrate replies watch --once` as a user runs them: the sequence's
// sends imported, its answers read from files and from a real IMAP server (Dovecot on loopback).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { useLocalDovecot } from '../../../test/support/dovecot.js';
import { BIN } from '../../../test/support/paths.js';
import { startServe, stopServe } from '../../../test/support/serve-child.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { coldSends, fixtureMails, REPLY_FIXTURES, STEP_FIGURES } from '../../../test/support/reply-campaign.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-replies-cli-'));
const local = useLocalDovecot();
after(() => rmSync(dir, { recursive: true, force: true }));

const keyring = readFileSync(join(REPLY_FIXTURES, 'keyring.json'), 'utf8');

function run(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CLICKRATE_DB: '', CLICKRATE_KEYRING: keyring, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function coldDb(name: string): string {
  const db = join(dir, `${name}.duckdb`);
  const sends = join(dir, `${name}-sends.jsonl`);
  writeFileSync(
    sends,
    coldSends()
      .map((e) => JSON.stringify(e))
      .join('\n'),
  );
  const imp = run({}, 'import', sends, '--db', db);
  assert.equal(imp.code, 0, imp.stderr);
  return db;
}

function stepFigures(db: string): unknown[] {
  const rep = run({}, 'report', '--campaign', 'cold', '--by', 'step', '--db', db, '--json');
  assert.equal(rep.code, 0, rep.stderr);
  const groups = JSON.parse(rep.stdout).groups as Array<Record<string, unknown>>;
  return groups.map((g) => Object.fromEntries(Object.keys(STEP_FIGURES[0]!).map((k) => [k, g[k]])));
}

test('replies import: each mail with its verdict, the totals, and the per-step reply rates; explain shows the reasons', () => {
  const db = coldDb('files');
  const files = fixtureMails().map((m) => join(REPLY_FIXTURES, m.name));
  const r = run({}, 'replies', 'import', ...files, '--db', db);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /exchange-out-of-office\.eml: auto message s1-cat \[auto-submitted:auto-generated, ooo-subject:en, match:in-reply-to\]/);
  assert.match(r.stdout, /human 4, auto 2, opt_out 1, bounce 3, delay 1, unmatched 1, unreadable 0, already_stored 0/);
  assert.deepEqual(stepFigures(db), STEP_FIGURES);
  const explain = run({}, 'explain', '--message', 's1-fay', '--db', db);
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /reply .* OPT_OUT/);
  assert.match(explain.stdout, /the person asked not to be written to again \(en\) \[opt-out:en\]/);
  const again = run({}, 'replies', 'import', ...files, '--db', db, '--json');
  assert.equal(JSON.parse(again.stdout).totals.already_stored, 10);
  const none = run({}, 'replies', 'import', join(dir, 'nothing-here'), '--db', db);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^clickrate: CR_ERR_BAD_INPUT: .*nothing-here: cannot read it/m);
});

test('replies watch --once: the mailbox read over IMAP with the password from the environment, never shown', async () => {
  for (const m of fixtureMails()) await local.server.append(m.raw, 'Cli');
  const db = coldDb('imap');
  const url = local.server.url('Cli', false);
  const r = run({ CLICKRATE_IMAP_PASSWORD: local.server.password }, 'replies', 'watch', '--once', '--imap', url, '--db', db);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /12 new mail\(s\) read/);
  assert.deepEqual(stepFigures(db), STEP_FIGURES);
  assert.ok(!`${r.stdout}${r.stderr}`.includes(local.server.password));
  const again = run({ CLICKRATE_IMAP_PASSWORD: local.server.password }, 'replies', 'watch', '--once', '--imap', url, '--db', db);
  assert.match(again.stdout, /0 new mail\(s\) read/);
  const refused = run({ CLICKRATE_IMAP_PASSWORD: 'not-the-password' }, 'replies', 'watch', '--once', '--imap', url, '--db', db);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^clickrate: CR_ERR_MAILBOX: imap:\/\/sam@127\.0\.0\.1:\d+\/Cli: cannot connect: the server refused the user or password/m);
  assert.ok(!refused.stderr.includes('not-the-password'));
});

test('serve --imap: a reply that arrives while the server runs shows in its report within seconds', async () => {
  const db = coldDb('serve');
  const mails = new Map(fixtureMails().map((m) => [m.name, m.raw]));
  const apiKey = 'cr_test_replies_serve_key_0123456789';
  const env = { CLICKRATE_DB: '', CLICKRATE_KEYRING: keyring, CLICKRATE_API_KEY: apiKey, CLICKRATE_IMAP_PASSWORD: local.server.password };
  const serve = await startServe(['--db', db, '--spool', join(dir, 'serve.spool'), '--imap', local.server.url('Live', false)], env);
  try {
    const report = async () => {
      const res = await fetch(`${serve.base}/api/v1/campaigns/cold/report?by=step`, { headers: { authorization: `Bearer ${apiKey}` } });
      return (await res.json()) as { groups: Array<{ key: number; replies: number; auto_replies: number }> };
    };
    assert.equal((await report()).groups[0]?.replies, 0);
    await local.server.append(mails.get('gmail-reply.eml')!, 'Live');
    await local.server.append(mails.get('exchange-out-of-office.eml')!, 'Live');
    await waitFor("the reply and the auto-reply in the running server's report", async () => {
      const g = (await report()).groups[0];
      return g?.replies === 1 && g.auto_replies === 1;
    });
    assert.ok(!serve.output().includes(local.server.password), 'the password is never logged');
  } finally {
    await stopServe(serve);
  }
});
