// A small pool of parse workers (parse-worker.ts): JSON.parse and schema validation are most of an
// import's CPU, so they run beside the main thread, which only reads bytes and feeds the store.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ClickrateError } from '../errors.js';
import type { ParseReply, ParseRequest, ScanReply, WorkerSetup } from './parse-worker.js';

// TRICKY: a small young generation keeps each worker's memory down (the import must stay under
// 500 MB in all); 8 MB saved nothing measurable and cost 10% more CPU in scavenges. The old-generation
// cap is generous, as a block holding one huge line must still get its error message rather than kill
// the worker.
const YOUNG_MB = 16;
const OLD_MB = 512;

interface Pending {
  resolve: (r: ParseReply | ScanReply) => void;
  reject: (e: Error) => void;
}

/**
 * One parse worker per core that DuckDB leaves free, at most two. DuckDB's insert is the serial step
 * (about 3 µs of one core per event: JSON extraction and compression), and one worker validates
 * faster than that, so on the 2-core machines of the import target a second worker only took cycles
 * from DuckDB (and 40–60 MB of memory): measured slower, not faster.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

/**
 * Workers while a whole file is only validated (direct-load.ts): DuckDB waits meanwhile, so one per
 * core, at most four (past that the main thread's reading keeps up no better).
 */
export function scanWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class ParsePool {
  private readonly workers: Worker[] = [];
  /** Per worker, its batches in the order sent; a worker answers in that order. */
  private readonly queues: Pending[][] = [];
  private failed: Error | null = null;

  /** `setup` goes to every worker (the id filter its workers mark, see id-repeat-filter.ts). */
  constructor(size = defaultWorkerCount(), setup: WorkerSetup = {}) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./parse-worker.js', import.meta.url), {
        workerData: setup,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB },
      });
      const queue: Pending[] = [];
      w.on('message', (reply: ParseReply | ScanReply) => queue.shift()?.resolve(reply));
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`parse worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.queues.push(queue);
    }
  }

  /** Parses one batch of whole lines; the bytes are moved to the worker, not copied. */
  parse(batch: number, bytes: Uint8Array): Promise<ParseReply> {
    return this.send({ batch, bytes }) as Promise<ParseReply>;
  }

  /** Validates one batch of whole lines without packing it (direct-load.ts). */
  scan(batch: number, bytes: Uint8Array): Promise<ScanReply> {
    return this.send({ batch, bytes, scan: true }) as Promise<ScanReply>;
  }

  private send(req: ParseRequest): Promise<ParseReply | ScanReply> {
    if (this.failed) return Promise.reject(this.failed);
    // The least busy worker takes it; replies are awaited in batch order by the caller.
    let best = 0;
    for (let i = 1; i < this.queues.length; i++) if ((this.queues[i] as Pending[]).length < (this.queues[best] as Pending[]).length) best = i;
    return new Promise<ParseReply | ScanReply>((resolve, reject) => {
      (this.queues[best] as Pending[]).push({ resolve, reject });
      const { bytes } = req;
      // TRICKY: only transfer a buffer the block starts and that nothing else uses. A Buffer from Node's
      // pool (up to 4 KB, in a shared 8 KB ArrayBuffer) sits beside unrelated data, and transferring it
      // would detach that under other code. The blocks of read-events.ts start buffers of their own.
      const own = bytes.byteOffset === 0 && (bytes.byteLength === bytes.buffer.byteLength || bytes.buffer.byteLength > Buffer.poolSize);
      (this.workers[best] as Worker).postMessage(req, own ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  private fail(err: Error): void {
    this.failed ??= new ClickrateError('CR_ERR_BAD_FILE', `the parse worker failed: ${err.message}`, {}, { cause: err });
    for (const q of this.queues) for (const p of q.splice(0)) p.reject(this.failed);
  }

  async close(): Promise<void> {
    this.failed ??= new ClickrateError('CR_ERR_BAD_FILE', 'the parse pool is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
