// The shared store conformance suite through RemoteStore onto a real clickhouse-server on loopback: the
// worker opens ClickHouse from the same --store URL serve takes (each case, ingest and a verdict pass).
import { useLocalClickHouse } from '../clickhouse/test-server.js';
import { storeConformanceSuite } from '../store-conformance.js';
import { StoreWorker } from './store-client.js';

const local = useLocalClickHouse();
let n = 0;

storeConformanceSuite('remote clickhouse', async () => (await StoreWorker.start({ store: { store: local.server.url(`remote${++n}`) } })).store);
