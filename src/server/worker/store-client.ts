// The edge's side of the store worker: starts the worker thread, forwards calls to it (any method of the
// store or of a handle it returned, by name) and gives the server what it needs: the RemoteStore for the
// API and dashboard, the spool writer's ingest, and the classifier's controls and figures.
import { Worker } from 'node:worker_threads';
import { ClickrateError } from '../../errors.js';
import type { SegmentRange } from '../../tracking/spool.js';
import type { RangeStored } from '../../tracking/spool-ingest.js';
import type { Classifier, ClassifyStats } from './classify-loop.js';
import { fromWireError, isWireHandle, type FromWorker, type Primitive, type ToWorker, type WireHandle, type WorkerSetup } from './protocol.js';
import { RemoteStore } from './remote-store.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; h: number };

/** A handle's stand-in here: its methods forward to the worker; its plain fields are kept current. */
export type HandleProxy = Record<string, unknown>;

export class StoreWorker implements Classifier {
  readonly store: RemoteStore;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly proxies = new Map<number, WeakRef<HandleProxy>>();
  // A proxy nobody holds any more: the worker may forget its object.
  private readonly released = new FinalizationRegistry<number>((h) => {
    this.proxies.delete(h);
    if (!this.dead) this.post({ t: 'release', h });
  });
  private nextId = 1;
  private dead: Error | null = null;
  /** The worker's figures: from ready, then after each pass. */
  private classified: ClassifyStats;
  private busy = false;

  private constructor(
    worker: Worker,
    ready: Extract<FromWorker, { t: 'ready' }>,
    private readonly onLog: (msg: string, err: string) => void,
  ) {
    this.worker = worker;
    this.classified = ready.stats;
    this.store = new RemoteStore(
      ready,
      (h, m, a) => this.call(h, m, a),
      () => this.close(),
    );
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`the store worker exited (code ${code})`)));
  }

  /** Starts the worker and waits until it has opened the store (its errors, e.g. CR_ERR_MIGRATION, reject). */
  static async start(setup: WorkerSetup, onLog: (msg: string, err: string) => void = () => undefined): Promise<StoreWorker> {
    const worker = new Worker(new URL('./store-worker.js', import.meta.url), { workerData: setup });
    const onExit = (code: number) => early(new ClickrateError('CR_ERR_STORE', `the store worker exited before it opened the store (code ${code})`));
    let early: (e: Error) => void = () => undefined;
    const first = await new Promise<FromWorker>((resolve, reject) => {
      early = reject;
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', onExit);
    }).finally(() => {
      // TRICKY: not removeAllListeners(): Worker keeps listeners of its own that count 'message' listeners.
      worker.off('error', early);
      worker.off('exit', onExit);
    });
    if (first.t === 'fatal') {
      await worker.terminate();
      throw fromWireError(first.e);
    }
    if (first.t !== 'ready') throw new ClickrateError('CR_ERR_STORE', `the store worker said ${first.t} before ready`);
    return new StoreWorker(worker, first, onLog);
  }

  /** Calls method `m` of handle `h` (0: the store) in the worker. */
  call(h: number, m: string, a: unknown[]): Promise<unknown> {
    return this.request({ t: 'call', id: 0, h, m, a }, h);
  }

  /** The spool writer's RangeIngest: the worker reads the range from the segment file and stores it. */
  ingest(range: SegmentRange): Promise<RangeStored> {
    return this.request({ t: 'ingest', id: 0, range }, 0) as Promise<RangeStored>;
  }

  start(): void {
    this.post({ t: 'start' });
  }

  setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.post({ t: 'busy', busy });
  }

  async runNow(): Promise<void> {
    await this.request({ t: 'classify', id: 0 }, 0);
  }

  /**
   * The figures of the worker's last pass (its settings before the first); `paced` as this thread last
   * told the worker, so a change shows at once rather than with the next pass.
   */
  stats(): ClassifyStats {
    return { ...this.classified, paced: this.busy };
  }

  /** Stops the periodic passes after a last one (Classifier.stop); the store stays open. */
  async stop(): Promise<void> {
    if (this.dead) return;
    await this.request({ t: 'stop', id: 0 }, 0);
  }

  /** Closes the store and ends the thread (RemoteStore.close). */
  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise((r) => this.worker.once('exit', r));
    await this.request({ t: 'close', id: 0 }, 0);
    await exited;
  }

  private request(msg: Extract<ToWorker, { id: number }>, h: number): Promise<unknown> {
    if (this.dead) return Promise.reject(new ClickrateError('CR_ERR_STORE', `the store is unavailable: ${this.dead.message}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, h });
      this.post({ ...msg, id });
    });
  }

  private post(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromWorker): void {
    if (msg.t === 'classified') {
      this.classified = msg.stats;
      return;
    }
    if (msg.t === 'log') {
      this.onLog(msg.msg, msg.err);
      return;
    }
    if (msg.t !== 'done' && msg.t !== 'fail') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.t === 'fail') {
      p.reject(fromWireError(msg.e));
      return;
    }
    if (msg.p) {
      const proxy = this.proxies.get(p.h)?.deref();
      if (proxy) Object.assign(proxy, msg.p);
    }
    p.resolve(this.decode(msg.v));
  }

  private decode(v: unknown): unknown {
    return isWireHandle(v) ? this.proxy(v) : v;
  }

  private proxy(w: WireHandle): HandleProxy {
    const proxy: HandleProxy = { ...(w.props as Record<string, Primitive>) };
    for (const m of w.methods) proxy[m] = (...a: unknown[]) => this.call(w.__handle, m, a);
    this.proxies.set(w.__handle, new WeakRef(proxy));
    this.released.register(proxy, w.__handle);
    return proxy;
  }

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    for (const p of this.pending.values()) p.reject(new ClickrateError('CR_ERR_STORE', `the store worker stopped: ${err.message}`));
    this.pending.clear();
  }
}
