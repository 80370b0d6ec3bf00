// Reading records back out of one spool segment: whole lines only, in order, from a byte offset, with
// anything that is not a record set aside instead of being sent to the store.
import { open } from 'node:fs/promises';
import { makeEvent } from '../events/make-event.js';
import type { ParsedEvent } from '../events/parse-event.js';

/** A spool record: a parsed event that already has its id (the edge assigns one per request). */
export type SpoolEvent = ParsedEvent & { id: string };

export interface SegmentBatch {
  records: SpoolEvent[];
  /** Lines that did not decode to a record (only a damaged disk makes them). */
  corrupt: string[];
  /** Byte offset just past the last line read: the checkpoint once the batch is consumed. */
  end: number;
}

const READ_CHUNK = 256 * 1024;

/**
 * Reads up to `maxRecords` lines of `path` from byte `from`, never past `limit`.
 * TRICKY: `limit` must be the byte count of whole lines (the spool tracks it per segment): reading to the
 * file's current size could catch a record half-written by a concurrent append on another fd.
 */
export async function readSegment(path: string, from: number, limit: number, maxRecords: number): Promise<SegmentBatch> {
  const records: SpoolEvent[] = [];
  const corrupt: string[] = [];
  const fh = await open(path, 'r');
  try {
    let pos = from;
    let end = from;
    let carry = Buffer.alloc(0);
    while (pos < limit && records.length + corrupt.length < maxRecords) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, limit - pos));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      // A line longer than one chunk is carried over and completed by the next read.
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl >= 0 && records.length + corrupt.length < maxRecords; nl = buf.indexOf(0x0a, start)) {
        const line = buf.toString('utf8', start, nl);
        const rec = decodeRecord(line);
        if (rec) records.push(rec);
        else corrupt.push(line);
        end += nl + 1 - start;
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
    }
    return { records, corrupt, end };
  } finally {
    await fh.close();
  }
}

/** A line back into a record; null when it is not one. */
export function decodeRecord(line: string): SpoolEvent | null {
  try {
    const v: unknown = JSON.parse(line);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const r = v as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '' || typeof r.type !== 'string' || typeof r.ts !== 'number') return null;
    if (r.token !== undefined) return fromEdgeLine(r);
    return r as unknown as SpoolEvent;
  } catch {
    return null;
  }
}

/**
 * The tracking edge's short form (http/track-routes.ts edgeRecordLine): the signed token's fields
 * [kind, campaign, message, url?, link?] instead of campaign, message and url, and no null fields.
 * Expanded here, off the edge's thread, into the record makeEvent would have made.
 */
function fromEdgeLine(r: Record<string, unknown>): SpoolEvent | null {
  const t = r.token;
  if (!Array.isArray(t) || typeof t[1] !== 'string' || typeof t[2] !== 'string') return null;
  const url = r.type === 'click' && typeof t[3] === 'string' ? t[3] : null;
  const text = (x: unknown) => (typeof x === 'string' ? x : null);
  const method = r.method === 'HEAD' ? 'HEAD' : r.method === 'GET' ? 'GET' : null;
  const event = makeEvent({ id: r.id as string, type: r.type as 'click', ts: r.ts as number, campaign: t[1], message: t[2], url, ip: text(r.ip), user_agent: text(r.user_agent), method });
  return event as SpoolEvent;
}
