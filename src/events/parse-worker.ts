// Worker thread body: parses and validates one batch of whole JSON Lines (bytes) with the same
// checks every input path uses (parse-event.ts), and packs the valid rows as documents (see packed-docs.ts).
import { parentPort } from 'node:worker_threads';
import { contentDigest } from './event-id.js';
import { holdsLoneSurrogate, textNamesEachKeyOnce, type PackedDocs } from './packed-docs.js';
import { checkEvent, coerceNumbers, normalize } from './parse-event.js';

export interface ParseRequest {
  batch: number;
  bytes: Uint8Array;
}

export interface ParseReply extends PackedDocs {
  batch: number;
  /** Lines in the batch (blank ones included), to number the lines of later batches. */
  lines: number;
  /** Bad rows in the batch; only the first few are described in `errors`. */
  bad: number;
  errors: { line: number; reason: string }[];
}

const MAX_ERRORS = 20;
const decoder = new TextDecoder('utf-8');

export function parseBatch(req: ParseRequest): ParseReply {
  const text = decoder.decode(req.bytes);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const ts: number[] = [];
  const ids: string[] = [];
  const given: string[] = [];
  const errors: ParseReply['errors'] = [];
  let bad = 0;
  let blank = false;
  // Rows whose own text DuckDB must not read (see packed-docs.ts), by index, with the text to use.
  let rewritten: Map<number, string> | null = null;
  // `h:` ordinals within this batch; a digest repeated in another batch makes the same id there,
  // which the fast path's commit check sees as a repeat and hands to the exact path.
  const ordinals = new Map<string, number>();
  const fail = (line: number, reason: string) => {
    bad++;
    if (errors.length < MAX_ERRORS) errors.push({ line, reason });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    let value: unknown;
    try {
      value = JSON.parse(line); // JSON allows the \r of a CRLF line as whitespace, and so does DuckDB
    } catch (err) {
      if (line.trim() === '') {
        blank = true;
        continue;
      }
      fail(i + 1, `not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      fail(i + 1, 'each line must be one JSON object');
      continue;
    }
    const parsed = value as Record<string, unknown>;
    const input = coerceNumbers(parsed);
    const checked = checkEvent(input);
    if (!checked.ok) {
      fail(i + 1, checked.reason);
      continue;
    }
    if (holdsLoneSurrogate(line, parsed)) {
      fail(i + 1, 'a string holds half of a UTF-16 surrogate pair (a lone \\uD800-\\uDFFF escape), which is not text');
      continue;
    }
    if (bad > 0) continue; // the file is lost already; only bad rows still matter
    if (input !== parsed || !textNamesEachKeyOnce(line, Object.keys(parsed).length)) (rewritten ??= new Map()).set(i, JSON.stringify(input));
    ts.push(checked.ts);
    if (checked.input.id !== undefined) {
      ids.push('');
      given.push(checked.input.id);
      continue;
    }
    const digest = contentDigest(normalize(checked.input, checked.ts));
    const n = (ordinals.get(digest) ?? 0) + 1;
    ordinals.set(digest, n);
    ids.push(`h:${digest}:${n}`);
  }
  const none = new Uint8Array(0);
  if (bad > 0 || ts.length === 0) return { batch: req.batch, lines: lines.length, count: 0, docs: none, ts: '', ids: '', bad, errors };
  // TRICKY: the documents are the block's own bytes, sent back without a copy, not a string built per
  // row (that alone cost a fifth of the parse time). Blank lines, rewritten rows and bytes that are
  // not UTF-8 (read as U+FFFD, as validated) are rare and force a rebuild from the text.
  let docs: Uint8Array;
  if (blank || rewritten !== null || text.includes('\uFFFD')) {
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() !== '') kept.push(rewritten?.get(i) ?? line);
    }
    docs = Buffer.from(kept.join('\n'));
  } else {
    docs = req.bytes.at(-1) === 10 ? req.bytes.subarray(0, -1) : req.bytes;
  }
  return { batch: req.batch, lines: lines.length, count: ts.length, docs, ts: ts.join(','), ids: ids.join(','), given: JSON.stringify(given), bad, errors };
}

parentPort?.on('message', (req: ParseRequest) => {
  const reply = parseBatch(req);
  // The request's buffer is this thread's own (moved or cloned here), so it can move back; a rebuilt
  // one may sit in Buffer's shared pool and is copied instead.
  parentPort?.postMessage(reply, reply.docs.buffer === req.bytes.buffer ? [req.bytes.buffer as ArrayBuffer] : []);
});
