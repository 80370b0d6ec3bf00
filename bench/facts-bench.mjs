#!/usr/bin/env node
// Times a full rebuild of a DuckDB store's per-message facts (message-facts.ts refreshFacts, as the pass
// after an import runs it) at a given memory limit, with the peak RSS and a checksum of the rows built,
// so two builds can be compared for speed and for sameness. Build first: `npm run build`
//
//   node bench/facts-bench.mjs --db COPY.duckdb [--memory 1GB]
//
// The store's facts are deleted and built again: point it at a copy.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { refreshFacts } from '../dist/src/store/duckdb/message-facts.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, memory: { type: 'string', default: '1GB' } } });
if (!values.db) throw new Error('--db COPY.duckdb is required (its facts are rebuilt)');
const instance = await DuckDBInstance.create(values.db, { memory_limit: values.memory });
const conn = await instance.connect();
const [{ n }] = (await conn.runAndReadAll('SELECT count(*) AS n FROM events')).getRowObjectsJS();
await conn.run('DELETE FROM message_facts');
await conn.run('DELETE FROM message_facts_dirty');
await conn.run('UPDATE message_facts_state SET through = 0');

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 200);
const load = loadavg()[0];
const t = performance.now();
await refreshFacts(conn);
const ms = performance.now() - t;
clearInterval(sampler);
const [f] = (
  await conn.runAndReadAll(
    `SELECT count(*) AS rows, sum(h_open_n + m_open_n + h_click_n + m_click_n) AS engagement,
      sum(hash(message, h_click_n, m_click_n, h_open_n, reply_n, revenue, send_ts)) AS checksum FROM message_facts`,
  )
).getRowObjectsJS();
console.log(
  JSON.stringify({
    events: Number(n),
    memory_limit: values.memory,
    facts_rows: Number(f.rows),
    engagement: Number(f.engagement),
    checksum: String(f.checksum),
    seconds: +(ms / 1000).toFixed(1),
    peak_rss_mb: Math.round(peak / 1e6),
    load: `${load.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
  }),
);
conn.closeSync();
