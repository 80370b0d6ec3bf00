// Runs the verdict-pass suite (classify/reclassify-suite.ts) against a real clickhouse-server on loopback,
// and checks that a pass leaves no work tables behind, whether it finishes or not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLASSIFIER_VERSION } from '../../classify/config.js';
import { reclassify } from '../../classify/reclassify.js';
import { reclassifySuite } from '../../classify/reclassify-suite.js';
import { ingestEvents } from '../../events/ingest-events.js';
import { at, sends } from '../conformance-cases.js';
import { STAGE_PREFIX } from './clickhouse-ingest.js';
import { openClickHouseStore } from './clickhouse-store.js';
import { startLocalClickHouse, type LocalClickHouse } from './local-server.js';

let server: LocalClickHouse;
let n = 0;
before(async () => {
  server = await startLocalClickHouse();
});
after(async () => {
  await server?.stop();
});

reclassifySuite('clickhouse', () => openClickHouseStore(server.url(`verdicts${++n}`)));

test('[clickhouse] a pass drops its work tables, finished or closed', async () => {
  const store = await openClickHouseStore(server.url(`verdicts${++n}`));
  const workTables = async () => {
    const rows = await store.query({ sql: 'SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, {p:String})', params: { p: { value: STAGE_PREFIX, type: 'String' } } });
    return Number(rows[0]?.n);
  };
  try {
    await ingestEvents(store, [...sends(3, 'wt'), { type: 'click', ts: at(1), message: 'm0', url: 'https://a.example.com/' }]);
    const pass = await store.beginVerdictPass({ version: CLASSIFIER_VERSION, all: false });
    assert.ok((await workTables()) > 0);
    await pass.close();
    assert.equal(await workTables(), 0);
    const r = await reclassify(store);
    assert.deepEqual([r.events, r.verdicts], [4, 1]);
    assert.equal(await workTables(), 0);
  } finally {
    await store.close();
  }
});
