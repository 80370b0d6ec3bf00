// A spool batch whose commit names records the store would not hold (IngestCounts.refused) is stored
// without them, and they go to the dead letters with the store's reasons. The refusal is injected around
// the real DuckDB store, as a store that checks a sent's campaign against its message's would answer.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeEvent } from '../events/make-event.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { IngestSession, RefusedEvent, Store } from '../store/store.js';
import { Spool } from './spool.js';
import { ingestRange } from './spool-ingest.js';

/** The real store, but its ingest sessions leave out and name the `sent` events of campaign `taken`. */
function refusingTaken(store: Store): Store {
  const session = (inner: IngestSession): IngestSession => {
    const refused: RefusedEvent[] = [];
    return {
      append: (events) => {
        for (const e of events) if (e.campaign === 'taken') refused.push({ id: e.id as string, reason: `message ${e.message} belongs to another campaign` });
        return inner.append(events.filter((e) => e.campaign !== 'taken'));
      },
      commit: async () => ({ ...(await inner.commit()), refused }),
      abort: () => inner.abort(),
    };
  };
  return new Proxy(store, {
    get: (target, key) => (key === 'beginIngest' ? async () => session(await target.beginIngest()) : Reflect.get(target, key)),
  });
}

test('records the store refuses at commit are dead-lettered with its reasons; the rest of the batch is stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-refused-'));
  const store = await openDuckDbStore(join(dir, 'db.duckdb'));
  const spool = Spool.open({ dir: join(dir, 'spool') });
  try {
    const sent = (id: string, campaign: string) => makeEvent({ id, type: 'sent', ts: 1_772_000_000_000, message: `m-${id}`, campaign, recipient: 'r@example.com' });
    const records = [sent('s1', 'spring'), sent('s2', 'taken'), sent('s3', 'spring'), sent('s4', 'taken')];
    for (const r of records) spool.append(r);
    const refusing = refusingTaken(store);
    assert.equal(await spool.drainRange((r) => ingestRange(refusing, r)), 4);
    assert.equal(spool.stats().bytesPending, 0);
    assert.equal(spool.stats().deadLettered, 2);
    assert.equal(spool.stats().lastDeadLetterReason, 'message m-s4 belongs to another campaign');
    const stored = await store.query({ sql: 'SELECT id FROM events ORDER BY id', params: {} });
    assert.deepEqual(stored.map((r) => r.id), ['s1', 's3']);
    const dead = readFileSync(join(dir, 'spool', 'dead-letter.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; campaign: string });
    assert.deepEqual(dead.map((d) => [d.id, d.campaign]), [['s2', 'taken'], ['s4', 'taken']]);
  } finally {
    await spool.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
