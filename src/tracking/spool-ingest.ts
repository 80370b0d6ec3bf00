// Stores one range of a spool segment in one all-or-nothing ingest: what the spool writer does per batch,
// in the edge's thread (tests, embedded use) or in the store worker (serve), from the same code.
import { ClickrateError, isClickrateError } from '../errors.js';
import type { IngestCounts, IngestEvent, Store } from '../store/store.js';
import type { RangeConsumed, SegmentRange } from './spool.js';
import { readSegment, type SpoolEvent } from './spool-read.js';

export interface RangeStored extends RangeConsumed {
  counts: IngestCounts;
}

/** How a writer stores a range: `ingestRange(store, …)` here, or the store worker doing the same. */
export type RangeIngest = (range: SegmentRange) => Promise<RangeStored>;

const NONE: IngestCounts = { received: 0, inserted: 0, duplicates: 0 };

/**
 * Reads the range and stores its records in one transaction: all of it lands or none does, so the spool
 * checkpoint (advanced only when this resolves) never skips a record. TRICKY: the commit can land and the
 * process die before the checkpoint is written; the replay is harmless because every spool record has an
 * id and the store skips ids it holds (counted as duplicates).
 */
export async function ingestRange(store: Store, range: SegmentRange): Promise<RangeStored> {
  let counts = NONE;
  const consumed = await consumeRange(range, async (records) => {
    counts = await storeRecords(store, records);
  });
  return { ...consumed, counts };
}

/** Reads the range and hands its records, if any, to `consume`; says how far the range went (Spool.drainRange). */
export async function consumeRange(range: SegmentRange, consume: (records: SpoolEvent[]) => Promise<void>): Promise<RangeConsumed> {
  const batch = await readSegment(range.path, range.from, range.limit, range.maxRecords);
  if (batch.records.length > 0) await consume(batch.records);
  return { end: batch.end, records: batch.records.length, corrupt: batch.corrupt };
}

async function storeRecords(store: Store, records: readonly SpoolEvent[]): Promise<IngestCounts> {
  const events: IngestEvent[] = records.map((r) => ({ ...r, digest: null }));
  try {
    const session = await store.beginIngest();
    try {
      await session.append(events);
      return await session.commit();
    } catch (err) {
      await session.abort().catch(() => undefined);
      throw err;
    }
  } catch (err) {
    throw isClickrateError(err) ? err : new ClickrateError('CR_ERR_STORE', `writing spooled events to the store failed: ${(err as Error).message}`, {}, { cause: err });
  }
}
