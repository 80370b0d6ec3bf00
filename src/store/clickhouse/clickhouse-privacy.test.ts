// The privacy conformance suite (address retention, erasure, export) on a real clickhouse-server, where
// both run as mutations.
import { useLocalClickHouse } from '../../../test/support/clickhouse.js';
import { privacyConformanceSuite } from '../../../test/support/privacy-conformance.js';
import { openClickHouseStore } from './clickhouse-store.js';

const local = useLocalClickHouse();
let n = 0;

privacyConformanceSuite('clickhouse', () => openClickHouseStore(local.server.url(`priv${++n}`)));
