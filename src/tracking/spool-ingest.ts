// Stores one range of a spool segment: what the spool writer does per batch, in the edge's thread (tests,
// embedded use) or in the store worker (serve), from the same code. Normally one all-or-nothing ingest;
// after repeated failures, a search for the records the store refuses (spool-isolate.ts).
import { ClickrateError, isClickrateError } from '../errors.js';
import type { IngestCounts, IngestEvent, Store } from '../store/store.js';
import type { RangeConsumed, SegmentRange } from './spool.js';
import { storeIsolating } from './spool-isolate.js';
import { type DeadLetter, readSegment, type SpoolEvent } from './spool-read.js';

export interface RangeStored extends RangeConsumed {
  counts: IngestCounts;
}

/** How a writer stores a range: `ingestRange(store, …)` here, or the store worker doing the same. */
export type RangeIngest = (range: SegmentRange) => Promise<RangeStored>;

/** Records after a batch tried as witnesses that the store works (spool-isolate.ts). */
const WITNESS_RECORDS = 64;

/**
 * Reads the range and stores its records in one transaction: all of it lands or none does, so the spool
 * checkpoint (advanced only when this resolves) never skips a record. TRICKY: the commit can land and the
 * process die before the checkpoint is written; the replay is harmless because every spool record has an
 * id and the store skips ids it holds (counted as duplicates).
 * With `range.isolate` (the writer saw this batch fail again and again) the records are stored in pieces
 * and those the store refuses alone come back as dead letters, as do the records it refused at commit
 * (`counts.refused`) and the lines that were not records.
 */
export async function ingestRange(store: Store, range: SegmentRange): Promise<RangeStored> {
  const batch = await readSegment(range.path, range.from, range.limit, range.maxRecords);
  const dead = batch.dead;
  let counts: IngestCounts = { received: 0, inserted: 0, duplicates: 0 };
  if (batch.records.length > 0) {
    if (range.isolate) {
      const isolated = await storeIsolating(
        (records) => attemptStore(store, records),
        batch.records,
        () => readWitness(range, batch.end),
      );
      counts = isolated.counts;
      dead.push(...isolated.poison);
    } else {
      counts = await storeRecords(store, batch.records);
    }
    dead.push(...refusedLetters(batch.records, counts));
  }
  return { end: batch.end, records: batch.records.length, dead, counts };
}

/** Reads the range and hands its records, if any, to `consume`; says how far the range went (Spool.drainRange). */
export async function consumeRange(range: SegmentRange, consume: (records: SpoolEvent[]) => Promise<void>): Promise<RangeConsumed> {
  const batch = await readSegment(range.path, range.from, range.limit, range.maxRecords);
  if (batch.records.length > 0) await consume(batch.records);
  return { end: batch.end, records: batch.records.length, dead: batch.dead };
}

/** The first records after the batch: later in its segment, else at the head of the next one. */
async function readWitness(range: SegmentRange, end: number): Promise<SpoolEvent[]> {
  if (end < range.limit) return (await readSegment(range.path, end, range.limit, WITNESS_RECORDS)).records;
  if (range.next && range.next.limit > 0) return (await readSegment(range.next.path, 0, range.next.limit, WITNESS_RECORDS)).records;
  return [];
}

/** The records the store refused at commit (named by id), as dead letters with its reasons. */
function refusedLetters(records: readonly SpoolEvent[], counts: IngestCounts): DeadLetter[] {
  if (!counts.refused || counts.refused.length === 0) return [];
  const byId = new Map(records.map((r) => [r.id, r]));
  return counts.refused.map(({ id, reason }) => {
    const record = byId.get(id);
    return record ? { record, reason } : { reason, line: JSON.stringify({ id }) };
  });
}

async function attemptStore(store: Store, records: readonly SpoolEvent[]): Promise<{ ok: true; counts: IngestCounts } | { ok: false; error: ClickrateError }> {
  try {
    return { ok: true, counts: await storeRecords(store, records) };
  } catch (err) {
    return { ok: false, error: err as ClickrateError };
  }
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
    throw isClickrateError(err)
      ? err
      : new ClickrateError('CR_ERR_STORE', `writing spooled events to the store failed: ${(err as Error).message}`, {}, { cause: err });
  }
}
