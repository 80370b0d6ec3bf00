// Loads the demo into a store: its events, verdicts for them, and the templates the click map shows.
// The one place `clickrate demo` and `serve --demo` share, so both show a newcomer the same thing.
import { reclassify } from '../classify/reclassify.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import type { IngestCounts, Store } from '../store/store.js';
import { demoEvents, type DemoCampaign } from './demo-dataset.js';
import { demoTemplates } from './demo-templates.js';

export interface LoadedDemo {
  counts: IngestCounts;
  campaigns: DemoCampaign[];
}

export async function loadDemo(store: Store, opts: { seed?: number; now?: number } = {}): Promise<LoadedDemo> {
  const demo = demoEvents({ seed: opts.seed, now: opts.now ?? Date.now() });
  const counts = await ingestEvents(store, demo.events);
  await reclassify(store);
  const savedAt = opts.now ?? Date.now();
  for (const t of demoTemplates()) await store.saveTemplate({ ...t, saved_at: savedAt });
  return { counts, campaigns: demo.campaigns };
}
