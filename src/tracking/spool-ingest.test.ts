// A spool batch whose commit names records the store would not hold (IngestCounts.refused: a `sent`
// naming a message that belongs to another campaign) is stored without them, and they go to the dead
// letters with the store's reasons. The real DuckDB store, directly and through the store worker.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeEvent } from '../events/make-event.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { StoreWorker } from '../server/worker/store-client.js';
import { Spool } from './spool.js';
import { ingestRange, type RangeIngest } from './spool-ingest.js';

const ways: Array<{ name: string; open: (db: string) => Promise<{ store: Store; ingest: RangeIngest }> }> = [
  {
    name: 'in this thread',
    open: async (db) => {
      const store = await openDuckDbStore(db);
      return { store, ingest: (r) => ingestRange(store, r) };
    },
  },
  {
    name: 'through the store worker',
    open: async (db) => {
      const worker = await StoreWorker.start({ store: { db } });
      return { store: worker.store, ingest: (r) => worker.ingest(r) };
    },
  },
];

for (const way of ways) {
  test(`records the store refuses at commit are dead-lettered with its reasons, the rest stored (${way.name})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickrate-refused-'));
    const { store, ingest } = await way.open(join(dir, 'db.duckdb'));
    const spool = Spool.open({ dir: join(dir, 'spool') });
    try {
      const sent = (id: string, message: string, campaign: string, ts: number) =>
        makeEvent({ id, type: 'sent', ts, message, campaign, recipient: 'r@example.com' });
      // m1 belongs to spring (its first sent); a later sent naming another campaign is refused.
      for (const r of [
        sent('s1', 'm1', 'spring', 1_772_000_000_000),
        sent('s2', 'm2', 'summer', 1_772_000_000_000),
        sent('s3', 'm1', 'autumn', 1_772_000_060_000),
      ])
        spool.append(r);
      assert.equal(await spool.drainRange(ingest), 3);
      assert.equal(spool.stats().bytesPending, 0);
      assert.equal(spool.stats().deadLettered, 1);
      assert.match(spool.stats().lastDeadLetterReason ?? '', /message 'm1' belongs to campaign 'spring'/);
      const stored = await store.query({ sql: 'SELECT id FROM events ORDER BY id', params: {} });
      assert.deepEqual(
        stored.map((r) => r.id),
        ['s1', 's2'],
      );
      const dead = readFileSync(join(dir, 'spool', 'dead-letter.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; campaign: string });
      assert.deepEqual(
        dead.map((d) => [d.id, d.campaign]),
        [['s3', 'autumn']],
      );
    } finally {
      await spool.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
