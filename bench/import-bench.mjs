#!/usr/bin/env node
// Imports one event file into a fresh temporary DuckDB file the way `clickrate import` does (memory_limit
// 256MB) and prints events/s, the commit time and the process's peak RSS. Build first: `npx tsc -p .`
//
//   node bench/import-bench.mjs bench/data/events-1m.jsonl
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/import-bench.mjs FILE.jsonl|FILE.csv');
  process.exit(2);
}
const { openDuckDbStore } = await import('../dist/store/duckdb/duckdb-store.js');
const { importFile } = await import('../dist/events/import-file.js');

const dir = mkdtempSync(join(tmpdir(), 'clickrate-bench-'));
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
try {
  const t = performance.now();
  const r = await importFile(store, file);
  const secs = (performance.now() - t) / 1000;
  // ru_maxrss is in kilobytes and covers the worker threads and DuckDB's native memory too.
  const rssMb = resourceUsage().maxRSS / 1024;
  console.log(`${file}: ${r.received} events (${r.inserted} inserted) in ${secs.toFixed(2)} s = ${Math.round(r.received / secs)} events/s; commit ${Math.round(commitMs)} ms; max RSS ${Math.round(rssMb)} MB`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
