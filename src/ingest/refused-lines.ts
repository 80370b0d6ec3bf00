// The error of a file the store refused events of (a sent naming a message of another campaign, see
// store/message-owner.ts): like a bad row, each refused event is named by file and line.
import { ClickrateError } from '../errors.js';
import type { RefusedEvent } from '../store/store.js';
import { contentDigest } from '../events/event-id.js';
import { dropEmptyCells, parseEvent } from '../events/parse-event.js';
import { readEventFile } from '../events/read-events.js';

/** An id-less event's id as the stores give it: `h:<digest>:<n>`, n its ordinal among identical events. */
const DIGEST_ID = /^h:([^:]+):(\d+)$/;

/**
 * The line of each refused event in `file`, found by reading the file again: no lane keeps a line per
 * row until commit (the direct one never sees them: the store reads the file), and a refusal is rare
 * enough to pay one more read. Only sent rows can be refused, so only those are looked at. An id-less
 * row's id is rebuilt as the store built it: its digest and its ordinal among identical rows, in file
 * order (an import whose identical rows fell in different batches was resolved across the whole file).
 */
async function refusedLines(file: string, refused: readonly RefusedEvent[]): Promise<Map<string, number>> {
  const wanted = new Set(refused.map((r) => r.id));
  const digests = new Set<string>();
  for (const id of wanted) {
    const m = DIGEST_ID.exec(id);
    if (m) digests.add(m[1]!);
  }
  const ordinals = new Map<string, number>();
  const lines = new Map<string, number>();
  for await (const rec of readEventFile(file)) {
    if ('error' in rec || rec.value.type !== 'sent') continue;
    let id = rec.value.id;
    if ((id === undefined || id === '') && digests.size > 0) {
      const parsed = parseEvent(rec.text === undefined ? dropEmptyCells(rec.value) : rec.value);
      if (!parsed.ok) continue;
      const digest = contentDigest(parsed.event);
      if (!digests.has(digest)) continue;
      const n = (ordinals.get(digest) ?? 0) + 1;
      ordinals.set(digest, n);
      id = `h:${digest}:${n}`;
    }
    if (typeof id === 'string' && wanted.has(id) && !lines.has(id)) {
      lines.set(id, rec.line);
      if (lines.size === wanted.size) break;
    }
  }
  return lines;
}

/** CR_ERR_BAD_FILE for a file whose import the store refused `count` events of (`refused`: some of them). */
export async function refusedFileError(file: string, refused: readonly RefusedEvent[], count: number): Promise<ClickrateError> {
  // TRICKY: a file that cannot be read again still fails with its reasons, named by event id.
  const lines = await refusedLines(file, refused).catch(() => new Map<string, number>());
  const errors = refused
    .map((r) => ({ r, line: lines.get(r.id) ?? Infinity }))
    .sort((a, b) => a.line - b.line)
    .map(({ r, line }) => (line === Infinity ? `${file}: event ${r.id}: ${r.reason}` : `${file}:${line}: ${r.reason}`));
  const more = count > refused.length ? `\n(and ${count - refused.length} more refused)` : '';
  return new ClickrateError('CR_ERR_BAD_FILE', `${file} was not imported (nothing from it was stored):\n${errors.join('\n')}${more}`, {
    file,
    errors,
    refused: count,
  });
}
