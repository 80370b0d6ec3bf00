// The shared store conformance and reclassify suites against RemoteStore: every Store method forwarded to
// a real store worker thread owning a real DuckDB file, so the remote store can only agree or fail loudly;
// and the worker's classifier as the edge sees it (serve's /api/v1/status).
import { waitFor } from '../../../test/support/wait-for.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { reclassifySuite } from '../../../test/support/reclassify-suite.js';
import { sends, on, range } from '../../../test/support/conformance-cases.js';
import { openDuckDbStore, type DuckDbStoreOptions } from '../../store/duckdb/duckdb-store.js';
import { storeConformanceSuite } from '../../../test/support/store-conformance.js';
import { toIngest } from '../../../test/support/ingest-raw.js';
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
    assert.ok(!store.capabilities.concurrentQueries, 'an embedded DuckDB connection runs one statement at a time');
  } finally {
    await store.close();
  }
  await assert.rejects(StoreWorker.start({ store: { store: 'nosuch://x' } }), { code: 'CR_ERR_CONFIG' });
});

test("[remote duckdb] the classifier's figures: its settings from the start, each pass as soon as the pass is done", async () => {
  const worker = await StoreWorker.start({ store: { db: join(dir, `w${++n}.duckdb`) }, classifyEveryMs: 20, maxLagMs: 4000 });
  try {
    // Before any pass: the configured settings, not zeros standing in for them.
    assert.deepEqual(worker.stats(), {
      passes: 0,
      failures: 0,
      lastPassAt: null,
      lastPassMs: null,
      lastEvents: 0,
      lastError: null,
      paced: false,
      everyMs: 20,
      maxLagMs: 4000,
    });
    const session = await worker.store.beginIngest();
    await session.append(toIngest([...sends(3, 'fig'), ...on('click', range(0, 3), 'm', 60, { url: 'https://example.com/a' })]));
    await session.commit();

    await worker.runNow();
    // Read on return, with no wait: the pass's figures came before its answer.
    assert.deepEqual([worker.stats().passes, worker.stats().lastEvents, worker.stats().everyMs], [1, 6, 20]);

    worker.setBusy(true);
    assert.equal(worker.stats().paced, true, 'busy shows at once, not with the next pass');
    worker.setBusy(false);
    worker.start();
    // The timer's passes report themselves (nothing is asked of the worker here).
    await waitFor('passes of the timer', () => worker.stats().passes >= 3, { tries: 2000, everyMs: 10 });
    assert.equal(worker.stats().lastEvents, 0, 'nothing new since the first pass');

    const before = worker.stats().passes;
    await worker.stop();
    assert.ok(worker.stats().passes > before, 'the last pass of stop is counted on return');
    assert.deepEqual([worker.stats().failures, worker.stats().maxLagMs], [0, 4000]);
  } finally {
    await worker.close();
  }
});

const factsCases: Array<{ name: string; duck: DuckDbStoreOptions | undefined }> = [
  { name: 'with message facts (serve)', duck: undefined },
  { name: 'without message facts', duck: { messageFacts: false } },
];

for (const c of factsCases) {
  test(`[remote duckdb] ${c.name}: the remote store's reports read what the worker's store's would`, async () => {
    const remote = (await StoreWorker.start({ store: { db: join(dir, `w${++n}.duckdb`) }, duck: c.duck })).store;
    const local = await openDuckDbStore(join(dir, `local${n}.duckdb`), c.duck);
    try {
      // What a report splices in: the facts table (or null: group the events) and whether to build it first.
      assert.equal(remote.dialect.messageFacts('$c', true), local.dialect.messageFacts('$c', true));
      assert.equal(remote.dialect.factsStale(), local.dialect.factsStale());
      assert.equal(remote.dialect.factsStale() === null, c.duck?.messageFacts === false);
    } finally {
      await Promise.all([remote.close(), local.close()]);
    }
  });
}
