// Types for the `bloomfilter` package (it ships none): only the part clickrate uses.
declare module 'bloomfilter' {
  export class BloomFilter {
    /** `m` bits (rounded up to a multiple of 32), `k` hash functions. */
    constructor(m: number, k: number);
    readonly m: number;
    readonly k: number;
    /** The bit array, 32 bits per entry (public: the package's README serializes it). */
    readonly buckets: Uint32Array;
    /** The k bit positions of `v`, in an array the filter reuses on the next call. */
    locations(v: string): ArrayLike<number>;
    add(v: string): void;
    test(v: string): boolean;
  }
}
