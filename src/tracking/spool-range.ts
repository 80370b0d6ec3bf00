// The drain's contract between the spool and whoever stores its records (the spool writer in this
// thread, or the store worker): where a batch is, and what consuming it did.
import type { DeadLetter } from './spool-read.js';

/** Whole records of one segment that a drain hands out, to be read and stored elsewhere (the store worker). */
export interface SegmentRange {
  path: string;
  /** Byte offset of the first unconsumed record. */
  from: number;
  /** Bytes of whole records in the segment: read no further (spool-read.ts readSegment). */
  limit: number;
  maxRecords: number;
  /** The segment after this one, if any: where records after the range are (witnesses, spool-isolate.ts). */
  next?: { path: string; limit: number };
  /** The writer saw this range fail again and again: look for the records the store refuses. */
  isolate?: boolean;
}

/** What consuming a SegmentRange did: how far it got (the new checkpoint) and what it set aside. */
export interface RangeConsumed {
  end: number;
  /** Records read (stored, already stored, or refused by the store). */
  records: number;
  /** Records and lines set aside, for the dead-letter files. */
  dead: DeadLetter[];
}

export interface DrainOptions {
  /** At most this many records per consumer call (default 5,000). */
  maxRecords?: number;
}
