// Issue #3 "Done when: clicks survive kill -9": a real `clickrate serve` process answers clicks, is
// killed with SIGKILL, and on restart every click it answered is in the report, exactly once.
import { waitFor } from '../../test/support/wait-for.js';
import { BIN } from '../../test/support/paths.js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'crash.duckdb');

function serve(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--base-url', 'http://t.example.com'], {
    env: { ...process.env, CLICKRATE_API_KEY: 'test-key-for-crash', CLICKRATE_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolvePromise, reject) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = /Dashboard: http:\/\/localhost:(\d+)\//.exec(text);
      if (m) resolvePromise({ child, base: `http://127.0.0.1:${m[1]}`, output: () => text });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${text}`)));
  });
}

const auth = { authorization: 'Bearer test-key-for-crash', 'content-type': 'application/json' };

test('every click answered before kill -9 is counted after restart, once', async () => {
  const first = await serve();
  const wrap = await fetch(`${first.base}/api/v1/wrap`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      html: '<a href="https://shop.example.com/a">a</a><a href="https://shop.example.com/b">b</a>',
      campaign: 'crash',
      recipient: 'p@example.com',
    }),
  });
  const { html } = (await wrap.json()) as { html: string };
  const links = [...html.matchAll(/href="http:\/\/t\.example\.com(\/c\/[^"]+)"/g)].map((m) => `${first.base}${m[1]}`);
  assert.equal(links.length, 2);
  let answered = 0;
  for (let i = 0; i < 300; i++) {
    const r = await fetch(links[i % 2]!, { redirect: 'manual' });
    if (r.status === 302) answered++;
  }
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  assert.equal(first.child.signalCode, 'SIGKILL');

  const second = await serve();
  try {
    // Raw counts: durability is about recording every click. These scripted clicks (one agent, both links
    // within seconds) are rightly classified machine once a classification pass has run.
    type Totals = { totals?: { raw: { total_clicks: number; unique_clicks: number } } };
    let report: Totals = {};
    await waitFor(
      'the replay of every answered click',
      async () => {
        const res = await fetch(`${second.base}/api/v1/campaigns/crash/report`, { headers: auth });
        if (res.status === 200) report = (await res.json()) as Totals;
        return report.totals?.raw.total_clicks === answered;
      },
      { everyMs: 100 },
    );
    assert.equal(answered, 300);
    assert.equal(report.totals?.raw.total_clicks, answered, 'every answered click was recorded, none twice');
    assert.equal(report.totals?.raw.unique_clicks, 1);
  } finally {
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }
});
