// How a verdict pass (store.ts VerdictPass) cuts its work into chunks, the same way on every backend:
// events hash into VERDICT_PARTS parts by message (by id without one), and runs of parts make a chunk.

/** Parts the work is hashed into: enough that runs of parts make chunks of about the wanted size. */
export const VERDICT_PARTS = 1024;

/**
 * Opens and clicks per chunk. Bounds the memory of one chunk (DuckDB builds one JSON document per message
 * of it, within the store's memory_limit, 256 MB during `import`; JavaScript holds two chunks while the
 * next is read) while keeping the number of queries small.
 */
const EVENTS_PER_CHUNK = 150_000;

export interface PartCount {
  part: number;
  n: number;
}

export interface ChunkRange {
  /** First and last part of the chunk, inclusive. */
  lo: number;
  hi: number;
  /** Opens and clicks in it. */
  n: number;
}

/**
 * Consecutive parts merged into chunks of at most `max` opens and clicks (a part larger than that is
 * a chunk of its own: a message is never split). Parts without work are skipped. The first chunk is a
 * quarter of that: the caller waits for it alone, while each later one is read during the previous one.
 */
export function planChunks(counts: readonly PartCount[], max: number = EVENTS_PER_CHUNK): ChunkRange[] {
  const sorted = counts.filter((c) => c.n > 0).sort((a, b) => a.part - b.part);
  const out: ChunkRange[] = [];
  let cur: ChunkRange | null = null;
  for (const c of sorted) {
    if (cur && cur.n + c.n <= (out.length === 1 ? Math.ceil(max / 4) : max)) {
      cur.hi = c.part;
      cur.n += c.n;
      continue;
    }
    cur = { lo: c.part, hi: c.part, n: c.n };
    out.push(cur);
  }
  return out;
}
