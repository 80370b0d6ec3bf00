// Validates a whole JSON Lines file on every core and stores nothing: the first half of the direct lane
// (direct-load.ts). It finds the bad rows by line, the totals the store's own read must match, the ids that
// may repeat (the workers mark every id in a shared filter), and whether the store may read the file itself.
import { stat } from 'node:fs/promises';
import { BadRows } from './bad-rows.js';
import { identityOf, MAX_SAMPLES, type LoadCheck } from './direct-load.js';
import { IdRepeatFilter } from './id-repeat-filter.js';
import { scanWorkerCount } from './parse-pool.js';
import type { ParsedEvent } from './parse-event.js';
import type { ScanReply } from './parse-worker.js';
import { runBlocks } from './run-blocks.js';

/** How far an import has come: lines read so far, and whether it is committing (for a progress line). */
export interface ImportProgress {
  lines: number;
  committing: boolean;
}

/** Blocks in the workers ahead of the one being counted: keeps every worker busy, bounds memory. */
const AHEAD = 4;

export type ScanResult =
  /** Every row valid and readable by the store as validated. */
  | { direct: true; lines: number; check: LoadCheck; filter: IdRepeatFilter }
  /** A row the store would read differently (no id, a `ts` form it reads otherwise, a repeated key…): the rest was not scanned. */
  | { direct: false };

export interface ScanOptions {
  workers?: number;
  /** Sizes the repeat check's filter (see IdRepeatFilter). */
  expectedRows: number;
  /** Bytes per block handed to a worker (default: read-events.ts's 1 MB); small in tests. */
  blockSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/** Throws CR_ERR_BAD_FILE naming the bad rows by line, as the streaming import does. */
export async function scanFile(file: string, opts: ScanOptions): Promise<ScanResult> {
  const before = await stat(file);
  const bad = new BadRows(file);
  const filter = new IdRepeatFilter(opts.expectedRows);
  let rows = 0;
  let tsSum = 0n;
  let direct = true;
  const sample: ParsedEvent[] = [];
  // One block in `stride` gives its first row, the stride doubling (and the kept samples thinning to
  // match) whenever MAX_SAMPLES are held: samples stay spread over the whole file, however long.
  let stride = 1;
  let blocks = 0;
  const lines = await runBlocks<ScanReply>(file, bad, {
    workers: opts.workers ?? scanWorkerCount(),
    ahead: AHEAD,
    blockSize: opts.blockSize,
    ids: filter,
    send: (pool, batch, block) => pool.scan(batch, block),
    take: (reply, lines) => {
      if (reply.sample !== null && blocks++ % stride === 0) {
        sample.push(reply.sample);
        if (sample.length >= MAX_SAMPLES) {
          stride *= 2;
          for (let i = 0; i < sample.length / 2; i++) sample[i] = sample[2 * i] as ParsedEvent;
          sample.length = Math.ceil(sample.length / 2);
        }
      }
      direct &&= reply.direct;
      if (bad.count === 0 && direct) {
        rows += reply.rows;
        tsSum += BigInt(reply.tsSum);
        filter.suspect(reply.repeats);
      }
      opts.onProgress?.({ lines, committing: false });
    },
    stop: () => !direct,
  });
  // A scan that stopped early leaves the bad rows to the streaming import, which lists them all.
  if (!direct) return { direct: false };
  bad.throwIfAny();
  return { direct: true, lines, check: { rows, tsSum, file: identityOf(before), sample }, filter };
}
