// The README's Nodemailer example, run as written: its code block is taken from README.md and run as an
// ES module by Node, with only the addresses changed (the SMTP host and port, the tracking server's
// origin) and the environment the README names (the server's keyring file, an API key, SMTP login).
// A real `clickrate serve`, a real SMTP conversation, the mail's link clicked on the server.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, ROOT } from '../../test/support/paths.js';
import { startServe, stopServe, type ServeChild } from '../../test/support/serve-child.js';
import { startSmtpSink } from '../../test/support/smtp-sink.js';
import { waitFor } from '../../test/support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-readme-'));
const db = join(dir, 'clickrate.duckdb');
// Inside the package, so `clickrate/nodemailer` resolves as it does for an app that installed it.
const script = join(ROOT, 'dist', `readme-nodemailer-${process.pid}.mjs`);
let serve: ServeChild | null = null;
after(async () => {
  if (serve) await stopServe(serve);
  rmSync(script, { force: true });
  rmSync(dir, { recursive: true, force: true });
});

function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Node senders: the Nodemailer plugin'));
  const block = /```js\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has a js block in its Nodemailer section');
  return block[1]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

const COLD_WARNING = /Step 1 of a sequence has 1 tracked link/;

test("the README's Nodemailer example sends tracked mail whose link redirects on the server and counts", async () => {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  serve = await startServe(['--db', db, '--port', String(port), '--base-url', origin]);
  const key = /made one \(shown only now, stored hashed\): (cr_\S+)/.exec(serve.output())?.[1];
  assert.ok(key, serve.output());
  // Where serve says its signing keys are: what the README tells the app to name.
  const keyring = /signing keys: (\S+)/.exec(serve.output())![1]!;
  const smtp = await startSmtpSink();
  try {
    const code = readmeExample();
    const env = { ...process.env, CLICKRATE_KEYRING: '', CLICKRATE_KEYRING_FILE: keyring, CLICKRATE_API_KEY: key, SMTP_USER: 'app', SMTP_PASS: 'secret' };
    const runExample = (source: string) => {
      writeFileSync(
        script,
        source.replaceAll('smtp.example.com', '127.0.0.1').replace('port: 587', `port: ${smtp.port}`).replaceAll('https://t.example.com', origin),
      );
      // Not spawnSync: the SMTP server answering it runs in this process.
      return new Promise<{ status: number; stderr: string }>((resolve) => {
        execFile(process.execPath, [script], { encoding: 'utf8', env, cwd: dir }, (err, _stdout, stderr) => resolve({ status: err ? 1 : 0, stderr }));
      });
    };
    const ran = await runExample(code);
    assert.equal(ran.status, 0, ran.stderr);
    assert.doesNotMatch(ran.stderr, COLD_WARNING, 'lint: { coldSteps: 0 } leaves out the cold-outreach warning');
    // The lint line is what keeps it out: without it, the same send warns.
    const withoutLint = await runExample(code.replace(/^.*lint: \{ coldSteps: 0 \}.*\n/m, ''));
    assert.match(withoutLint.stderr, COLD_WARNING);

    assert.equal(smtp.messages.length, 2, 'both sends reached the SMTP server');
    const mail = smtp.messages[0]!.replace(/=\r\n/g, '').replace(/=3D/g, '=');
    assert.match(mail, /^X-Clickrate-Message: \S+/m);
    const href = new RegExp(`href="(${origin}/c/[^"]+)"`).exec(mail)?.[1];
    assert.ok(href, mail);
    const click = await fetch(href.replace(/&amp;/g, '&'), { redirect: 'manual' });
    assert.equal(click.status, 302);
    assert.equal(click.headers.get('location'), 'https://shop.example.com/sale');
    const report = await waitFor(
      'the sent events and the click in the report',
      () => {
        const r = spawnSync(process.execPath, [BIN, 'report', '--campaign', 'spring-sale', '--db', db, '--json'], { encoding: 'utf8' });
        const json = r.status === 0 ? (JSON.parse(r.stdout) as { totals: { sent: number; raw: { unique_clicks: number } } }) : null;
        return json && json.totals.sent === 2 && json.totals.raw.unique_clicks === 1 ? json : null;
      },
      { tries: 120, everyMs: 250 },
    );
    assert.equal(report.totals.sent, 2);
  } finally {
    await smtp.close();
  }
});
