// The shared store conformance suite through RemoteStore onto a real clickhouse-server on loopback: the
// worker opens ClickHouse from the same --store URL serve takes (each case, ingest and a verdict pass).
import { after, before } from 'node:test';
import { startLocalClickHouse, type LocalClickHouse } from '../clickhouse/local-server.js';
import { storeConformanceSuite } from '../store-conformance.js';
import { StoreWorker } from './store-client.js';

let server: LocalClickHouse;
let n = 0;
before(async () => {
  server = await startLocalClickHouse();
});
after(async () => {
  await server?.stop();
});

storeConformanceSuite('remote clickhouse', async () => (await StoreWorker.start({ store: { store: server.url(`remote${++n}`) } })).store);
