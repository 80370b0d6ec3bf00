// Streams raw records out of an event file (JSON Lines or CSV) with the line each one starts on, in
// bounded memory: nothing here holds more than the current record.
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { ClickrateError } from '../errors.js';
import { EVENT_FIELDS } from './event.js';

export type EventFileFormat = 'jsonl' | 'csv';

/** One record of a file: either an object to validate, or a reason it could not even be read. */
export type RawRecord = { line: number; value: Record<string, unknown>; text?: string } | { line: number; error: string };

export function formatOf(path: string): EventFileFormat {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson') || p.endsWith('.json')) return 'jsonl';
  throw new ClickrateError('CR_ERR_BAD_FILE', `${path}: unknown file type; name it .jsonl, .ndjson or .csv (optionally .gz)`, { file: path });
}

function open(path: string): Readable {
  // 1 MB reads, the size of a parse block: the default 64 KB meant sixteen reads and concatenations per block.
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  return path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
}

/**
 * Splits a byte stream into lines chunk by chunk. Faster than node:readline, whose per-line events
 * and async iteration cost more than parsing the JSON on them.
 */
async function* lines(input: Readable): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    yield parts;
  }
  const last = rest + decoder.end();
  if (last !== '') yield [last];
}

/**
 * Cuts a byte stream into blocks of whole lines of about `size` bytes, each in its own memory (so it
 * can be moved to a worker thread). Splitting on the byte 0x0A is safe in UTF-8: it never occurs
 * inside a multi-byte character.
 */
async function* lineBlocks(input: Readable, size = 1 << 20): AsyncGenerator<Uint8Array> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    parts.push(chunk);
    held += chunk.length;
    if (held < size) continue;
    const all = Buffer.concat(parts, held);
    const end = all.lastIndexOf(10) + 1;
    if (end === 0) continue; // one line longer than a block: keep reading until it ends
    yield own(all.subarray(0, end));
    parts = end < all.length ? [all.subarray(end)] : [];
    held = all.length - end;
  }
  if (held > 0) yield own(Buffer.concat(parts, held));
}

/** A copy that owns its ArrayBuffer (Buffer.concat may hand out a slice of Node's shared pool). */
function own(b: Buffer): Uint8Array {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

export async function* readJsonLines(input: Readable): AsyncGenerator<RawRecord> {
  let line = 0;
  for await (const batch of lines(input)) {
    for (const raw of batch) {
      line++;
      let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      // A byte order mark opens the file only (as the parse workers and the CSV reader accept it).
      if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        yield { line, error: `not valid JSON (${(err as Error).message})` };
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) yield { line, error: 'each line must be one JSON object' };
      else yield { line, value: value as Record<string, unknown>, text };
    }
  }
}

export async function* readCsv(input: Readable): AsyncGenerator<RawRecord> {
  const known = new Set<string>(EVENT_FIELDS);
  const parser = input.pipe(
    parseCsv({
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      columns: (header: string[]) => {
        const unknown = header.filter((h) => !known.has(h));
        if (unknown.length > 0) {
          throw new ClickrateError(
            'CR_ERR_BAD_FILE',
            `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; columns are ${EVENT_FIELDS.join(', ')}`,
          );
        }
        if (!header.includes('type') || !header.includes('ts')) {
          throw new ClickrateError('CR_ERR_BAD_FILE', `the header must name at least the columns type and ts`);
        }
        return header;
      },
    }),
  );
  let lastLine = 1;
  let crlfInside = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      // csv-parse reports the line a record ends on; a record with quoted line breaks starts earlier.
      // TRICKY: it counts a CRLF inside a quoted field as two lines, and keeps that excess in every
      // later record's count, so the excess is tracked and taken off to name the right line.
      let breaks = 0;
      for (const v of Object.values(rec.record)) {
        if (!v) continue;
        const crlf = v.split('\r\n').length - 1;
        crlfInside += crlf;
        breaks += (v.match(/\r\n|\r|\n/g) ?? []).length;
      }
      lastLine = rec.info.lines - crlfInside;
      yield { line: lastLine - breaks, value: rec.record };
    }
  } catch (err) {
    // A header problem (thrown by the columns callback above) is on line 1.
    if (err instanceof ClickrateError) {
      yield { line: 1, error: err.message };
      return;
    }
    const e = err as Error & { lines?: number };
    yield { line: e.lines ?? lastLine + 1, error: `malformed CSV (${e.message})` };
  }
}

/**
 * Reads a plain file as blocks of whole lines of about `size` bytes straight into memory of their own:
 * each block is the start of an ArrayBuffer nobody else holds (a little longer than the block), so it
 * moves to a worker as is. Half the copying of a stream (its chunks, then their concatenation, then a
 * copy to own the result) on the main thread, which feeds every worker.
 */
async function* fileLineBlocks(path: string, size = 1 << 20): AsyncGenerator<Uint8Array> {
  const fh = await openFile(path, 'r');
  try {
    let carry = new Uint8Array(0);
    for (;;) {
      // A line longer than a block doubles the next buffer until it ends.
      const buf = new Uint8Array(Math.max(size, carry.length * 2));
      buf.set(carry);
      const { bytesRead } = await fh.read(buf, carry.length, buf.length - carry.length, null);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield buf.subarray(0, filled);
        return;
      }
      const end = buf.lastIndexOf(10, filled - 1) + 1;
      // The partial last line is copied out, so the block's buffer stays the block's alone.
      carry = buf.slice(end, filled);
      if (end > 0) yield buf.subarray(0, end);
    }
  } finally {
    await fh.close();
  }
}

/** Opens a JSON Lines file (optionally .gz) as blocks of whole lines, for the parse workers. */
export function readJsonLineBlocks(path: string, size?: number): AsyncGenerator<Uint8Array> {
  return path.toLowerCase().endsWith('.gz') ? lineBlocks(open(path), size) : fileLineBlocks(path, size);
}

/** Opens a file and yields its records; the format comes from the extension. */
export function readEventFile(path: string): AsyncGenerator<RawRecord> {
  const format = formatOf(path);
  const input = open(path);
  return format === 'csv' ? readCsv(input) : readJsonLines(input);
}
