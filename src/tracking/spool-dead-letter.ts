// The spool's dead letters: records the store refused, or lines that did not read back as records, set
// aside beside the segments so one bad record never stalls the drain, and nothing answered is lost unseen.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_FIELDS } from '../events/event.js';
import { spoolError } from './spool-files.js';
import type { DeadLetter, SpoolEvent } from './spool-read.js';

export type { DeadLetter } from './spool-read.js';

/**
 * Two append-only files (mode 0600) in the spool directory:
 *   dead-letter.jsonl          the records, one event per line in the import format (SPEC.md "Events": ISO
 *                              `ts`, absent fields left out), so `clickrate import <spool>/dead-letter.jsonl`
 *                              replays them once the cause is fixed (ids make a second replay harmless)
 *   dead-letter.reasons.jsonl  one line per record set aside: {"at", "id", "reason"}, and "line" (the text
 *                              as the spool held it) for what cannot be written as an event: a line that
 *                              did not decode, or a record whose `ts` is no instant
 * TRICKY: the importer refuses unknown fields, so the reason cannot ride in the event's line; the id
 * joins the two files.
 */
const DEAD_LETTER_FILE = 'dead-letter.jsonl';
const DEAD_LETTER_REASONS_FILE = 'dead-letter.reasons.jsonl';

/** Told each time records are set aside (serve logs it). */
export type DeadLetterListener = (letters: readonly DeadLetter[], file: string) => void;

export interface DeadLetterStats {
  /** Records set aside since open (unreadable lines included). */
  deadLettered: number;
  deadLetterFile: string;
  lastDeadLetterReason: string | null;
}

/** Reasons are kept whole enough to act on; a store's message can quote a whole record. */
const MAX_REASON = 1000;

/** The reason's first line, bounded: DuckDB appends the SQL it was running on the lines after. */
function shortReason(reason: string): string {
  const nl = reason.indexOf('\n');
  const first = nl === -1 ? reason : reason.slice(0, nl);
  return first.length > MAX_REASON ? `${first.slice(0, MAX_REASON)}…` : first;
}

export class DeadLetterFile {
  readonly path: string;
  readonly reasonsPath: string;
  /** Of the letters since open, those that were no record at all (a damaged disk, a torn write). */
  unreadable = 0;
  listener: DeadLetterListener | null = null;
  private count = 0;
  private lastReason: string | null = null;

  constructor(dir: string) {
    this.path = join(dir, DEAD_LETTER_FILE);
    this.reasonsPath = join(dir, DEAD_LETTER_REASONS_FILE);
  }

  /**
   * Appends the letters to both files and fsyncs them. The spool calls this before it checkpoints past
   * the letters' records: should it throw, nothing advances and the batch comes again. A crash between
   * this and the checkpoint writes the same letters twice, which a replay by id absorbs. Throws CR_ERR_SPOOL.
   */
  async append(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const at = new Date().toISOString();
    let events = '';
    let reasons = '';
    for (const l of letters) {
      const event = l.record ? importLine(l.record) : null;
      if (event !== null) events += `${event}\n`;
      const reason = shortReason(l.reason);
      const kept = event !== null ? {} : { line: l.line ?? safeStringify(l.record) };
      reasons += `${JSON.stringify({ at, id: l.record?.id ?? null, reason, ...kept })}\n`;
    }
    try {
      if (events) await appendSynced(this.path, events);
      await appendSynced(this.reasonsPath, reasons);
    } catch (err) {
      throw spoolError(`cannot write the spool's dead letters to ${this.path}`, { path: this.path }, err);
    }
    this.count += letters.length;
    this.unreadable += letters.filter((l) => !l.record).length;
    this.lastReason = shortReason(letters[letters.length - 1]!.reason);
    // The letters are on disk: a listener that throws must not fail the drain, which would write them again.
    try {
      this.listener?.(letters, this.path);
    } catch {
      // Telling is best effort; the letters and their count stand.
    }
  }

  stats(): DeadLetterStats {
    return { deadLettered: this.count, deadLetterFile: this.path, lastDeadLetterReason: this.lastReason };
  }
}

/**
 * A spool record as a line `clickrate import` takes, or null when it cannot be one (a `ts` that is not a
 * whole millisecond of the years 0000-9999). Other fields go as they are: a value the store refused is refused
 * again by the import until someone fixes the line, which is the point.
 */
export function importLine(r: SpoolEvent): string | null {
  if (!Number.isSafeInteger(r.ts)) return null;
  let ts: string;
  try {
    ts = new Date(r.ts).toISOString();
  } catch {
    return null; // RangeError: past ±8.64e15 ms
  }
  // The import takes years 0000-9999 only (SPEC.md: ISO 8601), not the ±YYYYYY toISOString writes beyond.
  if (ts.length !== 24) return null;
  const out: Record<string, unknown> = {};
  const fields = r as unknown as Record<string, unknown>;
  for (const f of EVENT_FIELDS) {
    const v = f === 'ts' ? ts : fields[f];
    if (v !== null && v !== undefined) out[f] = v;
  }
  return safeStringify(out);
}

/** JSON text of a value; never throws (a BigInt or a cycle cannot reach here from JSON, but a line must be written). */
function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch (err) {
    return JSON.stringify(`unprintable: ${(err as Error).message}`);
  }
}

async function appendSynced(path: string, text: string): Promise<void> {
  // TRICKY: the mode applies only when the file is created; DeadLetterFile's spool tightens an older one at open.
  const fh = await open(path, 'a', 0o600);
  try {
    await fh.writeFile(text);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}
