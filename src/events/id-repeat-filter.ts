// Finds the few ids of one import that may occur twice, in bounded memory, so that proving "no id
// repeats" costs a lookup of those few at commit instead of a hash of every id (seconds at 10M events).
// The filter lives in shared memory: the parse workers mark the ids they validate themselves, so only the
// few candidates travel between threads (sending every id to the main thread cost it ~0.5 µs an id).

/** Bits per expected id: at 10M ids in the largest filter, about 0.36% are false candidates (measured). */
const BITS_PER_ID = 13;
/** Bits marked per id, all in one 32-bit word (see sighted). 5 gave the fewest false candidates of 3–6. */
const BITS_PER_KEY = 5;
const MIN_BITS = 1 << 16;
/** 16 MB, well inside the import's memory bound. */
const MAX_BITS = 1 << 27;
/** Past this many candidates the filter gives up and the caller checks every id instead. */
const MAX_CANDIDATES = 100_000;
/** Cell 0 holds the given-up flag; the filter's words follow. */
const HEAD = 1;

/**
 * Marks `id` in a filter's shared cells; true when it was (probably) marked already. Any thread may call
 * it at any time.
 *
 * TRICKY: a blocked Bloom filter, one word per id, is what makes sharing it safe. All of an id's bits are
 * set by one atomic OR, so of two sightings of one id, on any threads, the later one always sees every
 * bit set: a true repeat is never missed. With the bits spread over several words (a classic Bloom
 * filter), two threads could each find one of the words fresh and both call the id new.
 */
export function sighted(cells: Int32Array, id: string): boolean {
  // Two FNV-1a hashes with different primes in one pass, each finished by murmur3's fmix32 (FNV alone
  // mixes its low bits poorly, and the word is picked by low bits).
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = fmix32(a);
  b = fmix32(b);
  let mask = 0;
  for (let k = 0; k < BITS_PER_KEY; k++) mask |= 1 << ((b >>> (5 * k)) & 31);
  // The word count is a power of two.
  const word = HEAD + ((a >>> 0) & (cells.length - HEAD - 1));
  return (Atomics.or(cells, word, mask) & mask) === mask;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** True once the filter's owner gave up on it: marking more ids is wasted work. */
export function givenUp(cells: Int32Array): boolean {
  return Atomics.load(cells, 0) !== 0;
}

/**
 * The filter of one import, owned by the main thread, and the ids it (probably) saw twice: the
 * candidates. Workers mark ids through `cells` (sighted) and report the ones already marked, which
 * `suspect` collects. Most candidates are false alarms, which the caller clears by looking only them up
 * (SELECT … WHERE id IN candidates).
 */
export class IdRepeatFilter {
  /** The filter's memory, to hand to the workers (a SharedArrayBuffer is shared, not copied). */
  readonly shared: SharedArrayBuffer;
  private readonly cells: Int32Array;
  private readonly found = new Set<string>();

  /** `expectedIds` sizes the filter; more ids only raise the false-candidate rate. */
  constructor(expectedIds: number) {
    let bits = MIN_BITS;
    while (bits < expectedIds * BITS_PER_ID && bits < MAX_BITS) bits *= 2;
    this.shared = new SharedArrayBuffer((HEAD + bits / 32) * 4);
    this.cells = new Int32Array(this.shared);
  }

  /** Marks one id on this thread. */
  see(id: string): void {
    if (!this.overflowed && sighted(this.cells, id)) this.suspect([id]);
  }

  /** Ids a worker found marked already. */
  suspect(ids: readonly string[]): void {
    if (this.overflowed) return;
    for (const id of ids) this.found.add(id);
    if (this.found.size >= MAX_CANDIDATES) {
      // The filter is too small for this file, or the file repeats a great many ids: either way a full
      // check is now cheaper than a huge candidate list (and keeps memory bounded). The workers see the
      // flag and stop hashing (85M ids of a 100M-event file would buy nothing).
      Atomics.store(this.cells, 0, 1);
      this.found.clear();
    }
  }

  /** Ids that may repeat; empty means none does. Meaningless once `overflowed`. */
  get candidates(): readonly string[] {
    return [...this.found];
  }

  /** True when the candidates were given up on: every id must be checked. */
  get overflowed(): boolean {
    return givenUp(this.cells);
  }
}
