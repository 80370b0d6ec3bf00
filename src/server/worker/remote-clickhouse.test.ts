// The shared store conformance suite through RemoteStore onto a real clickhouse-server on loopback: the
// worker opens ClickHouse from the same --store URL serve takes (each case, ingest and a verdict pass).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useLocalClickHouse } from '../../../test/support/clickhouse.js';
import { storeConformanceSuite } from '../../../test/support/store-conformance.js';
import { StoreWorker } from './store-client.js';

const local = useLocalClickHouse();
let n = 0;

storeConformanceSuite('remote clickhouse', async () => (await StoreWorker.start({ store: { store: local.server.url(`remote${++n}`) } })).store);

test("[remote clickhouse] the remote store says what the worker's store can do: batched inserts, concurrent report queries", async () => {
  const store = (await StoreWorker.start({ store: { store: local.server.url(`remote${++n}`) } })).store;
  try {
    // Without these, serve on ClickHouse would insert in small batches and run a report's statements one by one.
    assert.deepEqual(store.capabilities.ingestPacing, { batchRecords: 50_000, intervalMs: 1000 });
    assert.equal(store.capabilities.concurrentQueries, true);
  } finally {
    await store.close();
  }
});
