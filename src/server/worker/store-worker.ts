// The store worker's thread (worker_threads): owns the real Store (DuckDB or ClickHouse, opened from the
// same flags as `serve`), stores the spool's batches and runs the classification passes, so none of it
// runs on the edge's event loop. The edge's thread talks to it through store-client.ts.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/open-store.js';
import { ingestRange } from '../../tracking/spool-ingest.js';
import type { Store } from '../../store/store.js';
import { ClassifyLoop } from './classify-loop.js';
import { handleMethods, isLooseIterable, plainProps, toWireError, type FromWorker, type ToWorker, type WorkerSetup } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('store-worker.js runs as a worker thread (store-client.ts starts it)');
const setup = workerData as WorkerSetup;
const send = (msg: FromWorker) => port.postMessage(msg);

/**
 * TRICKY: on Linux each thread has its own nice value. Every thread of the process but the edge's main
 * thread is set to `nice`: this one, the thread pool that runs DuckDB's calls (and the spool's fsyncs,
 * which wait on the disk, not the CPU), DuckDB's own threads, V8's helpers. So when the store's work and
 * the redirects want the same core, the redirects get it. Threads made later by a niced thread inherit
 * it. Elsewhere (or without /proc) this is skipped: the pacing alone gives way to the edge.
 */
function niceAllButMain(nice: number | undefined): void {
  if (process.platform !== 'linux' || !nice) return;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const t of tasks) {
    if (Number(t) === process.pid) continue; // the main thread: the redirects
    try {
      setPriority(Number(t), nice);
    } catch {
      // a thread that ended meanwhile, or not permitted: leave it
    }
  }
}

niceAllButMain(setup.nice);
let store: Store;
try {
  store = await openStore(setup.store, setup.duck);
} catch (err) {
  send({ t: 'fatal', e: toWireError(err) });
  process.exit(1);
}

niceAllButMain(setup.nice); // and the threads the store started

const handles = new Map<number, object>([[0, store]]);
let nextHandle = 1;

/** A result as it crosses: objects with methods stay here behind a handle. */
function encode(v: unknown): unknown {
  const methods = handleMethods(v);
  if (methods) {
    const h = nextHandle++;
    handles.set(h, v as object);
    return { __handle: h, methods, props: plainProps(v as object) };
  }
  if (isLooseIterable(v)) return Array.from(v);
  return v;
}

// TRICKY: a spool batch and a classification pass at once would each keep threads of their own busy
// (the thread pool's DuckDB calls), and every runnable thread takes turns with the edge's on 2 cores.
// One store job at a time keeps the worker to about one core; the API's calls are not held up by it.
let turn: Promise<unknown> = Promise.resolve();
function exclusive<T>(job: () => Promise<T>): Promise<T> {
  const run = turn.then(job);
  turn = run.catch(() => undefined);
  return run;
}

const classifier = new ClassifyLoop(store, {
  exclusive,
  everyMs: setup.classifyEveryMs,
  maxLagMs: setup.maxLagMs,
  onError: (err) => send({ t: 'log', msg: 'classification pass failed; retried next pass', err: err.message }),
  // Every pass reports (the timer's too), so the edge's /api/v1/status shows it without asking; it is
  // posted before any answer sent after the pass, so a caller of runNow or stop sees it on return.
  onPass: (stats) => send({ t: 'classified', stats }),
});

send({
  t: 'ready',
  kind: store.kind,
  capabilities: store.capabilities,
  // A dialect that keeps no facts says so with a null factsStale() (SqlDialect).
  messageFacts: store.dialect.factsStale() !== null,
  stats: classifier.stats(),
});

async function answer(id: number, work: () => Promise<unknown>, h?: number): Promise<void> {
  try {
    const v = encode(await work());
    const target = h === undefined ? undefined : handles.get(h);
    send({ t: 'done', id, v, ...(h !== undefined && h !== 0 && target ? { p: plainProps(target) } : {}) });
  } catch (err) {
    send({ t: 'fail', id, e: toWireError(err) });
  }
}

port.on('message', (msg: ToWorker) => {
  switch (msg.t) {
    case 'call':
      void answer(
        msg.id,
        async () => {
          const target = handles.get(msg.h) as Record<string, unknown> | undefined;
          const fn = target?.[msg.m];
          if (typeof fn !== 'function') throw new Error(`the store worker has no method ${msg.m} on handle ${msg.h}`);
          return (fn as (...a: unknown[]) => unknown).apply(target, msg.a);
        },
        msg.h,
      );
      return;
    case 'release':
      if (msg.h !== 0) handles.delete(msg.h);
      return;
    case 'ingest':
      void answer(msg.id, () => exclusive(() => ingestRange(store, msg.range)));
      return;
    case 'classify':
      void answer(msg.id, () => classifier.runNow());
      return;
    case 'start':
      // Asked for once the server listens: a pass must not run beside a caller's own (loadDemo's).
      classifier.start();
      return;
    case 'busy':
      classifier.setBusy(msg.busy);
      return;
    case 'stop':
      void answer(msg.id, () => classifier.stop());
      return;
    case 'close':
      void (async () => {
        await classifier.stop();
        await answer(msg.id, () => store.close());
        port.close(); // nothing keeps this thread alive after this: it exits
      })();
      return;
  }
});
