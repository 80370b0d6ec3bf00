// The shared store conformance and reclassify suites against RemoteStore: every Store method forwarded to
// a real store worker thread owning a real DuckDB file, so the remote store can only agree or fail loudly.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { reclassifySuite } from '../../classify/reclassify-suite.js';
import { storeConformanceSuite } from '../store-conformance.js';
import { StoreWorker } from './store-client.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-remote-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const openRemote = async () => (await StoreWorker.start({ store: { db: join(dir, `w${++n}.duckdb`) } })).store;

storeConformanceSuite('remote duckdb', openRemote);
reclassifySuite('remote duckdb', openRemote);

test('[remote duckdb] a store error crosses with its code; a store that cannot open fails the start', async () => {
  const store = await openRemote();
  try {
    await assert.rejects(store.query({ sql: 'SELECT * FROM no_such_table', params: {} }), { code: 'CR_ERR_STORE' });
    assert.deepEqual(await store.listApiKeys(), []);
    assert.ok(!store.concurrentQueries, 'an embedded DuckDB connection runs one statement at a time');
  } finally {
    await store.close();
  }
  await assert.rejects(StoreWorker.start({ store: { store: 'nosuch://x' } }), { code: 'CR_ERR_CONFIG' });
});
