// `clickrate backup` while a real `serve` holds the DuckDB file and answers clicks: the copy is made
// through the server, restores into a new path with its keyring, and reports the same as the store it
// copied; `restore` refuses a folder that is not a backup, a store in use, and an existing one.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ClickLoad } from '../../../test/support/click-load.js';
import { spawnClickrate, startServe, stopServe } from '../../../test/support/serve-child.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { runReport } from '../../metrics/run-report.js';
import { openDuckDbStore } from '../../store/duckdb/duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'live.duckdb');
const env = { CLICKRATE_API_KEY: 'backup-test-key', CLICKRATE_LOG_LEVEL: 'error' };

async function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const c = spawnClickrate(args, env);
  return { code: await c.exited, output: c.output() };
}

async function report(path: string): Promise<unknown> {
  const store = await openDuckDbStore(path, { readOnly: true });
  try {
    return [await runReport(store, { campaign: 'bk' }), await runReport(store, { campaign: 'bk', by: 'link' })];
  } finally {
    await store.close();
  }
}

const mode = (p: string) => statSync(p).mode & 0o777;

test('backup while serve takes clicks, restore into a new path: the same reports, the keyring, owner-only files', async () => {
  const serve = await startServe(['--db', db, '--base-url', 'http://t.example.com'], env);
  let load: ClickLoad | null = null;
  try {
    const wrap = await fetch(`${serve.base}/api/v1/wrap`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.CLICKRATE_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        html: '<a href="https://shop.example.com/a">a</a> <a href="https://shop.example.com/b">b</a>',
        campaign: 'bk',
        recipient: 'p@example.com',
      }),
    });
    const { html } = (await wrap.json()) as { html: string };
    const paths = [...html.matchAll(/href="http:\/\/t\.example\.com(\/c\/[^"]+)"/g)].map((m) => m[1]!);
    assert.equal(paths.length, 2);
    load = new ClickLoad({ base: serve.base, paths, clients: 2, ratePerSec: 200 });
    const stored = async () => {
      const r = await fetch(`${serve.base}/api/v1/campaigns/bk/report`, { headers: { authorization: `Bearer ${env.CLICKRATE_API_KEY}` } });
      // Raw: every stored click, whatever the classifier later judges it (the load's clicks look scripted).
      return ((await r.json()) as { totals?: { raw: { total_clicks: number } } }).totals?.raw.total_clicks ?? 0;
    };
    await waitFor('50 clicks stored before the backup', async () => (await stored()) >= 50);

    const during = join(dir, 'during');
    const b1 = await run(['backup', '--to', during, '--db', db, '--server', serve.base]);
    assert.equal(b1.code, 0, b1.output);
    assert.match(b1.output, /through http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(load.stats().answered > 50, 'the server went on answering');
    assert.equal(mode(during), 0o700);
    for (const f of ['clickrate.duckdb', 'keyring.json', 'manifest.json']) assert.equal(mode(join(during, f)), 0o600, f);

    // Restored while serve runs: into a new path it may; over the store it holds it may not.
    const restored = join(dir, 'restored.duckdb');
    const r1 = await run(['restore', '--from', during, '--db', restored]);
    assert.equal(r1.code, 0, r1.output);
    assert.equal(mode(restored), 0o600);
    assert.deepEqual(readFileSync(`${restored}.keyring.json`), readFileSync(`${db}.keyring.json`));
    assert.deepEqual(await report(restored), await report(join(during, 'clickrate.duckdb')));
    // A file held by this process, not by the serve asked: the serve's copy is of another store, refused.
    const other = join(dir, 'other.duckdb');
    const held = await openDuckDbStore(other);
    try {
      const wrong = await run(['backup', '--to', join(dir, 'wrong'), '--db', other, '--server', serve.base]);
      assert.equal(wrong.code, 2);
      assert.match(wrong.output, /^clickrate: CR_ERR_BACKUP: the server at http:\/\/127\.0\.0\.1:\d+ serves .*live\.duckdb, not .*other\.duckdb/m);
    } finally {
      await held.close();
    }
    const inUse = await run(['restore', '--from', during, '--db', db, '--force']);
    assert.equal(inUse.code, 2);
    assert.match(inUse.output, /^clickrate: CR_ERR_BACKUP: .* is in use by another process/m);

    await load.stop();
    load = null;
    // Once the spool is drained, a backup taken through the server holds every click answered.
    const answered = (await report(join(during, 'clickrate.duckdb'))) as Array<{ totals?: { raw?: { total_clicks?: number } } }>;
    assert.ok((answered[0]?.totals?.raw?.total_clicks ?? 0) >= 50, 'the backup holds the clicks stored before it');
  } finally {
    await load?.stop();
    await stopServe(serve);
  }
  // An empty folder made beforehand with a mode others can read is narrowed to the owner (the umask
  // covers only what the command makes itself).
  const after = join(dir, 'after');
  mkdirSync(after, { mode: 0o755 });
  chmodSync(after, 0o755);
  assert.equal((await run(['backup', '--to', after, '--db', db])).code, 0, 'with serve stopped, the file is copied directly');
  assert.equal(mode(after), 0o700, 'a given empty folder is made owner-only');
  for (const f of ['clickrate.duckdb', 'keyring.json', 'manifest.json']) assert.equal(mode(join(after, f)), 0o600, f);
  const again = join(dir, 'again.duckdb');
  assert.equal((await run(['restore', '--from', after, '--db', again])).code, 0);
  assert.deepEqual(await report(again), await report(db));
});

test('restore refuses a folder that is not a backup, a backup whose file does not match, and an existing store', async () => {
  const notBackup = join(dir, 'not-a-backup');
  mkdirSync(notBackup);
  writeFileSync(join(notBackup, 'clickrate.duckdb'), 'not a database');
  const r1 = await run(['restore', '--from', notBackup, '--db', join(dir, 'x.duckdb')]);
  assert.equal(r1.code, 2);
  assert.match(r1.output, /^clickrate: CR_ERR_BACKUP: .*not-a-backup is not a clickrate backup: it has no readable manifest\.json/m);

  writeFileSync(
    join(notBackup, 'manifest.json'),
    JSON.stringify({ format: 'clickrate-backup', version: 1, store: 'duckdb', created_at: 'x', schema_version: 1, events: 0, keyring: false }),
  );
  const r2 = await run(['restore', '--from', notBackup, '--db', join(dir, 'x.duckdb')]);
  assert.equal(r2.code, 2);
  assert.match(r2.output, /^clickrate: CR_ERR_BACKUP: .*clickrate\.duckdb is not a clickrate store/m);

  const existing = join(dir, 'existing.duckdb');
  await (await openDuckDbStore(existing)).close();
  const good = join(dir, 'good');
  assert.equal((await run(['backup', '--to', good, '--db', existing])).code, 0);
  const r3 = await run(['restore', '--from', good, '--db', existing]);
  assert.equal(r3.code, 2);
  assert.match(r3.output, /^clickrate: CR_ERR_BACKUP: .*existing\.duckdb exists; restore into a new path, or add --force/m);
  assert.equal((await run(['restore', '--from', good, '--db', existing, '--force'])).code, 0);
});
