// No answered click is lost, none doubled, through a store that refuses writes for a while, a kill -9
// mid-burst and a restart on the same spool: real `clickrate serve` processes on loopback, a real
// clickhouse-server whose events table is detached (every insert refused) and attached again, a click
// load of keep-alive clients. And a spool holding records the store refuses does not stall behind them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeEvent } from '../events/make-event.js';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { ClickLoad } from '../../test/support/click-load.js';
import { startServe, stopServe, type ServeChild } from '../../test/support/serve-child.js';
import { waitFor } from '../../test/support/wait-for.js';

const local = useLocalClickHouse();
const dir = mkdtempSync(join(tmpdir(), 'clickrate-fault-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'fault-test-key';
// A fixed keyring: a restarted server must verify the links the first one signed.
const env = { CLICKRATE_API_KEY: KEY, CLICKRATE_LOG_LEVEL: 'warn', CLICKRATE_KEYRING: JSON.stringify({ current: 'k1', keys: { k1: 'a'.repeat(43) } }) };
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
/** A minute for each wait: the writer's backoff and a restart on a loaded machine. */
const LONG = { tries: 1200 };

interface Status {
  spool: { bytesPending: number; deadLettered: number; lastDeadLetterReason: string | null };
  writer: { failures: number; isolations: number; consecutiveFailures: number };
}
const status = async (s: ServeChild) => (await (await fetch(`${s.base}/api/v1/status`, { headers: auth })).json()) as Status;

/** The click paths of one wrapped message with `links` links (its `sent` is spooled by the wrap). */
async function wrap(s: ServeChild, campaign: string, links: number): Promise<string[]> {
  const html = Array.from({ length: links }, (_, i) => `<a href="https://shop.example.com/p${i}">p${i}</a>`).join('');
  const res = await fetch(`${s.base}/api/v1/wrap`, { method: 'POST', headers: auth, body: JSON.stringify({ html, campaign, recipient: 'ann@example.com' }) });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { html: string };
  return [...body.html.matchAll(/href="http:\/\/t\.example\.com(\/c\/[^"]+)"/g)].map((m) => m[1]!);
}

/** Runs a load of `total` clicks (or until stopped), adding the number of each 302 to `answered`. */
const load = (s: ServeChild, paths: string[], answered: Set<number>, from: number, total?: number) =>
  new ClickLoad({ base: s.base, paths, clients: 6, total, agentOf: (seq) => `fault-${from + seq}`, onAnswer: (seq) => answered.add(from + seq) });

test('through a store refusing writes, a kill -9 mid-burst and a restart, every click that got its 302 is stored once', async () => {
  const db = 'faultdb';
  const ch = async (sql: string) => {
    const r = await fetch(`http://127.0.0.1:${local.server.httpPort}/?database=${db}`, { method: 'POST', body: sql });
    const text = await r.text();
    assert.ok(r.ok, `${sql}: ${text}`);
    return text;
  };
  const args = ['--store', local.server.url(db), '--spool', join(dir, 'ch-spool'), '--base-url', 'http://t.example.com'];
  const answered = new Set<number>();
  let first: ServeChild | null = await startServe(args, env);
  let second: ServeChild | null = null;
  try {
    const paths = await wrap(first, 'fault', 4);
    await load(first, paths, answered, 0, 1000).done;
    const s0 = first;
    await waitFor('the first clicks to be stored (a checkpoint mid-segment)', async () => (await status(s0)).spool.bytesPending === 0, LONG);

    // The store refuses every insert: the spool grows, the writer retries and searches, and sets nothing aside.
    await ch('DETACH TABLE events');
    const during = load(first, paths, answered, 1000, 1500);
    const s1 = first;
    await waitFor(
      'the writer to fail, search the batch, and fail again',
      async () => {
        const w = (await status(s1)).writer;
        return w.isolations >= 1 && w.consecutiveFailures >= 4;
      },
      LONG,
    );
    await during.done;
    const refusing = await status(first);
    assert.ok(refusing.spool.bytesPending > 0, 'the clicks wait in the spool');
    assert.equal(refusing.spool.deadLettered, 0, 'a store that refuses everything has nothing set aside');
    await ch('ATTACH TABLE events');

    // kill -9 while clients are clicking, then a restart on the same spool and store.
    const burst = load(first, paths, answered, 2500, 3000);
    await waitFor('part of the burst to be answered', () => answered.size >= 2500 + 500, LONG);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal(first.child.signalCode, 'SIGKILL');
    first = null;
    await burst.stop();

    second = await startServe(args, env);
    await load(second, paths, answered, 6000, 500).done;
    const s2 = second;
    await waitFor('the restarted writer to catch up', async () => (await status(s2)).spool.bytesPending === 0, LONG);

    const rows = (await ch(`SELECT user_agent, count() FROM events WHERE type = 'click' GROUP BY user_agent FORMAT TSV`)).trim().split('\n');
    const stored = new Map(rows.map((r) => r.split('\t') as [string, string]).map(([ua, n]) => [ua, Number(n)]));
    const missing = [...answered].filter((seq) => stored.get(`fault-${seq}`) !== 1);
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${answered.size} answered clicks not stored exactly once`);
    assert.deepEqual(
      [...stored].filter(([, n]) => n !== 1),
      [],
      'no click stored twice, answered or not',
    );
    assert.ok(answered.size >= 2500 + 500 + 500 && stored.size >= answered.size);
    assert.equal((await status(second)).spool.deadLettered, 0);
  } finally {
    if (first) await stopServe(first);
    if (second) await stopServe(second);
  }
});

test('records the store refuses in the spool are set aside, and the clicks after them stored', async () => {
  const spool = join(dir, 'poison-spool');
  const click = (id: string) => makeEvent({ id, type: 'click', ts: 1_772_000_000_000, message: 'm-old', url: 'https://shop.example.com/', method: 'GET' });
  const lines = [
    ...Array.from({ length: 50 }, (_, i) => click(`old-${i}`)),
    { ...click('lone'), user_agent: 'x\ud800' }, // the reader sets this aside: no store holds a lone surrogate
    { ...click('far'), ts: 1e20 }, // DuckDB refuses this at commit: found by storing the batch in pieces
    ...Array.from({ length: 50 }, (_, i) => click(`old-${50 + i}`)),
  ];
  // A segment a crashed server left, in the spool's own file name (spool-files.ts).
  mkdirSync(spool);
  writeFileSync(join(spool, 'seg-000000000001.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  const db = join(dir, 'poison.duckdb');
  const s = await startServe(['--db', db, '--spool', spool, '--base-url', 'http://t.example.com'], env);
  const answered = new Set<number>();
  try {
    await load(s, await wrap(s, 'after', 2), answered, 0, 200).done;
    await waitFor(
      'the spool to drain past both records',
      async () => {
        const st = await status(s);
        return st.spool.bytesPending === 0 && st.spool.deadLettered === 2;
      },
      LONG,
    );
    assert.match((await status(s)).spool.lastDeadLetterReason ?? '', /Conversion Error/);
  } finally {
    await stopServe(s);
  }
  assert.match(s.output(), /records the store refused were set aside in the dead letters/, 'a warning in the log');
  const store = await openDuckDbStore(db);
  try {
    const [row] = await store.query({
      sql: `SELECT count(*) FILTER (WHERE id LIKE 'old-%') AS old, count(*) FILTER (WHERE user_agent LIKE 'fault-%') AS new, count(*) FILTER (WHERE id IN ('lone', 'far')) AS poison FROM events`,
      params: {},
    });
    assert.deepEqual(row, { old: 100, new: answered.size, poison: 0 });
    assert.equal(answered.size, 200);
  } finally {
    await store.close();
  }
  const reasons = readFileSync(join(spool, 'dead-letter.reasons.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { id: string }).id);
  assert.deepEqual(reasons.sort(), ['far', 'lone']);
});
