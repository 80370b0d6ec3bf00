// Soak: `clickrate serve` on a fresh DuckDB file under a steady click load at half its maximum rate for
// minutes, beside a bare node:http server answering 302 at the same rate (the baseline, same run). Every
// 10 s it samples each server's RSS (/proc/PID/status VmRSS), its V8 heaps (main thread and, for serve,
// the store worker: a preloaded probe writes process.memoryUsage()), and serve's spool and writer from
// /api/v1/status; then prints the table, a verdict on whether memory is flat (least-squares slope of RSS
// and heap over the last 80% of the run, MB/min), and clicks answered against clicks stored.
// Usage: node bench/soak.mjs [--minutes 10] [--rate N (clicks/s; default: half the max of a --burst-seconds 10 burst)]
//          [--clients 16] [--sample-seconds 10]        (Linux: reads /proc; not part of npm test)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDuckDbStore } from '../dist/src/store/duckdb/duckdb-store.js';
import { ClickLoad } from '../dist/test/support/click-load.js';
import { startServe, stopServe } from '../dist/test/support/serve-child.js';
import { waitFor } from '../dist/test/support/wait-for.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string' },
    'burst-seconds': { type: 'string', default: '10' },
    clients: { type: 'string', default: '16' },
    'sample-seconds': { type: 'string', default: '10' },
  },
});
const minutes = Number(values.minutes);
const clients = Number(values.clients);
const sampleMs = Number(values['sample-seconds']) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'clickrate-soak-'));
const KEY = 'soak-key';
const log = (s) => process.stderr.write(`${s}\n`);

// The probe, preloaded into both servers (NODE_OPTIONS --import): every second each thread writes its
// process.memoryUsage() to a file of its own, which this script reads. Threads of a process share its RSS.
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  `import { renameSync, writeFileSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';
const file = process.env.SOAK_PROBE_DIR + '/' + process.pid + '-' + (isMainThread ? 'main' : 'worker' + threadId) + '.json';
// Written whole then renamed: the reader never sees half a file.
setInterval(() => { writeFileSync(file + '.tmp', JSON.stringify(process.memoryUsage())); renameSync(file + '.tmp', file); }, 1000).unref();
`,
);
const probeEnv = { NODE_OPTIONS: `--import=${probe}`, SOAK_PROBE_DIR: dir };

const bareSource = `import { createServer } from 'node:http';
const s = createServer((req, res) => { res.writeHead(302, { location: 'https://shop.example.com/', 'content-length': '0' }); res.end(); });
s.keepAliveTimeout = 5000;
s.listen(0, '127.0.0.1', () => console.log('listening: http://localhost:' + s.address().port + '/'));`;

function startBare() {
  const child = spawn(process.execPath, ['--input-type=module', '-e', bareSource], {
    env: { ...process.env, ...probeEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      const m = /listening: http:\/\/localhost:(\d+)/.exec(text);
      if (m) resolve({ child, base: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (c) => reject(new Error(`bare server exited ${c}`)));
  });
}

const mb = (bytes) => bytes / 2 ** 20;
function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
/** heapUsed (MB) of the process's main thread and of its other threads together, from the probe's files. */
function heapMb(pid) {
  const read = (f) => {
    try {
      return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
    } catch {
      return null; // a thread that ended between the look and the read
    }
  };
  const main = read(join(dir, `${pid}-main.json`));
  let worker = 0;
  for (let t = 1; t < 8; t++) worker += read(join(dir, `${pid}-worker${t}.json`))?.heapUsed ?? 0;
  return { main: main ? mb(main.heapUsed) : NaN, worker: mb(worker) };
}

/** Least-squares slope of y over x, with its standard error. */
function fit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ys[i] - my - slope * (xs[i] - mx)) ** 2;
  const se = n > 2 && sxx > 0 ? Math.sqrt(rss / (n - 2) / sxx) : Infinity;
  return { slope, se };
}

