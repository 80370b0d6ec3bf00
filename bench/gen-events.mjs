#!/usr/bin/env node
// Streams a large JSONL file of realistic, labelled clickrate events across many campaigns, using the
// compiled traffic simulator (run `npm run build` first). Bounded memory: one recipient at a time.
//
//   node bench/gen-events.mjs --events 1000000 --out bench/data/events-1m.jsonl [--campaigns 50]
//        [--seed 42] [--truth bench/data/events-1m.truth.csv]
//
// --truth writes `id,actor,kind` for every open and click, to score a classifier against.
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const { createRng } = await import('../dist/src/demo/rng.js').catch(() => {
  console.error('gen-events: ../dist/src/demo is missing; build first with `npm run build`');
  process.exit(1);
});
const { benchCampaign, benchRecords } = await import('../dist/src/demo/bench-specs.js');

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    out: { type: 'string' },
    campaigns: { type: 'string', default: '50' },
    seed: { type: 'string', default: '42' },
    truth: { type: 'string' },
    base: { type: 'string', default: '2026-01-01T00:00:00Z' },
  },
});
const total = Number(values.events);
const campaigns = Number(values.campaigns);
const base = Date.parse(values.base);
if (!values.out || !(total >= 0) || !Number.isInteger(total) || !(campaigns >= 1) || Number.isNaN(base)) {
  console.error('usage: node bench/gen-events.mjs --events N --out FILE.jsonl [--campaigns 50] [--seed 42] [--truth FILE.csv] [--base ISO]');
  process.exit(2);
}

/** A write stream that flushes in ~1 MB chunks and waits for 'drain' when the OS is behind. */
function sink(path) {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path);
  let buf = '';
  let bytes = 0;
  return {
    async push(s) {
      buf += s;
      if (buf.length >= 1 << 20) await this.flush();
    },
    async flush() {
      if (buf.length === 0) return;
      bytes += Buffer.byteLength(buf);
      const ok = stream.write(buf);
      buf = '';
      // TRICKY: without waiting for 'drain', a fast generator queues the whole file in memory.
      if (!ok) await once(stream, 'drain');
    },
    async close() {
      await this.flush();
      stream.end();
      await once(stream, 'finish');
      return bytes;
    },
  };
}

const out = sink(values.out);
const truthOut = values.truth ? sink(values.truth) : null;
if (truthOut) await truthOut.push('id,actor,kind\n');

const root = createRng(Number(values.seed));
const perCampaign = Math.max(50, Math.ceil(total / campaigns));
const started = process.hrtime.bigint();
let written = 0;
let index = 0;
// Campaign sizes are estimates; keep adding campaigns until exactly `total` events are written.
outer: while (written < total) {
  const rng = root.fork(`campaign-${index}`);
  const c = benchCampaign(index, rng, base, perCampaign);
  index++;
  for (const records of benchRecords(c, rng)) {
    let lines = '';
    let labels = '';
    for (const r of records) {
      if (written >= total) break;
      lines += JSON.stringify(r.event) + '\n';
      if (truthOut && r.truth) labels += `${r.event.id},${r.truth.actor},${r.truth.kind}\n`;
      written++;
    }
    await out.push(lines);
    if (truthOut) await truthOut.push(labels);
    if (written >= total) break outer;
  }
}
const bytes = await out.close();
if (truthOut) await truthOut.close();
const secs = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  `wrote ${written} events (${index} campaigns) to ${values.out}: ${bytes} bytes (${(bytes / 1048576).toFixed(1)} MiB) in ${secs.toFixed(2)} s, ${Math.round(written / secs)} events/s`,
);
