// The dashboard's own reads of a store, on every engine: a campaign's last event of any kind, the link
// shares of one template (its step and variant only, within a window), and the campaign settings that
// decide its kind. A real DuckDB file (directly and behind the store worker, as under `serve`) and a real
// clickhouse-server on loopback.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { ingest } from '../../test/support/ingest-raw.js';
import { StoreWorker } from '../server/worker/store-client.js';
import { openClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { lastEventTs, templateLinkShares } from './campaign-facts.js';
import { campaignKind } from './campaign-kind.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-facts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local = useLocalClickHouse();

const T0 = Date.parse('2026-03-02T10:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString();
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36';
/** m1, m2 as variant A step 1; m3 as variant B step 1; m4 as step 2 without a variant. */
const sends: Array<[string, number, string | undefined]> = [
  ['m1', 1, 'A'],
  ['m2', 1, 'A'],
  ['m3', 1, 'B'],
  ['m4', 2, undefined],
];
const clicks: Array<[string, string, number]> = [
  ['m1', 'https://shop.example.com/x', 12],
  ['m1', 'https://shop.example.com/y', 40],
  ['m2', 'https://shop.example.com/x', 90], // after an hour
  ['m3', 'https://shop.example.com/y', 14],
  ['m4', 'https://shop.example.com/z', 15],
];
const events = [
  ...sends.map(([m, step, variant]) => ({
    id: `s-${m}`,
    type: 'sent',
    ts: at(0),
    message: m,
    campaign: 'c',
    recipient: `${m}@example.org`,
    step,
    ...(variant ? { variant } : {}),
  })),
  ...clicks.map(([m, url, min], i) => ({ id: `k-${i}`, type: 'click', ts: at(min), message: m, url, ip: `81.2.69.${160 + i}`, user_agent: UA })),
  // The last event of any kind: a reply, three hours in (it names its message only).
  { id: 'r-1', type: 'reply', ts: at(180), message: 'm4' },
];

const engines: Array<[string, () => Promise<{ store: Store; close: () => Promise<void> }>]> = [
  [
    'duckdb',
    async () => {
      const store = await openDuckDbStore(join(dir, 'facts.duckdb'));
      return { store, close: () => store.close() };
    },
  ],
  [
    'duckdb behind the store worker',
    async () => {
      const worker = await StoreWorker.start({ store: { db: join(dir, 'worker.duckdb') } });
      return { store: worker.store, close: () => worker.close() };
    },
  ],
  [
    'clickhouse',
    async () => {
      const store = await openClickHouseStore(local.server.url('facts'));
      return { store, close: () => store.close() };
    },
  ],
];

for (const [name, open] of engines) {
  test(`[${name}] last event of any kind, one template's own link shares, campaign settings`, async () => {
    const { store, close } = await open();
    try {
      await ingest(store, events);
      assert.equal(await lastEventTs(store, 'c'), at(180), 'the reply, not the send');
      assert.equal(await lastEventTs(store, 'nope'), null);

      const shares = async (step: number | null, variant: string | null, windowMs: number | null) =>
        Object.fromEntries((await templateLinkShares(store, 'c', step, variant, windowMs)).map((s) => [s.url.slice(-1), [s.unique_clicks, s.click_share]]));
      assert.deepEqual(await shares(1, 'A', null), { x: [2, 2 / 3], y: [1, 1 / 3] });
      assert.deepEqual(await shares(1, 'A', 3_600_000), { x: [1, 0.5], y: [1, 0.5] }, 'm2 clicked after the hour');
      assert.deepEqual(await shares(1, 'B', null), { y: [1, 1] });
      assert.deepEqual(await shares(2, null, null), { z: [1, 1] });
      assert.deepEqual(await shares(3, null, null), {});

      const evidence = { steps: 2, replies: 1 };
      assert.equal(await store.getCampaignSettings('c'), null);
      assert.deepEqual(await campaignKind(store, 'c', evidence), { kind: 'outreach', inferred: true, why: '2 sequence steps were sent' });
      await store.setCampaignSettings({ campaign: 'c', kind: 'newsletter', updated_at: T0 });
      await store.setCampaignSettings({ campaign: 'c', kind: 'transactional', updated_at: T0 + 1 });
      assert.deepEqual(await store.getCampaignSettings('c'), { campaign: 'c', kind: 'transactional', updated_at: T0 + 1 }, 'the latest wins');
      assert.deepEqual(await campaignKind(store, 'c', evidence), { kind: 'transactional', inferred: false, why: 'set for this campaign' });
      await store.setCampaignSettings({ campaign: 'c', kind: null, updated_at: T0 + 2 });
      assert.equal((await campaignKind(store, 'c', evidence)).inferred, true, 'cleared: inferred again');
    } finally {
      await close();
    }
  });
}
