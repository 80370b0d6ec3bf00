// Runs the shared store conformance suite against a real clickhouse-server started on loopback (one per
// file), and checks that the demo dataset gives identical report JSON on ClickHouse and DuckDB.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { demoEvents } from '../../demo/demo-dataset.js';
import { ingestEvents } from '../../ingest/ingest-events.js';
import { reclassify } from '../../classify/reclassify.js';
import { campaignEventPages } from '../../metrics/campaign-events.js';
import { runTimeseries } from '../../metrics/compile-timeseries.js';
import { runReport } from '../../metrics/run-report.js';
import { listCampaigns } from '../../metrics/list-campaigns.js';
import { explainMessage } from '../../classify/explain-message.js';
import { at, sends } from '../../../test/support/conformance-cases.js';
import { storeConformanceSuite } from '../../../test/support/store-conformance.js';
import { ingest } from '../../../test/support/ingest-raw.js';
import { openDuckDbStore } from '../duckdb/duckdb-store.js';
import type { Store } from '../store.js';
import { encodeLiteral } from './literals.js';
import { openClickHouseStore } from './clickhouse-store.js';
import { useLocalClickHouse } from '../../../test/support/clickhouse.js';

const local = useLocalClickHouse();
let n = 0;

// Each case gets its own database on the one server: cheap, and isolated like a fresh DuckDB file.
storeConformanceSuite('clickhouse', () => openClickHouseStore(local.server.url(`conf${++n}`)));

test('[clickhouse] literals: strings cannot escape their quotes; numbers keep their type', () => {
  assert.equal(encodeLiteral({ value: "a'b\\c\n", type: 'String' }), "'a\\'b\\\\c\\x0a'");
  assert.equal(encodeLiteral({ value: 42, type: 'Int64' }), 'toInt64(42)');
  assert.throws(() => encodeLiteral({ value: '1 OR 1', type: 'Int64' }), { code: 'CR_ERR_STORE' });
  assert.throws(() => encodeLiteral({ value: Number.NaN, type: 'Float64' }), { code: 'CR_ERR_STORE' });
});

test('[clickhouse] hostile strings round-trip as values', async () => {
  const store = await openClickHouseStore(local.server.url(`lit${++n}`));
  try {
    for (const s of ["'; DROP TABLE events; --", '\\', "\\'", '{p0:String}', 'é\u0000\u007f\ud83d\ude00']) {
      const [r] = await store.query({ sql: 'SELECT {p0:String} AS v', params: { p0: { value: s, type: 'String' } } });
      assert.equal(r?.v, s);
    }
  } finally {
    await store.close();
  }
});

test('[clickhouse] API keys, templates, explain and schema versions', async () => {
  const db = `meta${++n}`;
  const url = local.server.url(db);
  const store = await openClickHouseStore(url);
  try {
    const key = { id: 'k1', name: 'crm', prefix: 'cr_abcd', hash: 'h1', created_at: 1000, revoked_at: null };
    await store.createApiKey(key);
    assert.deepEqual(await store.findApiKeyByHash('h1'), key);
    assert.equal(await store.revokeApiKey('k1', 2000), true);
    assert.equal(await store.revokeApiKey('k1', 3000), false);
    assert.deepEqual(await store.listApiKeys(), [{ ...key, revoked_at: 2000 }]);
    await store.saveTemplate({ campaign: 'c', step: 1, variant: null, html: '<p>old</p>', saved_at: 1 });
    await store.saveTemplate({ campaign: 'c', step: 1, variant: null, html: '<p>new</p>', saved_at: 2 });
    assert.deepEqual(await store.listTemplates('c'), [{ campaign: 'c', step: 1, variant: null, saved_at: 2 }]);
    assert.equal((await store.getTemplate('c', 1, null))?.html, '<p>new</p>');
    assert.equal(await store.getTemplate('c', 2, null), null);
    await ingest(store, [...sends(1, 'x'), { type: 'click', ts: at(0.1), message: 'm0', url: 'https://a.example.com/', method: 'HEAD', ip: '40.94.12.7' }]);
    const x = await explainMessage(store, 'm0');
    assert.equal(x.campaign, 'x');
    assert.equal(x.events[1]?.verdict, 'machine');
    assert.ok(x.events[1]?.classifier_version);
    const res = await fetch(`http://127.0.0.1:${local.server.httpPort}/?database=${db}`, {
      method: 'POST',
      body: "INSERT INTO schema_migrations VALUES (999, 'from the future', 0)",
    });
    assert.equal(res.status, 200);
  } finally {
    await store.close();
  }
  await assert.rejects(openClickHouseStore(url), { code: 'CR_ERR_MIGRATION', message: /999/ });
});

test('[clickhouse] the demo dataset gives the same report JSON as DuckDB for every campaign and grouping', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-same-'));
  const duck = await openDuckDbStore(join(dir, 'demo.duckdb'));
  const ch = await openClickHouseStore(local.server.url('demo_same'));
  try {
    const demo = demoEvents({ seed: 7, now: Date.parse('2026-03-20T12:00:00Z') });
    for (const s of [duck, ch] as Store[]) {
      await ingestEvents(s, demo.events);
      await reclassify(s);
    }
    const campaigns = await listCampaigns(duck);
    assert.deepEqual(await listCampaigns(ch), campaigns);
    for (const c of campaigns) {
      const groupings = c.kind === 'ads' ? [undefined, 'ad', 'day'] : [undefined, 'variant', 'step', 'segment', 'link', 'provider', 'day'];
      for (const by of groupings) {
        // The window changes every engagement filter; once per campaign keeps the file's runtime modest.
        for (const window of by === undefined ? [undefined, '7d'] : [undefined]) {
          const q = { campaign: c.campaign, by, window };
          assert.deepEqual(JSON.parse(JSON.stringify(await runReport(ch, q))), JSON.parse(JSON.stringify(await runReport(duck, q))), JSON.stringify(q));
        }
      }
      // The dashboard's chart and export speak the same SQL seam: both engines must agree on them too.
      for (const interval of ['day', 'hour']) {
        const q = { campaign: c.campaign, interval, window: c.kind === 'ads' ? null : '7d' };
        assert.deepEqual(await runTimeseries(ch, q), await runTimeseries(duck, q), `timeseries ${JSON.stringify(q)}`);
      }
      const exported = async (st: Store) => {
        const all = [];
        for await (const page of campaignEventPages(st, c.campaign, 5000)) all.push(...page);
        return all;
      };
      assert.deepEqual(await exported(ch), await exported(duck), `events export of ${c.campaign}`);
    }
  } finally {
    await duck.close();
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