const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const db = join(dir, 'soak.duckdb');
const serve = await startServe(['--db', db, '--base-url', 'http://t.example.com'], { CLICKRATE_API_KEY: KEY, CLICKRATE_LOG_LEVEL: 'warn', ...probeEnv });
const bare = await startBare();
const status = async () => (await fetch(`${serve.base}/api/v1/status`, { headers: auth })).json();
try {
  // 100 messages of 10 links: 1,000 tracked links, clicked in turn.
  const paths = [];
  for (let m = 0; m < 100; m++) {
    const html = Array.from({ length: 10 }, (_, i) => `<a href="https://shop.example.com/p${i}">p${i}</a>`).join('');
    const res = await fetch(`${serve.base}/api/v1/wrap`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ html, campaign: 'soak', recipient: `r${m}@example.com` }),
    });
    for (const x of (await res.json()).html.matchAll(/href="http:\/\/t\.example\.com(\/c\/[^"]+)"/g)) paths.push(x[1]);
  }
  let answered = 0;
  let rate = Number(values.rate);
  if (!rate) {
    const burstS = Number(values['burst-seconds']);
    const burst = new ClickLoad({ base: serve.base, paths, clients, onAnswer: () => answered++ });
    await new Promise((r) => setTimeout(r, burstS * 1000));
    const got = await burst.stop();
    rate = Math.round(got.answered / burstS / 2);
    log(`max burst: ${got.answered} clicks in ${burstS} s (${Math.round(got.answered / burstS)}/s, ${clients} keep-alive clients); soak rate ${rate}/s`);
    await waitFor('the burst to be stored', async () => (await status()).spool.bytesPending === 0, { tries: 600, everyMs: 500 });
  }
  const t0 = Date.now();
  const ours = new ClickLoad({ base: serve.base, paths, clients, ratePerSec: rate, onAnswer: () => answered++ });
  const base = new ClickLoad({ base: bare.base, paths: ['/c/x'], clients, ratePerSec: rate });
  const samples = [];
  const sample = async () => {
    const st = await status();
    const h = heapMb(serve.child.pid);
    const b = heapMb(bare.child.pid);
    samples.push({
      min: (Date.now() - t0) / 60_000,
      rss: rssMb(serve.child.pid),
      heap: h.main,
      workerHeap: h.worker,
      pendingMb: mb(st.spool.bytesPending),
      lagS: st.writer.lagMs / 1000,
      answered: ours.stats().answered,
      bareRss: rssMb(bare.child.pid),
      bareHeap: b.main,
      bareAnswered: base.stats().answered,
      load: loadavg()[0],
    });
  };
  await new Promise((r) => setTimeout(r, 2000)); // the probes' first writes
  await sample();
  while (Date.now() - t0 < minutes * 60_000) {
    await new Promise((r) => setTimeout(r, Math.min(sampleMs, t0 + minutes * 60_000 - Date.now())));
    await sample();
    const s = samples.at(-1);
    log(
      `${s.min.toFixed(1)} min: RSS ${s.rss.toFixed(0)} MB, heap ${s.heap.toFixed(1)} + ${s.workerHeap.toFixed(1)} MB, spool ${s.pendingMb.toFixed(1)} MB, bare RSS ${s.bareRss.toFixed(0)} MB`,
    );
  }
  const [oursDone, bareDone] = await Promise.all([ours.stop(), base.stop()]);
  await waitFor('the writer to catch up', async () => (await status()).spool.bytesPending === 0, { tries: 1200, everyMs: 500 });
  const st = await status();
  await stopServe(serve);
  const store = await openDuckDbStore(db);
  const [row] = await store.query({ sql: `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM events WHERE type = 'click'`, params: {} });
  await store.close();

  const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  console.log(`\nSoak: ${minutes} min at ${rate} clicks/s to each server, ${clients} keep-alive clients each; ${cpus().length} CPUs\n`);
  console.log('| min | serve RSS MB | serve heap MB (main + worker) | spool pending MB | writer lag s | bare RSS MB | bare heap MB | load |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of samples)
    console.log(
      `| ${fmt(s.min)} | ${fmt(s.rss, 0)} | ${fmt(s.heap)} + ${fmt(s.workerHeap)} | ${fmt(s.pendingMb)} | ${fmt(s.lagS)} | ${fmt(s.bareRss, 0)} | ${fmt(s.bareHeap)} | ${fmt(s.load, 2)} |`,
    );
  const tail = samples.slice(Math.floor(samples.length * 0.2));
  const x = tail.map((s) => s.min);
  const series = {
    'serve RSS': tail.map((s) => s.rss),
    'serve heap (main)': tail.map((s) => s.heap),
    'serve heap (worker)': tail.map((s) => s.workerHeap),
    'bare RSS': tail.map((s) => s.bareRss),
  };
  // TRICKY: heaps and RSS saw-tooth with the garbage collector (the worker's by 200 MB), so a slope alone
  // says little over minutes. Growing: the slope exceeds FLAT MB/min (60 MB an hour) by two standard
  // errors; flat: within the noise. A leak shows as a rising floor over a longer run.
  const FLAT = 1;
  console.log(`\nSlopes over the last 80% of the run (${fmt(x[0])}–${fmt(x.at(-1))} min), MB/min ± 2 standard errors:`);
  const growing = [];
  for (const [k, ys] of Object.entries(series)) {
    const { slope, se } = fit(x, ys);
    const grows = slope - 2 * se > FLAT;
    if (grows && k.startsWith('serve')) growing.push(k);
    console.log(`- ${k}: ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} ± ${(2 * se).toFixed(2)} ${grows ? '(GROWING)' : '(no growth beyond the noise)'}`);
  }
  // The floor (each minute's lowest RSS) rises with a leak; spikes that come and go (a store checkpoint,
  // a burst of garbage) move the slope above but not the floor.
  const floors = new Map();
  for (const s of tail) floors.set(Math.floor(s.min), Math.min(floors.get(Math.floor(s.min)) ?? Infinity, s.rss));
  if (floors.size >= 3) {
    const f = fit([...floors.keys()], [...floors.values()]);
    console.log(
      `- serve RSS floor (each minute's lowest: ${[...floors.values()].map((v) => v.toFixed(0)).join(', ')} MB): ${f.slope >= 0 ? '+' : ''}${f.slope.toFixed(2)} ± ${(2 * f.se).toFixed(2)}`,
    );
  }
  console.log(`Verdict: serve's memory ${growing.length === 0 ? 'is flat within the noise' : `GROWS: ${growing.join(', ')}`} (threshold ${FLAT} MB/min).`);
  const total = answered;
  console.log(
    `Clicks: serve answered ${total} (soak ${oursDone.answered}, failed ${oursDone.failed}), stored ${row.n} (${row.ids} distinct ids), dropped ${st.edge.dropped}, dead letters ${st.spool.deadLettered}; bare answered ${bareDone.answered} (failed ${bareDone.failed}).`,
  );
  console.log(`Every answered click stored once: ${Number(row.n) === total && Number(row.ids) === total ? 'yes' : 'NO'}`);
} finally {
  await stopServe(serve).catch(() => undefined);
  bare.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
