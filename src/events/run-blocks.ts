// Feeds a JSON Lines file to the parse workers block by block, a few blocks ahead, and takes the replies
// in file order: the loop the streaming import and the direct lane's scan share. Bad rows are counted and
// numbered by their line in the file.
import type { BadRows } from './bad-rows.js';
import type { IdRepeatFilter } from './id-repeat-filter.js';
import { ParsePool } from './parse-pool.js';
import type { BlockReply } from './parse-worker.js';
import { readJsonLineBlocks } from './read-events.js';

export interface BlockRun<R extends BlockReply> {
  /** Parse workers to start. */
  workers: number;
  /** Blocks in the workers beyond the one awaited: keeps every worker busy, bounds memory. */
  ahead: number;
  /** Bytes per block (default: read-events.ts's 1 MB). */
  blockSize?: number;
  /** The filter the workers mark the rows' ids in (their replies' `repeats`); none: ids are not marked. */
  ids?: IdRepeatFilter;
  /** Hands one block to the pool (pool.parse or pool.scan). */
  send: (pool: ParsePool, batch: number, block: Uint8Array) => Promise<R>;
  /** Each reply in file order, once its bad rows are counted; `lines` counts the file's lines up to its end. */
  take: (reply: R, lines: number) => Promise<void> | void;
  /** Asked after every block: true stops the reading (the file is lost, or the rest need not be read). */
  stop: () => boolean;
}

/** Runs the blocks of `file` through a pool of its own; resolves with the lines taken. */
export async function runBlocks<R extends BlockReply>(file: string, bad: BadRows, run: BlockRun<R>): Promise<number> {
  const pool = new ParsePool(run.workers, { ids: run.ids?.shared });
  const ahead: Promise<R>[] = [];
  let lines = 0;
  const take = async (): Promise<void> => {
    const reply = await (ahead.shift() as Promise<R>);
    for (const e of reply.errors) bad.add(lines + e.line, e.reason);
    bad.count += reply.bad - reply.errors.length;
    lines += reply.lines;
    await run.take(reply, lines);
  };
  try {
    let batch = 0;
    for await (const block of readJsonLineBlocks(file, run.blockSize)) {
      ahead.push(run.send(pool, batch++, block));
      if (ahead.length > run.ahead) await take();
      if (bad.full || run.stop()) break;
    }
    while (ahead.length > 0 && !bad.full && !run.stop()) await take();
  } finally {
    // Blocks still in the workers are abandoned when the reading stops early; their rejection is expected.
    for (const p of ahead) p.catch(() => undefined);
    await pool.close();
  }
  return lines;
}
