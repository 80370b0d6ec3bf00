#!/usr/bin/env node
// Times one bulk classification pass (`reclassify`, as `clickrate classify [--all]` runs it) over an existing
// store, split into its phases, with the load average beside it (the machine may be shared).
// Build first: `npm run build`
//
//   node bench/classify-bench.mjs --db bench/data/events-10m.duckdb [--all] [--memory 256MB] [--slice ROWS] [--chunk EVENTS]
//   node bench/classify-bench.mjs --store clickhouse://127.0.0.1:8123/bench [--all]
// The store is changed (its verdicts are rewritten): point it at a copy.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { reclassify } from '../dist/src/classify/reclassify.js';
import { openDuckDbStore } from '../dist/src/store/duckdb/duckdb-store.js';
import { openClickHouseStore } from '../dist/src/store/clickhouse/clickhouse-store.js';
import { timeVerdictPass } from './timing.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    store: { type: 'string' },
    all: { type: 'boolean', default: false },
    memory: { type: 'string' },
    slice: { type: 'string' },
    chunk: { type: 'string' },
  },
});
if (!values.db && !values.store) throw new Error('--db FILE or --store clickhouse://… is required');
const store = values.store ? await openClickHouseStore(values.store) : await openDuckDbStore(values.db, values.memory ? { memoryLimit: values.memory } : {});

// Phase times: the snapshot (beginVerdictPass), the chunks (read, classify, write), the write-back (finish).
const ms = timeVerdictPass(store);

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loadBefore = load();
try {
  const r = await reclassify(store, {
    all: values.all,
    sliceRows: values.slice ? Number(values.slice) : undefined,
    chunkEvents: values.chunk ? Number(values.chunk) : undefined,
  });
  ms.loop = r.ms - ms.begin - ms.finish;
  console.log(
    JSON.stringify(
      {
        store: values.store ? 'clickhouse' : `duckdb${values.memory ? ` (memory_limit ${values.memory})` : ''}`,
        all: values.all,
        events: r.events,
        opens_and_clicks: r.verdicts,
        machine: r.machine,
        seconds: +(r.ms / 1000).toFixed(1),
        events_per_s: Math.round(r.events / (r.ms / 1000)),
        phases_s: { snapshot: +(ms.begin / 1000).toFixed(1), chunks: +(ms.loop / 1000).toFixed(1), write_back: +(ms.finish / 1000).toFixed(1) },
        chunk_detail_s: { read_incl_overlap: +(ms.next / 1000).toFixed(1), write: +(ms.write / 1000).toFixed(1) },
        load_before: loadBefore,
        load_after: load(),
      },
      null,
      2,
    ),
  );
} finally {
  await store.close();
}
