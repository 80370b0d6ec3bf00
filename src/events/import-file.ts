// Imports one event file into a store, all or nothing (SPEC.md: "all or nothing per file; a bad row is
// named by file and line"): every row is validated while streaming; one bad row rolls the file back.
import { access } from 'node:fs/promises';
import { ClickrateError, isClickrateError } from '../errors.js';
import type { IngestCounts, IngestEvent, Store } from '../store/store.js';
import { contentDigest } from './event-id.js';
import { dropEmptyCells, parseEvent } from './parse-event.js';
import { readEventFile } from './read-events.js';

const BATCH = 8192;
/** Bad rows listed before giving up on the file: enough to see a pattern, not a wall of text. */
const MAX_REPORTED_ERRORS = 20;

export interface ImportFileResult extends IngestCounts {
  file: string;
}

export async function importFile(store: Store, file: string): Promise<ImportFileResult> {
  try {
    await access(file);
  } catch {
    throw new ClickrateError('CR_ERR_NOT_FOUND', `${file}: no such file`, { file });
  }
  const session = await store.beginIngest();
  const errors: string[] = [];
  let badRows = 0;
  try {
    let batch: IngestEvent[] = [];
    for await (const rec of readEventFile(file)) {
      const reason = 'error' in rec ? rec.error : undefined;
      if (reason === undefined && 'value' in rec) {
        // JSON lines carry absence as a missing key; CSV carries it as an empty cell.
        const parsed = parseEvent(rec.text === undefined ? dropEmptyCells(rec.value) : rec.value);
        if (parsed.ok) {
          if (badRows > 0) continue; // the file is already lost; keep reading only to count bad rows
          // Extended in place rather than copied: this runs per row, and copies are what the GC pays for.
          const e = parsed.event as IngestEvent;
          e.digest = e.id === null ? contentDigest(e) : null;
          if (rec.text !== undefined) e.raw = rec.text;
          batch.push(e);
          if (batch.length >= BATCH) {
            await session.append(batch);
            batch = [];
          }
          continue;
        }
        badRows++;
        if (errors.length < MAX_REPORTED_ERRORS) errors.push(`${file}:${rec.line}: ${parsed.reason}`);
      } else {
        badRows++;
        if (errors.length < MAX_REPORTED_ERRORS) errors.push(`${file}:${rec.line}: ${reason}`);
      }
      if (badRows >= MAX_REPORTED_ERRORS) break;
    }
    if (badRows > 0) {
      const more = badRows >= MAX_REPORTED_ERRORS ? `\n(stopped after ${MAX_REPORTED_ERRORS} bad rows)` : '';
      throw new ClickrateError('CR_ERR_BAD_FILE', `${file} was not imported (nothing from it was stored):\n${errors.join('\n')}${more}`, {
        file,
        errors,
      });
    }
    if (batch.length > 0) await session.append(batch);
    const counts = await session.commit();
    return { file, ...counts };
  } catch (err) {
    await session.abort();
    if (isClickrateError(err)) throw err;
    throw new ClickrateError('CR_ERR_BAD_FILE', `${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
}
