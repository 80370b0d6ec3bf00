// Runs the verdict-pass suite against DuckDB files, and checks how a pass cuts its work into chunks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { sliceRowsFor } from '../store/duckdb/duckdb-verdicts.js';
import { planChunks } from '../store/verdict-chunks.js';
import { reclassifySuite } from '../../test/support/reclassify-suite.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import { explainMessage } from './explain-message.js';
import { reclassify } from './reclassify.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-reclassify-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

reclassifySuite('duckdb', () => openDuckDbStore(join(dir, `r${++n}.duckdb`)));

test('chunks: runs of parts up to the limit (a quarter for the first); a larger part alone; empty parts skipped', () => {
  const counts = [
    { part: 3, n: 40 },
    { part: 0, n: 50 },
    { part: 1, n: 0 },
    { part: 2, n: 60 },
    { part: 5, n: 500 },
    { part: 7, n: 10 },
  ];
  assert.deepEqual(planChunks(counts, 400), [
    { lo: 0, hi: 0, n: 50 },
    { lo: 2, hi: 3, n: 100 },
    { lo: 5, hi: 5, n: 500 },
    { lo: 7, hi: 7, n: 10 },
  ]);
  // The first chunk is a quarter of the others.
  assert.deepEqual(planChunks(counts, 1000), [
    { lo: 0, hi: 3, n: 150 },
    { lo: 5, hi: 7, n: 510 },
  ]);
  assert.deepEqual(planChunks([], 100), []);
});

test('DuckDB write-back slices fit the memory limit as DuckDB prints it', () => {
  assert.equal(sliceRowsFor('244.1 MiB'), 1 << 19);
  assert.equal(sliceRowsFor('953.6 MiB'), 1 << 20);
  assert.equal(sliceRowsFor('18.8 GiB'), 1 << 20);
  assert.equal(sliceRowsFor('97.6 KiB'), 1 << 16);
  assert.equal(sliceRowsFor('64MB'), 1 << 18);
  assert.equal(sliceRowsFor('something else'), 1 << 20);
});

test('a honeypot hit on one message marks its block and agent on another, and explain shows why', async () => {
  const store = await openDuckDbStore(join(dir, `h${++n}.duckdb`));
  try {
    const T = Date.parse('2026-06-01T09:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36';
    const sent = (m: string) => [
      { id: `${m}-s`, type: 'sent', ts: iso(T), message: m, campaign: 'hp', recipient: `${m}@example.com` },
      { id: `${m}-d`, type: 'delivered', ts: iso(T + 1000), message: m },
    ];
    await ingestEvents(store, [
      ...sent('a'),
      { id: 'a-trap', type: 'click', ts: iso(T + 12_000), message: 'a', url: 'https://t.example.com/clickrate-honeypot', ip: '203.0.113.50', user_agent: UA },
      ...sent('b'),
      { id: 'b-click', type: 'click', ts: iso(T + 5 * 3_600_000), message: 'b', url: 'https://shop.example.com/', ip: '203.0.113.9', user_agent: UA },
      { id: 'b-person', type: 'click', ts: iso(T + 6 * 3_600_000), message: 'b', url: 'https://shop.example.com/', ip: '73.12.44.9', user_agent: UA },
    ]);
    await reclassify(store, { all: true });
    const b = await explainMessage(store, 'b');
    const why = (id: string) => b.events.find((e) => e.id === id);
    assert.equal(why('b-click')?.verdict, 'machine');
    assert.deepEqual(
      why('b-click')?.reasons.find((r) => r.code.startsWith('honeypot-learned')),
      { code: 'honeypot-learned:203.0.113.0/24', text: 'same address block (203.0.113.0/24) and agent as a request to a honeypot link' },
    );
    assert.equal(why('b-person')?.verdict, 'human');
    assert.equal((await explainMessage(store, 'a')).events.find((e) => e.id === 'a-trap')?.reasons[0]?.code, 'honeypot');
  } finally {
    await store.close();
  }
});

test("one client clicking three recipients' messages soon after delivery is a shared client on each; explain shows why", async () => {
  const store = await openDuckDbStore(join(dir, `s${++n}.duckdb`));
  try {
    const T = Date.parse('2026-06-01T09:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    // Chrome 109: years old at T (old-browser 0.6); with the shared client, machine.
    const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36';
    const message = (m: string, at: number, clickAfter: number, ip: string) => [
      { id: `${m}-s`, type: 'sent', ts: iso(at), message: m, campaign: 'sc', recipient: `${m}@acme.example` },
      { id: `${m}-d`, type: 'delivered', ts: iso(at + 1000), message: m },
      { id: `${m}-c`, type: 'click', ts: iso(at + 1000 + clickAfter), message: m, url: 'https://shop.example.com/', ip, user_agent: UA },
    ];
    await ingestEvents(store, [
      ...message('a', T, 90_000, '198.51.100.7'),
      ...message('b', T + 600_000, 100_000, '198.51.100.8'),
      ...message('c', T + 3_600_000, 80_000, '198.51.100.7'),
      // The same client hours after its own delivery: a person's pace, not counted.
      ...message('d', T, 3 * 3_600_000, '198.51.100.7'),
    ]);
    await reclassify(store, { all: true });
    const why = async (m: string) => (await explainMessage(store, m)).events.find((e) => e.id === `${m}-c`);
    for (const m of ['a', 'b', 'c']) {
      const e = await why(m);
      assert.equal(e?.verdict, 'machine', m);
      assert.deepEqual(
        e?.reasons.find((r) => r.code.startsWith('shared-client')),
        {
          code: 'shared-client:3-recipients',
          text: "the same address block and agent clicked 3 recipients' messages, each soon after its delivery, as a gateway scanning an organisation's mail does",
        },
        m,
      );
    }
    const d = await why('d');
    assert.equal(d?.verdict, 'human');
    assert.ok(!d?.reasons.some((r) => r.code.startsWith('shared-client')));

    // The server's loop reads only clicks since a time: a pool older than that is not seen by a pass over
    // what is stale, and a full pass reads every click whatever it is told.
    const again = async (opts: Parameters<typeof reclassify>[1]) => {
      await store.query({ sql: "UPDATE events SET classifier_version = NULL WHERE id IN ('a-c', 'b-c', 'c-c')", params: {} });
      await reclassify(store, opts);
      return (await why('a'))?.reasons.some((r) => r.code.startsWith('shared-client'));
    };
    assert.equal(await again({ sharedClientsSince: T + 86_400_000 }), false, 'clicks before `since` are not read');
    assert.equal(await again({ sharedClientsSince: T - 60_000 }), true, 'clicks after `since` are');
    assert.equal(await again({ all: true, sharedClientsSince: T + 86_400_000 }), true, 'a full pass reads every click');
  } finally {
    await store.close();
  }
});
