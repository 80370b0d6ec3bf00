// Test support for the spool's own tests, which need no store: one drain down the read path the store
// side uses (Spool.drainRange hands out a range, readSegment reads it), its records given to `consume`.
import type { Spool, SpoolEvent } from './spool.js';
import { readSegment } from './spool-read.js';

/** Records handed over (0: the spool is empty); if `consume` throws, nothing advances. */
export function drainRecords(spool: Spool, consume: (records: SpoolEvent[]) => Promise<void>, maxRecords?: number): Promise<number> {
  return spool.drainRange(
    async (r) => {
      const batch = await readSegment(r.path, r.from, r.limit, r.maxRecords);
      if (batch.records.length > 0) await consume(batch.records);
      return { end: batch.end, records: batch.records.length, corrupt: batch.corrupt };
    },
    { maxRecords },
  );
}
