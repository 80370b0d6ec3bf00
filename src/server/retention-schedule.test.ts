// Address retention inside serve: the ages it accepts, a run that cuts a real DuckDB store's old
// addresses (and only those), a failing store that is logged and tried again, and a bad age that stops
// `serve` from starting at all.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { ingest } from '../../test/support/ingest-raw.js';
import { spawnClickrate, startServe, stopServe } from '../../test/support/serve-child.js';
import { waitFor } from '../../test/support/wait-for.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { parseRetention, RetentionSchedule } from './retention-schedule.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-retention-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;

const AGES: Array<[string, number | null]> = [
  ['30d', 30 * DAY],
  ['12w', 84 * DAY],
  ['48h', 2 * DAY],
  [' 7D ', 7 * DAY],
  ['1h', DAY / 24],
  ['0d', null],
  ['30m', null],
  ['1.5d', null],
  ['-3d', null],
  ['30', null],
  ['3651d', null],
  ['', null],
];

for (const [text, ms] of AGES) {
  test(`parseRetention(${JSON.stringify(text)}) → ${ms ?? 'CR_ERR_CONFIG'}`, () => {
    if (ms === null) assert.throws(() => parseRetention(text), { code: 'CR_ERR_CONFIG' });
    else assert.equal(parseRetention(text), ms);
  });
}

test('a run cuts the addresses of old opens and clicks and leaves recent ones whole', async () => {
  const store = await openDuckDbStore(join(dir, 'r.duckdb'));
  try {
    const old = new Date(Date.now() - 40 * DAY).toISOString();
    const recent = new Date(Date.now() - DAY).toISOString();
    await ingest(store, [
      { type: 'sent', ts: old, message: 'a', campaign: 'c', recipient: 'a@example.com' },
      { type: 'click', ts: old, message: 'a', url: 'https://x.example.com/', ip: '192.0.2.55', user_agent: 'curl/8.5.0' },
      { type: 'click', ts: recent, message: 'a', url: 'https://x.example.com/', ip: '192.0.2.56', user_agent: 'curl/8.5.0' },
    ]);
    const schedule = new RetentionSchedule(store, 30 * DAY, pino({ level: 'silent' }));
    await schedule.runNow();
    await schedule.stop();
    const rows = await store.query({ sql: "SELECT ip, user_agent FROM events WHERE type = 'click' ORDER BY ts", params: {} });
    assert.deepEqual(rows, [
      { ip: '192.0.2.0', user_agent: 'curl/8' },
      { ip: '192.0.2.56', user_agent: 'curl/8.5.0' },
    ]);
  } finally {
    await store.close();
  }
});

test('a run on a store that fails is logged, not thrown, and the schedule goes on', async () => {
  const store = await openDuckDbStore(join(dir, 'closed.duckdb'));
  await store.close();
  const logged: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
  const schedule = new RetentionSchedule(store, DAY, log);
  await schedule.runNow();
  await schedule.stop();
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /address retention failed/);
});

test('serve with a bad --ip-retention exits 2 before it opens anything', async () => {
  const run = spawnClickrate(['serve', '--port', '0', '--db', join(dir, 's.duckdb'), '--ip-retention', '30 days'], { CLICKRATE_API_KEY: 'k-retention' });
  assert.equal(await run.exited, 2);
  assert.match(run.output(), /^clickrate: CR_ERR_CONFIG: --ip-retention must be a whole number of hours, days or weeks/m);
});

test('serve --ip-retention cuts old addresses on its own, and the export shows the cut', async () => {
  const db = join(dir, 'served.duckdb');
  const store = await openDuckDbStore(db);
  const old = new Date(Date.now() - 40 * DAY).toISOString();
  await ingest(store, [
    { type: 'sent', ts: old, message: 's', campaign: 'c', recipient: 'srv@example.com' },
    { type: 'click', ts: old, message: 's', url: 'https://x.example.com/', ip: '192.0.2.77', user_agent: 'curl/8.5.0' },
  ]);
  await store.close();
  const env = { CLICKRATE_API_KEY: 'k-retention-serve', CLICKRATE_LOG_LEVEL: 'error' };
  const serve = await startServe(['--db', db, '--ip-retention', '30d'], env);
  try {
    assert.match(serve.output(), /older than 30d are cut every hour/);
    const click = await waitFor('the scheduled run to cut the old click', async () => {
      const res = await fetch(`${serve.base}/api/v1/recipients/srv%40example.com/events.jsonl`, {
        headers: { authorization: `Bearer ${env.CLICKRATE_API_KEY}` },
      });
      const events = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; ip: string; user_agent: string });
      const c = events.find((e) => e.type === 'click');
      return c?.ip === '192.0.2.0' ? c : null;
    });
    assert.equal(click.user_agent, 'curl/8');
  } finally {
    await stopServe(serve);
  }
});
