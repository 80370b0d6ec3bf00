// Reading records back out of one spool segment: whole lines only, in order, from a byte offset, with
// anything that is not a record the store can hold set aside (as a dead letter) instead of being sent.
import { open } from 'node:fs/promises';
import { makeEvent } from '../events/make-event.js';
import type { ParsedEvent } from '../events/parse-event.js';

/** A spool record: a parsed event that already has its id (the edge assigns one per request). */
export type SpoolEvent = ParsedEvent & { id: string };

/** One record (or unreadable line) set aside, and why (spool-dead-letter.ts writes them). Plain data: it crosses from the store worker. */
export interface DeadLetter {
  reason: string;
  /** The record as the spool held it, when the line decoded to one. */
  record?: SpoolEvent;
  /** The line as it was, when it did not. */
  line?: string;
}

export interface SegmentBatch {
  records: SpoolEvent[];
  /** Lines that are not records, or records no store can hold, each with its reason. */
  dead: DeadLetter[];
  /** Byte offset just past the last line read: the checkpoint once the batch is consumed. */
  end: number;
}

/** One line read: a record, or the reason it is set aside (with the record when it decoded to one). */
export type LineRead = { record: SpoolEvent; reason?: undefined } | { reason: string; record?: SpoolEvent };

const READ_CHUNK = 256 * 1024;

/**
 * Reads up to `maxRecords` lines of `path` from byte `from`, never past `limit`.
 * TRICKY: `limit` must be the byte count of whole lines (the spool tracks it per segment): reading to the
 * file's current size could catch a record half-written by a concurrent append on another fd.
 */
export async function readSegment(path: string, from: number, limit: number, maxRecords: number): Promise<SegmentBatch> {
  const records: SpoolEvent[] = [];
  const dead: DeadLetter[] = [];
  const fh = await open(path, 'r');
  try {
    let pos = from;
    let end = from;
    let carry = Buffer.alloc(0);
    while (pos < limit && records.length + dead.length < maxRecords) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, limit - pos));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      // A line longer than one chunk is carried over and completed by the next read.
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl >= 0 && records.length + dead.length < maxRecords; nl = buf.indexOf(0x0a, start)) {
        const line = buf.toString('utf8', start, nl);
        const read = readRecord(line);
        if (read.reason === undefined) records.push(read.record);
        else dead.push(read.record ? { reason: read.reason, record: read.record } : { reason: read.reason, line });
        end += nl + 1 - start;
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
    }
    return { records, dead, end };
  } finally {
    await fh.close();
  }
}

/** A line back into a record; null when it is not one, or is one no store can hold (see readRecord). */
export function decodeRecord(line: string): SpoolEvent | null {
  const read = readRecord(line);
  return read.reason === undefined ? read.record : null;
}

/** A line back into a record, or the reason it cannot go to the store. Never throws. */
export function readRecord(line: string): LineRead {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return { reason: `not a spool record: unreadable JSON (${(err as Error).message})` };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { reason: 'not a spool record: not a JSON object' };
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '' || typeof r.type !== 'string' || typeof r.ts !== 'number') {
    return { reason: 'not a spool record: it needs a string id and type and a numeric ts' };
  }
  const record = r.token !== undefined ? fromEdgeLine(r) : (r as unknown as SpoolEvent);
  if (!record) return { reason: 'not a spool record: its token fields are not [kind, campaign, message, …]' };
  // TRICKY: raw lone surrogates cannot reach the file (UTF-8 has no encoding for them), so they come only
  // from JSON's \uD800-style escapes; a line without any `\u` escape needs no look at its fields.
  if (line.includes('\\u')) {
    const field = illFormedField(record);
    if (field) return { reason: `${field}: ill-formed Unicode (a lone surrogate), which the store cannot hold`, record };
  }
  return { record };
}

/** Lone surrogates: with the u flag, a surrogate pair is one code point and does not match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function illFormedField(record: SpoolEvent): string | null {
  for (const [k, v] of Object.entries(record)) if (typeof v === 'string' && LONE_SURROGATE.test(v)) return k;
  return null;
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
  const event = makeEvent({
    id: r.id as string,
    type: r.type as 'click',
    ts: r.ts as number,
    campaign: t[1],
    message: t[2],
    url,
    ip: text(r.ip),
    user_agent: text(r.user_agent),
    method,
  });
  return event as SpoolEvent;
}
