// Shards: two clickhouse-servers on loopback as the two shards of a cluster (written into their configs),
// events and verdicts in Distributed tables over them; every report equals the one-server report, and a
// commit in hash slices stores what one unsliced commit stores; retention and erasure work per shard.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { reclassify } from '../../classify/reclassify.js';
import { demoEvents } from '../../demo/demo-dataset.js';
import { ingestEvents } from '../../ingest/ingest-events.js';
import { listCampaigns } from '../../metrics/list-campaigns.js';
import { runReport } from '../../metrics/run-report.js';
import { ClickHouseIngestSession } from './clickhouse-ingest.js';
import { openClickHouseStore, type ClickHouseStore } from './clickhouse-store.js';
import { freePort, startLocalClickHouse, type LocalClickHouse } from './local-server.js';
import { privacyConformanceSuite } from '../../../test/support/privacy-conformance.js';

const servers: LocalClickHouse[] = [];
let sharded: ClickHouseStore;
let single: ClickHouseStore;

before(async () => {
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
  const shard = (tcp: number) => `<shard><replica><host>127.0.0.1</host><port>${tcp}</port></replica></shard>`;
  const remoteServers = `<clickrate_pair>${shard(ports[1]!)}${shard(ports[3]!)}</clickrate_pair>`;
  servers.push(...(await Promise.all([0, 2].map((i) => startLocalClickHouse({ httpPort: ports[i], tcpPort: ports[i + 1], remoteServers })))));
  const [s1, s2] = servers as [LocalClickHouse, LocalClickHouse];
  sharded = await openClickHouseStore(`${s1.url('sharded')}?cluster=clickrate_pair&shards=127.0.0.1:${s1.httpPort},127.0.0.1:${s2.httpPort}`);
  single = await openClickHouseStore(s1.url('single'));
});
after(async () => {
  await sharded?.close();
  await single?.close();
  for (const s of servers) await s.stop();
});

test('[clickhouse] two shards behind Distributed tables give the same reports as one server', async () => {
  const demo = demoEvents({ seed: 11, now: Date.parse('2026-03-20T12:00:00Z') });
  for (const s of [single, sharded]) {
    await ingestEvents(s, demo.events);
    await reclassify(s);
  }
  // Re-delivery is idempotent across shards too: the id check spans the whole cluster.
  const again = await ingestEvents(sharded, demo.events.slice(0, 5000));
  assert.equal(again.inserted, 0);
  // Both shards hold part of the events.
  for (const s of servers) {
    const r = await fetch(`http://127.0.0.1:${s.httpPort}/?query=${encodeURIComponent('SELECT count() FROM sharded.events_local')}`);
    assert.ok(Number(await r.text()) > 1000, `shard on ${s.httpPort} holds events`);
  }
  const campaigns = await listCampaigns(single);
  assert.deepEqual(await listCampaigns(sharded), campaigns);
  for (const c of campaigns) {
    for (const by of c.kind === 'ads' ? [undefined, 'ad'] : [undefined, 'variant', 'link', 'day']) {
      const q = { campaign: c.campaign, by, window: by === 'day' ? '7d' : undefined };
      assert.deepEqual(await runReport(sharded, q), await runReport(single, q), JSON.stringify(q));
    }
  }
});

test('[clickhouse] a commit in hash slices over Distributed tables stores what one server stores unsliced', async () => {
  const [s1, s2] = servers as [LocalClickHouse, LocalClickHouse];
  const sliced = await openClickHouseStore(`${s1.url('sliced')}?cluster=clickrate_pair&shards=127.0.0.1:${s1.httpPort},127.0.0.1:${s2.httpPort}`);
  const saved = ClickHouseIngestSession.sliceRows;
  const demo = demoEvents({ seed: 11, now: Date.parse('2026-03-20T12:00:00Z') });
  try {
    // About four slices: the ids and messages of each are checked across both shards on their own.
    ClickHouseIngestSession.sliceRows = Math.ceil(demo.events.length / 4);
    await ingestEvents(sliced, demo.events);
    assert.equal((await ingestEvents(sliced, demo.events.slice(0, 5000))).inserted, 0);
    const dump = (s: ClickHouseStore) => s.query({ sql: 'SELECT id, type, message, msg_campaign FROM events ORDER BY id', params: {} });
    // `single` holds the same file, committed in one slice by the test above.
    assert.deepEqual(await dump(sliced), await dump(single));
  } finally {
    ClickHouseIngestSession.sliceRows = saved;
    await sliced.close();
  }
});

// Retention and erasure mutate each shard's own events_local, with the ids each shard holds.
let n = 0;
privacyConformanceSuite('clickhouse, two shards', () => {
  const [s1, s2] = servers as [LocalClickHouse, LocalClickHouse];
  return openClickHouseStore(`${s1.url(`priv${++n}`)}?cluster=clickrate_pair&shards=127.0.0.1:${s1.httpPort},127.0.0.1:${s2.httpPort}`);
});
