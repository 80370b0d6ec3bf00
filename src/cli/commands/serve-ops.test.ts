// `serve`'s operator options as a real process on loopback: --metrics-allow (and CLICKRATE_METRICS_ALLOW)
// opens /metrics without a key, with the classifier's figures from the store worker; CLICKRATE_LOG_LEVEL
// sets the JSON log's level; a bad value of either stops serve at start with exit 2 and a typed error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parsePromText, sampleValue } from '../../../test/support/prom-text.js';
import { spawnClickrate, startServe, stopServe } from '../../../test/support/serve-child.js';
import { waitFor } from '../../../test/support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-serve-ops-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('serve --metrics-allow opens /metrics to that address, with the store worker’s classifier figures; logs are JSON at the chosen level', async () => {
  const s = await startServe(['--db', join(dir, 'a.duckdb'), '--metrics-allow', '127.0.0.1'], {
    CLICKRATE_API_KEY: 'serve-ops-key',
    CLICKRATE_LOG_LEVEL: 'debug',
  });
  try {
    const samples = await waitFor('a classification pass in the store worker', async () => {
      const r = await fetch(`${s.base}/metrics`);
      assert.equal(r.status, 200);
      const parsed = parsePromText(await r.text());
      return (sampleValue(parsed, 'clickrate_classifier_passes_total') ?? 0) >= 1 ? parsed : null;
    });
    assert.equal(typeof sampleValue(samples, 'clickrate_classifier_last_pass_duration_seconds'), 'number');
    assert.equal((await fetch(`${s.base}/readyz`)).status, 200);
    // At debug, even the probes' successes are logged, as JSON lines naming the route.
    await waitFor('the probe’s log line', () => /"route":"\/readyz"/.test(s.output()));
    const line = s
      .output()
      .split('\n')
      .find((l) => l.includes('"route":"/readyz"'))!;
    assert.equal((JSON.parse(line) as { level: number }).level, 20);
  } finally {
    await stopServe(s);
  }
});

test('CLICKRATE_METRICS_ALLOW does the same; without it /metrics needs the key', async () => {
  const open = await startServe(['--db', join(dir, 'b.duckdb')], {
    CLICKRATE_API_KEY: 'serve-ops-key',
    CLICKRATE_METRICS_ALLOW: '127.0.0.0/8',
    CLICKRATE_LOG_LEVEL: 'error',
  });
  const closed = await startServe(['--db', join(dir, 'c.duckdb')], { CLICKRATE_API_KEY: 'serve-ops-key', CLICKRATE_LOG_LEVEL: 'error' });
  try {
    assert.equal((await fetch(`${open.base}/metrics`)).status, 200);
    assert.equal((await fetch(`${closed.base}/metrics`)).status, 401);
    assert.equal((await fetch(`${closed.base}/metrics`, { headers: { authorization: 'Bearer serve-ops-key' } })).status, 200);
  } finally {
    await stopServe(open);
    await stopServe(closed);
  }
});

const refused: Array<{ name: string; args: string[]; env: Record<string, string>; error: RegExp }> = [
  {
    name: 'an unknown log level',
    args: [],
    env: { CLICKRATE_LOG_LEVEL: 'loud' },
    error: /^clickrate: CR_ERR_CONFIG: CLICKRATE_LOG_LEVEL must be one of .*; got 'loud'$/m,
  },
  {
    name: 'a --metrics-allow that is no address',
    args: ['--metrics-allow', 'prometheus.local'],
    env: {},
    error: /^clickrate: CR_ERR_CONFIG: --metrics-allow entry 'prometheus.local' is not an IP address or CIDR$/m,
  },
];
for (const c of refused)
  test(`serve refuses to start with ${c.name}`, async () => {
    const run = spawnClickrate(['serve', '--port', '0', '--db', join(dir, `${c.name.length}.duckdb`), ...c.args], { CLICKRATE_API_KEY: 'k', ...c.env });
    assert.equal(await run.exited, 2, run.output());
    assert.match(run.output(), c.error);
  });
