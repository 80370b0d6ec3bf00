// `serve` fails visibly: a second server that cannot start (its spool in use, its port taken, its store
// locked) exits 2 with a `clickrate: CR_ERR_…` line at once, releasing what it opened, while the first
// one goes on serving. Real processes on loopback.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { spawnClickrate, startServe, stopServe, type ServeChild } from '../../../test/support/serve-child.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-serve-start-'));
const env = { CLICKRATE_API_KEY: 'serve-start-key', CLICKRATE_LOG_LEVEL: 'error' };
let first: ServeChild;

before(async () => {
  first = await startServe(['--db', join(dir, 'first.duckdb'), '--spool', join(dir, 'spool')], env);
});
after(async () => {
  await stopServe(first);
  rmSync(dir, { recursive: true, force: true });
});

const cases: Array<{ name: string; args: () => string[]; error: () => RegExp; env?: Record<string, string> }> = [
  {
    name: 'the spool is in use by another server',
    args: () => ['--db', join(dir, 'second.duckdb'), '--spool', join(dir, 'spool'), '--port', '0'],
    error: () => new RegExp(`^clickrate: CR_ERR_SPOOL: the spool in \\S+ is in use by process ${first.child.pid}$`, 'm'),
  },
  {
    name: 'the port is taken',
    args: () => ['--db', join(dir, 'third.duckdb'), '--port', String(first.port)],
    error: () => new RegExp(`^clickrate: CR_ERR_CONFIG: port ${first.port} on 127.0.0.1 is in use by another process$`, 'm'),
  },
  {
    name: 'the store is locked by another server',
    args: () => ['--db', join(dir, 'first.duckdb'), '--spool', join(dir, 'other-spool'), '--port', '0'],
    error: () => /^clickrate: CR_ERR_STORE: cannot open DuckDB file .*Could not set lock/m,
  },
  {
    name: 'the SendGrid inbound credential is not user:password',
    args: () => ['--db', join(dir, 'fourth.duckdb'), '--spool', join(dir, 'fourth-spool'), '--port', '0'],
    env: { CLICKRATE_SENDGRID_INBOUND_AUTH: 'only-a-password' },
    error: () => /^clickrate: CR_ERR_CONFIG: CLICKRATE_SENDGRID_INBOUND_AUTH must be user:password/m,
  },
];

for (const c of cases) {
  test(`serve exits 2 with a CR_ERR line when ${c.name}; the first server goes on`, async () => {
    const second = spawnClickrate(['serve', ...c.args()], { ...env, ...c.env });
    // Bounded: a second server that keeps running (the fault fixed here) fails the test instead of hanging it.
    const timer = setTimeout(() => second.child.kill('SIGKILL'), 30_000);
    const code = await second.exited;
    clearTimeout(timer);
    assert.equal(code, 2, `exit code; output: ${second.output()}`);
    assert.match(second.output(), c.error());
    const status = await fetch(`${first.base}/api/v1/status`, { headers: { authorization: `Bearer ${env.CLICKRATE_API_KEY}` } });
    assert.equal(status.status, 200, 'the first server still answers');
  });
}
