// Test support for the spool's own tests, which need no store: one drain down the read path the store
// side uses (Spool.drainRange hands out a range, consumeRange reads it), its records given to `consume`.
import type { Spool, SpoolEvent } from '../../src/tracking/spool.js';
import { consumeRange } from '../../src/tracking/spool-ingest.js';

/** Records handed over (0: the spool is empty); if `consume` throws, nothing advances. */
export function drainRecords(spool: Spool, consume: (records: SpoolEvent[]) => Promise<void>, maxRecords?: number): Promise<number> {
  return spool.drainRange((r) => consumeRange(r, consume), { maxRecords });
}
