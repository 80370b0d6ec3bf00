// Events of the test cases into a store as the import would put them: validated, with their digests,
// committed, then classified, so reports read verdicts as they would after `import`.
import { contentDigest } from '../../src/events/event-id.js';
import { parseEvent } from '../../src/events/parse-event.js';
import { reclassify } from '../../src/classify/reclassify.js';
import type { IngestEvent, Store } from '../../src/store/store.js';
import { ClickrateError } from '../../src/errors.js';
import type { RawEvent } from './conformance-cases.js';

export function toIngest(raw: RawEvent[]): IngestEvent[] {
  return raw.map((r, i) => {
    const p = parseEvent(r);
    if (!p.ok) throw new ClickrateError('CR_ERR_BAD_EVENT', `conformance event ${i} is invalid: ${p.reason} (${JSON.stringify(r)})`);
    return { ...p.event, digest: p.event.id === null ? contentDigest(p.event) : null };
  });
}

export async function ingest(store: Store, raw: RawEvent[]): Promise<{ inserted: number; duplicates: number }> {
  const session = await store.beginIngest();
  await session.append(toIngest(raw));
  const counts = await session.commit();
  await reclassify(store);
  return counts;
}
