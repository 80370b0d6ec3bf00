// Finds the few ids of one import that may occur twice, in bounded memory, so that proving "no id
// repeats" costs a lookup of those few at commit instead of a hash of every id (seconds at 10M events).
import { BloomFilter } from 'bloomfilter';

/** Bits per expected id: with 7 hashes, about 1% of ids are false candidates when the filter is full. */
const BITS_PER_ID = 10;
const HASHES = 7;
const MIN_BITS = 1 << 16;
/** 16 MB: keeps false candidates near 0.2% at 10M ids, well inside the import's memory bound. */
const MAX_BITS = 1 << 27;
/** Past this many candidates the filter gives up and the caller checks every id instead. */
const MAX_CANDIDATES = 100_000;

/**
 * A Bloom filter over every id seen, and the ids it had (probably) seen already: the candidates. An
 * id that truly repeats is always a candidate on its second sighting; most candidates are false
 * alarms, which the caller clears by looking only them up (SELECT … WHERE id IN candidates).
 */
export class IdRepeatFilter {
  private readonly bloom: BloomFilter;
  private readonly found = new Set<string>();
  private over = false;
  private seen = 0;

  /** `expectedIds` sizes the filter; more ids only raise the false-candidate rate. */
  constructor(expectedIds: number) {
    let bits = MIN_BITS;
    while (bits < expectedIds * BITS_PER_ID && bits < MAX_BITS) bits *= 2;
    this.bloom = new BloomFilter(bits, HASHES);
  }

  see(id: string): void {
    this.seen++;
    // Given up: the caller checks every id anyway, so hashing the rest (85M ids of a 100M-event file) buys nothing.
    if (this.over) return;
    if (this.testAndAdd(id)) return;
    if (this.found.size >= MAX_CANDIDATES) {
      // The filter is too small for this file, or the file repeats a great many ids: either way a
      // full check is now cheaper than a huge candidate list (and keeps memory bounded).
      this.over = true;
      this.found.clear();
      return;
    }
    this.found.add(id);
  }

  /**
   * Adds the id; true when it was new. One hashing instead of the two that test() then add() cost
   * (this runs once per imported row), through the filter's public `locations` and `buckets`.
   */
  private testAndAdd(id: string): boolean {
    const at = this.bloom.locations(id);
    const buckets = this.bloom.buckets;
    let fresh = false;
    for (let i = 0; i < this.bloom.k; i++) {
      const bit = at[i] as number;
      const mask = 1 << (bit & 31);
      const word = bit >>> 5;
      if (((buckets[word] as number) & mask) === 0) {
        fresh = true;
        buckets[word] = (buckets[word] as number) | mask;
      }
    }
    return fresh;
  }

  /** Ids that may repeat; empty means none does. Meaningless once `overflowed`. */
  get candidates(): readonly string[] {
    return [...this.found];
  }

  /** True when the candidates were given up on: every id must be checked. */
  get overflowed(): boolean {
    return this.over;
  }

  get count(): number {
    return this.seen;
  }
}
