// Runs the verdict-pass suite (classify/reclassify-suite.ts) against a real clickhouse-server on loopback,
// and checks that a pass leaves no work tables behind, whether it finishes or not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASSIFIER_VERSION } from '../../classify/config.js';
import { reclassify } from '../../classify/reclassify.js';
import { reclassifySuite } from '../../../test/support/reclassify-suite.js';
import { ingestEvents } from '../../ingest/ingest-events.js';
import { at, sends } from '../../../test/support/conformance-cases.js';
import { runReport } from '../../metrics/run-report.js';
import { STAGE_PREFIX } from './clickhouse-ingest.js';
import { ClickHouseConnection } from './connection.js';
import { openClickHouseStore } from './clickhouse-store.js';
import { useLocalClickHouse } from '../../../test/support/clickhouse.js';

const local = useLocalClickHouse();
let n = 0;

reclassifySuite('clickhouse', () => openClickHouseStore(local.server.url(`verdicts${++n}`)));

test('[clickhouse] a pass drops its work tables, finished or closed', async () => {
  const store = await openClickHouseStore(local.server.url(`verdicts${++n}`));
  const workTables = async () => {
    const rows = await store.query({
      sql: 'SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, {p:String})',
      params: { p: { value: STAGE_PREFIX, type: 'String' } },
    });
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

test('[clickhouse] migration 5 moves the verdicts of a store made before it under their campaigns, figures unchanged', async () => {
  const db = `verdicts${++n}`;
  let store = await openClickHouseStore(local.server.url(db));
  const events = [
    ...sends(4, 'old-a', 'a'),
    ...sends(3, 'old-b', 'b'),
    // A scanner burst on a0 (HEAD, no user agent) and a person on a1.
    ...['https://x.example.com/1', 'https://x.example.com/2', 'https://x.example.com/3'].map((url) => ({
      type: 'click',
      ts: at(0.05),
      message: 'a0',
      url,
      method: 'HEAD',
    })),
    {
      type: 'click',
      ts: at(90),
      message: 'a1',
      url: 'https://x.example.com/1',
      ip: '203.0.113.7',
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
    },
    {
      type: 'open',
      ts: at(30),
      message: 'b2',
      ip: '203.0.113.8',
      user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
    },
  ];
  const conn = ClickHouseConnection.create(`http://127.0.0.1:${local.server.httpPort}`, db, 'default', '');
  try {
    await ingestEvents(store, events);
    await reclassify(store);
    const before = [await runReport(store, { campaign: 'old-a' }), await runReport(store, { campaign: 'old-b' })];
    const totals = before[0]?.totals;
    assert.ok(totals && 'scanner_clicks' in totals && totals.scanner_clicks > 0, 'the burst is judged machine');
    await store.close();
    // The layout before migration 5: verdicts by id alone, schema version 4.
    await conn.command(
      'CREATE TABLE verdicts (id String, machine UInt8, reasons String, classifier_version String, written_at UInt64) ENGINE = ReplacingMergeTree(written_at) ORDER BY id',
    );
    await conn.command('INSERT INTO verdicts SELECT id, machine, reasons, classifier_version, written_at FROM campaign_verdicts');
    await conn.command('DROP TABLE campaign_verdicts');
    await conn.command('DROP TABLE schema_migrations');
    await conn.command('CREATE TABLE schema_migrations (version UInt32, description String, applied_at Int64) ENGINE = MergeTree ORDER BY version');
    await conn.command("INSERT INTO schema_migrations VALUES (1, '', 0), (2, '', 0), (3, '', 0), (4, '', 0)");

    store = await openClickHouseStore(local.server.url(db));
    assert.deepEqual([await runReport(store, { campaign: 'old-a' }), await runReport(store, { campaign: 'old-b' })], before);
    assert.equal((await reclassify(store)).events, 0, 'every verdict kept its version: nothing is stale');
    const tables = await store.query({ sql: 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name', params: {} });
    assert.ok(!tables.some((t) => t.name === 'verdicts'), 'the old table is dropped');
    const [row] = await store.query({
      sql: "SELECT countIf(msg_campaign = 'old-a') AS a, countIf(msg_campaign = 'old-b') AS b FROM campaign_verdicts",
      params: {},
    });
    assert.deepEqual([Number(row?.a), Number(row?.b)], [4 + 4, 3 + 1]);
  } finally {
    await store.close();
    await conn.close();
  }
});

test('[clickhouse] a report counts each event by its latest verdict, while older ones still sit in unmerged parts', async () => {
  const store = await openClickHouseStore(local.server.url(`verdicts${++n}`));
  try {
    await ingestEvents(store, [
      ...sends(2, 'lv'),
      ...['a', 'b'].map((id, i) => ({ id, type: 'click', ts: at(1), message: `m${i}`, url: 'https://a.example.com/' })),
    ]);
    // Parts written one per call; merges may not have run yet when the report reads (the case FINAL is for).
    await store.writeVerdicts(
      [
        { id: 'a', machine: true, reasons: '["scanner"]' },
        { id: 'b', machine: false, reasons: null },
      ],
      'old',
    );
    await store.writeVerdicts(
      [
        { id: 'a', machine: false, reasons: null },
        { id: 'b', machine: true, reasons: '["prefetch"]' },
      ],
      'new',
    );
    const r = await runReport(store, { campaign: 'lv' });
    assert.equal(r.kind, 'email');
    if (r.kind !== 'email') return;
    assert.deepEqual([r.totals.unique_clicks, r.totals.scanner_clicks], [1, 1]);
    assert.deepEqual(r.totals.machine_reasons.clicks, { prefetch: 1 });
  } finally {
    await store.close();
  }
});
