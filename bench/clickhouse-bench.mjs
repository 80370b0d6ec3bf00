// ClickHouse beside DuckDB in one run, on one events file: import rate (import + classification) and
// report times for the largest email campaign and an ad campaign, with a check that the figures agree.
// Usage: node bench/clickhouse-bench.mjs --events bench/data/events-10m.jsonl [--store clickhouse://H:P/DB]
//          [--duckdb FILE (an imported DuckDB of the same file: skips the DuckDB import)] [--runs 7]
//          [--loaded (both --store and --duckdb already hold the file, imported and classified by
//           `clickrate import`, timed on their own: only the reports are timed and compared)]
// Without --store a clickhouse-server is started on loopback in a temp dir (stopped at the end).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reclassify } from '../dist/src/classify/reclassify.js';
import { importFile } from '../dist/src/ingest/import-file.js';
import { listCampaigns } from '../dist/src/metrics/list-campaigns.js';
import { runReport } from '../dist/src/metrics/run-report.js';
import { openClickHouseStore } from '../dist/src/store/clickhouse/clickhouse-store.js';
import { startLocalClickHouse } from '../dist/src/store/clickhouse/local-server.js';
import { openDuckDbStore } from '../dist/src/store/duckdb/duckdb-store.js';
import { timeRuns } from './timing.mjs';

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    store: { type: 'string' },
    duckdb: { type: 'string' },
    runs: { type: 'string', default: '7' },
    loaded: { type: 'boolean' },
  },
});
if (!values.events) throw new Error('--events FILE is required');
if (values.loaded && !(values.store && values.duckdb)) throw new Error('--loaded needs --store and --duckdb');
const runs = Number(values.runs);
const tmp = mkdtempSync(join(os.tmpdir(), 'clickrate-chbench-'));
const local = values.store ? null : await startLocalClickHouse();
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

async function load(store, label) {
  const t0 = performance.now();
  const r = await importFile(store, values.events);
  const t1 = performance.now();
  await reclassify(store);
  const t2 = performance.now();
  log(`${label}: imported ${r.inserted} in ${((t1 - t0) / 1000).toFixed(1)} s, classified in ${((t2 - t1) / 1000).toFixed(1)} s`);
  return { events: r.inserted, import_s: (t1 - t0) / 1000, classify_s: (t2 - t1) / 1000, events_per_s: Math.round(r.inserted / ((t2 - t0) / 1000)) };
}

const result = {
  machine: `${os.cpus()[0]?.model} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  file: values.events,
};
try {
  const ch = await openClickHouseStore(values.store ?? local.url(`bench_${Date.now()}`));
  const duck = await openDuckDbStore(values.duckdb ?? join(tmp, 'bench.duckdb'), { memoryLimit: '1GB' });
  try {
    const [version] = await ch.query({ sql: 'SELECT version() AS v', params: {} });
    result.clickhouse_version = version?.v;
    if (!values.loaded) {
      result.load = { clickhouse: await load(ch, 'clickhouse') };
      if (!values.duckdb) result.load.duckdb = await load(duck, 'duckdb');
    }
    const campaigns = await listCampaigns(duck);
    const email = campaigns.filter((c) => c.kind === 'email').sort((a, b) => b.messages - a.messages)[0];
    const ads = campaigns.filter((c) => c.kind === 'ads').sort((a, b) => b.impressions - a.impressions)[0];
    result.reports = [];
    for (const q of [
      { campaign: email?.campaign },
      { campaign: email?.campaign, by: 'variant' },
      { campaign: email?.campaign, by: 'link', window: '7d' },
      { campaign: ads?.campaign, by: 'ad' },
    ]) {
      if (!q.campaign) continue;
      const same = JSON.stringify(await runReport(ch, q)) === JSON.stringify(await runReport(duck, q));
      result.reports.push({
        query: q,
        clickhouse_ms: await timeRuns(() => runReport(ch, q), runs),
        duckdb_ms: await timeRuns(() => runReport(duck, q), runs),
        same_json: same,
      });
      log(JSON.stringify(result.reports.at(-1)));
    }
  } finally {
    await ch.close();
    await duck.close();
  }
} finally {
  await local?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 2));
