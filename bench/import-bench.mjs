#!/usr/bin/env node
// Imports one event file into a fresh temporary DuckDB file the way `clickrate import` does (memory_limit
// 256MB) and prints events/s, the commit time, the process's peak RSS and the load average (other
// processes share the cores; note it beside every figure). Build first: `npm run build`
//
//   node bench/import-bench.mjs bench/data/events-1m.jsonl [--dir bench/data] [--workers N] [--stream] [--baseline] [--classify]
//
// --dir puts the temporary DuckDB file there instead of the system temp directory (it is deleted);
// --workers overrides the number of parse worker threads; --stream keeps the file off the direct lane
// (events/direct-load.ts), to compare the lanes; --baseline then times, in the same process, a
// hand-written DuckDB INSERT … FROM read_ndjson of the same file into a fresh file of the same schema,
// with no validation at all (what DuckDB alone takes, the floor of the direct lane's second half);
// --classify then runs the classification pass as `clickrate import` does (at 1 GB) and prints its
// phases and the peak RSS of each phase (sampled every 200 ms) as JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { timeVerdictPass } from './timing.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: tmpdir() },
    workers: { type: 'string' },
    stream: { type: 'boolean', default: false },
    baseline: { type: 'boolean', default: false },
    classify: { type: 'boolean', default: false },
  },
});
const [file] = positionals;
const workers = values.workers === undefined ? undefined : Number(values.workers);
if (!file) {
  console.error('usage: node bench/import-bench.mjs FILE.jsonl|FILE.csv [--dir DIR] [--workers N] [--stream] [--baseline] [--classify]');
  process.exit(2);
}
const { openDuckDbStore } = await import('../dist/src/store/duckdb/duckdb-store.js');
const { importFile } = await import('../dist/src/ingest/import-file.js');
const { reclassify } = await import('../dist/src/classify/reclassify.js');

const dir = mkdtempSync(join(values.dir, 'clickrate-bench-'));
const store = await openDuckDbStore(join(dir, 'bench.duckdb'), { memoryLimit: '256MB' });
// Times commit() of each ingest session (the part after the last row was read).
let commitMs = 0;
const begin = store.beginIngest.bind(store);
store.beginIngest = async () => {
  const s = await begin();
  const commit = s.commit.bind(s);
  s.commit = async () => {
    const t = performance.now();
    try {
      return await commit();
    } finally {
      commitMs += performance.now() - t;
    }
  };
  return s;
};
// RSS per phase (ru_maxrss only gives the whole process's peak).
let phase = 'import';
const peak = {};
const sampler = setInterval(() => {
  peak[phase] = Math.max(peak[phase] ?? 0, process.memoryUsage.rss());
}, 200);
sampler.unref();

/** The pass `clickrate import` runs after its files (import.ts classifyImported), timed by phase. */
async function classifyAfter() {
  await store.setMemoryLimit('1GB');
  const ms = timeVerdictPass(store, (p) => (phase = p === 'finish' ? 'write-back and facts' : p));
  const load = loadavg()[0];
  const c = await reclassify(store);
  clearInterval(sampler);
  const secs = (v) => +(v / 1000).toFixed(1);
  console.log(
    JSON.stringify({
      pass_s: secs(c.ms),
      events_per_s: Math.round(c.events / (c.ms / 1000)),
      machine: c.machine,
      phases_s: { snapshot: secs(ms.begin), chunks: secs(c.ms - ms.begin - ms.finish), 'write-back and facts': secs(ms.finish) },
      peak_rss_mb: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 1e6)])),
      load: `${load.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
    }),
  );
}

/** DuckDB alone: the file read by read_ndjson into a fresh store's events table, nothing validated. */
async function baseline() {
  const bare = await openDuckDbStore(join(dir, 'baseline.duckdb'), { memoryLimit: '256MB' });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  await bare.close();
  const db = await DuckDBInstance.create(join(dir, 'baseline.duckdb'), { memory_limit: '256MB', threads: '2', preserve_insertion_order: 'false' });
  const conn = await db.connect();
  const load = loadavg()[0];
  const t = performance.now();
  await conn.run('BEGIN');
  const res = await conn.run(
    `INSERT INTO events (id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, ingested_at)
     SELECT id, type, epoch_ms(CAST(ts AS TIMESTAMPTZ)), message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, upper(method), value, 1
     FROM read_ndjson($1, format = 'newline_delimited', auto_detect = false, columns = {id: 'VARCHAR', type: 'VARCHAR', ts: 'VARCHAR', message: 'VARCHAR',
       campaign: 'VARCHAR', recipient: 'VARCHAR', step: 'INTEGER', variant: 'VARCHAR', segment: 'VARCHAR', ad: 'VARCHAR', url: 'VARCHAR', ip: 'VARCHAR',
       user_agent: 'VARCHAR', method: 'VARCHAR', value: 'DOUBLE'})`,
    [file],
  );
  await conn.run('COMMIT');
  const secs = (performance.now() - t) / 1000;
  conn.closeSync();
  db.closeSync();
  console.log(
    `baseline (DuckDB's read_ndjson alone, nothing validated): ${res.rowsChanged} events in ${secs.toFixed(2)} s = ${Math.round(res.rowsChanged / secs)} events/s; load ${load.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
  );
}

try {
  const load = loadavg()[0];
  const t = performance.now();
  // When the whole file has been read (and, on the direct lane, validated): the rest is the store's.
  let readMs = null;
  const onProgress = (p) => {
    if (p.committing && readMs === null) readMs = performance.now() - t;
  };
  const r = await importFile(store, file, { parseWorkers: workers, onProgress, direct: !values.stream });
  const secs = (performance.now() - t) / 1000;
  // ru_maxrss is in kilobytes and covers the worker threads and DuckDB's native memory too.
  const rssMb = resourceUsage().maxRSS / 1024;
  console.log(
    `${file}: ${r.received} events (${r.inserted} inserted) in ${secs.toFixed(2)} s = ${Math.round(r.received / secs)} events/s; lane ${r.lane}; file read by ${(readMs / 1000).toFixed(2)} s; commit ${Math.round(commitMs)} ms; ${workers ?? 'default'} workers; max RSS ${Math.round(rssMb)} MB; load ${load.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
  );
  if (values.baseline) await baseline();
  if (values.classify) await classifyAfter();
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
