// verdict_check aggregated by the store gives what reading every row into JavaScript gave (the oracle,
// test/support/verdict-check-oracle.ts), on the demo's simulated campaigns in a real DuckDB file and on
// ClickHouse: provider classes from stored reason codes equal those from the range table, honeypot hits
// and converting clicks agree, and opens not yet classified are classed by their address as before.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { verdictCheckByRows } from '../../test/support/verdict-check-oracle.js';
import { demoEvents } from '../demo/demo-dataset.js';
import type { SimEvent } from '../demo/sim-types.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import { openClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { reclassify } from './reclassify.js';
import { verdictCheck, type VerdictCheck } from './verdict-check.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-vcheck-eq-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local = useLocalClickHouse();

const demo = demoEvents();
const campaigns = demo.campaigns.filter((c) => c.kind !== 'ads').map((c) => c.id);
const clicks = demo.events.filter((e) => e.type === 'click');

const done = demo.events.filter((e) => e.message && (e.type === 'conversion' || e.type === 'reply'));
const SCRIPT = 'python-requests/2.31.0';

/** A click on `message` `dt` ms from `at` by a script (judged machine), to `url`. */
const scriptClick = (id: string, at: SimEvent, dt: number, url: string): SimEvent => ({
  id,
  type: 'click',
  ts: new Date(Date.parse(at.ts) + dt).toISOString(),
  message: at.message,
  url,
  ip: '73.1.2.3',
  user_agent: SCRIPT,
});
const APPLE_MAIL = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const opens = demo.events.filter((e) => e.type === 'open' && e.user_agent !== 'Mozilla/5.0');

/**
 * The demo has no honeypot link: some clicks gain a request to it from the same client a second later,
 * and some clicks go to a page whose path merely ends like it (an ordinary click). Nor do its people
 * read through Exchange Online or from Apple's addresses with their own agent: some opens are copied so.
 */
const extra: SimEvent[] = [
  ...opens.filter((_, i) => i % 20 === 2).map((e) => ({ ...e, id: `${e.id}-exo`, ip: '40.97.10.20' })),
  ...opens.filter((_, i) => i % 20 === 3).map((e) => ({ ...e, id: `${e.id}-icloud`, ip: '17.58.1.1' })),
  // Apple Mail's own agent from Apple's addresses: the privacy proxy by its own reason (apple-mail-proxy).
  ...opens.filter((_, i) => i % 20 === 4).map((e) => ({ ...e, id: `${e.id}-applemail`, ip: '17.58.1.2', user_agent: APPLE_MAIL })),
  ...clicks
    .filter((_, i) => i % 40 === 0)
    .map((e) => ({ ...e, id: `${e.id}-hp`, ts: new Date(Date.parse(e.ts) + 1000).toISOString(), url: 'https://t.example.com/clickrate-honeypot' })),
  ...clicks.filter((_, i) => i % 97 === 1).map((e) => ({ ...e, id: `${e.id}-lookalike`, url: 'https://shop.example.com/a/clickrate-honeypot' })),
  // Just before some conversions or replies, a click to such a page (it is the converting click) or to
  // the honeypot (it is not); just after others, an ordinary click (too late to count).
  ...done.filter((_, i) => i % 4 === 0).map((e) => scriptClick(`${e.id}-before-lookalike`, e, -1000, 'https://shop.example.com/a/clickrate-honeypot')),
  ...done.filter((_, i) => i % 4 === 1).map((e) => scriptClick(`${e.id}-before-honeypot`, e, -1000, 'https://t.example.com/clickrate-honeypot')),
  ...done.filter((_, i) => i % 4 === 2).map((e) => scriptClick(`${e.id}-after`, e, 60_000, 'https://shop.example.com/a')),
];

/** Opens and clicks stored after the last classification pass: no verdict yet. */
const unclassified = demo.events
  .filter((e, i) => (e.type === 'open' && i % 17 === 0) || (e.type === 'click' && i % 23 === 0))
  .map((e) => ({ ...e, id: `${e.id}-late`, ts: new Date(Date.parse(e.ts) + 61_000).toISOString() }));

async function check(open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    await ingestEvents(store, [...demo.events, ...extra]);
    await reclassify(store);
    await ingestEvents(store, unclassified);
    for (const campaign of campaigns) {
      const want = await verdictCheckByRows(store, campaign);
      assert.deepEqual(await verdictCheck(store, campaign), want, campaign);
    }
    // The comparison means something only if every branch was taken somewhere.
    const all = await Promise.all(campaigns.map((c) => verdictCheckByRows(store, c)));
    assert.ok(all.some((v) => v.honeypot.n > 0 && v.honeypot.by_other_signals.k > 0 && v.honeypot.by_other_signals.k < v.honeypot.n));
    assert.ok(all.some((v) => v.converting_clicks_human.n > 0));
    for (const cls of Object.keys(all[0]!.opens_machine_by_provider) as Array<keyof VerdictCheck['opens_machine_by_provider']>) {
      assert.ok(
        all.some((v) => v.opens_machine_by_provider[cls].n > 0),
        `some opens are of class ${cls}`,
      );
    }
  } finally {
    await store.close();
  }
}

test('[duckdb] verdict_check equals the row-by-row computation on the demo campaigns', () => check(() => openDuckDbStore(join(dir, 'eq.duckdb'))));

test('[clickhouse] verdict_check equals the row-by-row computation on the demo campaigns', () =>
  check(() => openClickHouseStore(local.server.url('vcheck_eq'))));
