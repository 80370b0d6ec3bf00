// Finding the records a store refuses inside a batch it will not take: bisection down to single records,
// telling a poison record (refused while others are stored) from a store that is down (refuses everything).
import type { ClickrateError } from '../errors.js';
import type { IngestCounts } from '../store/store.js';
import type { DeadLetter, SpoolEvent } from './spool-read.js';

/** One all-or-nothing store attempt, which says how it went instead of throwing. */
export type StoreAttempt = (records: readonly SpoolEvent[]) => Promise<{ ok: true; counts: IngestCounts } | { ok: false; error: ClickrateError }>;

export interface Isolated {
  /** Summed over the pieces stored (refusals included). */
  counts: IngestCounts;
  /** Records refused alone while the store stored others, each with the store's reason. */
  poison: DeadLetter[];
}

/** Pieces of the records after the batch tried as witnesses: the whole, its halves, its quarters. */
const WITNESS_LEVELS = 3;
/** Attempts of a bisection that has stored nothing yet, before the store is judged down: pieces of 1/32. */
const BLIND_ATTEMPTS = 63;

/**
 * Stores `records` in pieces, halving every piece the store refuses, down to single records.
 * A record is poison only when it was refused twice (in the bisection and once more alone) while the
 * store stored something else, and the store stores a known-good piece right after that refusal. When no
 * piece of the batch down to 1/32 of it is stored, and no witness either (`witness()`: records after the
 * batch, stored out of order, which their ids make harmless when their turn comes), the store is down,
 * not the records at fault: the store's error is thrown for the writer's backoff, nothing set aside. The
 * pieces stored until then stay stored; the spool hands the batch over again and the store counts them
 * as duplicates.
 * Cost: one poison record among n takes about 2·log2(n) attempts; a store that is down, at most
 * 63 + 7 (pieces down to 1/32, the witnesses), each refused at once by a store that is down.
 * Limit: a batch with poison in every 1/32 of it and nothing after it waits for more records.
 */
export async function storeIsolating(attempt: StoreAttempt, records: readonly SpoolEvent[], witness: () => Promise<readonly SpoolEvent[]>): Promise<Isolated> {
  const counts: IngestCounts = { received: 0, inserted: 0, duplicates: 0 };
  // (An object, not two lets: TypeScript would not see the closure assign them.)
  const seen: { good: readonly SpoolEvent[] | null; error: ClickrateError | null } = { good: null, error: null };
  const tryPiece = async (piece: readonly SpoolEvent[], count: boolean): Promise<boolean> => {
    const r = await attempt(piece);
    if (!r.ok) {
      seen.error = r.error;
      return false;
    }
    // The smallest piece known to store: tried again at the end to show the store still works.
    if (!seen.good || piece.length < seen.good.length) seen.good = piece;
    if (count) addCounts(counts, r.counts);
    return true;
  };

  const suspects: SpoolEvent[] = [];
  let level: Array<readonly SpoolEvent[]> = [records];
  let attempts = 0;
  let witnessed = false;
  for (let depth = 0; level.length > 0; depth++) {
    const next: Array<readonly SpoolEvent[]> = [];
    for (const piece of level) {
      attempts++;
      if (await tryPiece(piece, true)) continue;
      if (piece.length === 1) suspects.push(piece[0]!);
      else next.push(...halves(piece));
    }
    level = next;
    if (seen.good !== null || (depth < 1 && level.length > 0)) continue;
    // TRICKY: a store that is down refuses the batch and both its halves, and would refuse every record
    // alone. Before that, the records after the batch are asked; failing them, the bisection goes on
    // blind (smaller pieces, more of them free of poison) only within BLIND_ATTEMPTS.
    if (!witnessed) {
      witnessed = true;
      if (await storedWitness((p) => tryPiece(p, false), await witness())) continue;
    }
    if (level.length === 0 || attempts + level.length > BLIND_ATTEMPTS) throw seen.error as ClickrateError;
  }

  const poison: DeadLetter[] = [];
  for (const record of suspects) {
    const r = await attempt([record]);
    if (r.ok) {
      addCounts(counts, r.counts);
      continue;
    }
    // TRICKY: each refusal must sit right before a success. A store that went down during the search
    // refused every piece since; it refuses the known-good piece too, and nothing is set aside.
    if (seen.good === null || !(await tryPiece(seen.good, false))) throw (seen.error ?? r.error) as ClickrateError;
    poison.push({ record, reason: r.error.message });
  }
  return { counts, poison };
}

/** True when some piece of `records` (the whole, halves, quarters) is stored. */
async function storedWitness(tryPiece: (piece: readonly SpoolEvent[]) => Promise<boolean>, records: readonly SpoolEvent[]): Promise<boolean> {
  let level: Array<readonly SpoolEvent[]> = records.length > 0 ? [records] : [];
  for (let depth = 0; depth < WITNESS_LEVELS && level.length > 0; depth++) {
    const next: Array<readonly SpoolEvent[]> = [];
    for (const piece of level) {
      if (await tryPiece(piece)) return true;
      if (piece.length > 1) next.push(...halves(piece));
    }
    level = next;
  }
  return false;
}

function halves(piece: readonly SpoolEvent[]): Array<readonly SpoolEvent[]> {
  const mid = piece.length >> 1;
  return [piece.slice(0, mid), piece.slice(mid)];
}

function addCounts(sum: IngestCounts, c: IngestCounts): void {
  sum.received += c.received;
  sum.inserted += c.inserted;
  sum.duplicates += c.duplicates;
  if (c.refused && c.refused.length > 0) {
    sum.refused ??= [];
    sum.refused.push(...c.refused);
  }
}
