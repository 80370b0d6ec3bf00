// The classification loop's onPass hook on a real DuckDB file: told the figures after every pass, the
// timer's and a failed one included (what the store worker sends to the edge's /api/v1/status).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { sends } from '../../../test/support/conformance-cases.js';
import { toIngest } from '../../../test/support/ingest-raw.js';
import type { Store } from '../../store/store.js';
import { ClassifyLoop, type ClassifyStats } from './classify-loop.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-classify-loop-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const cases: Array<{ name: string; store: () => Promise<Store>; run: (loop: ClassifyLoop) => void; expect: Partial<ClassifyStats> }> = [
  {
    name: 'a pass asked for',
    store: async () => {
      const store = await openDuckDbStore(join(dir, `l${++n}.duckdb`));
      const session = await store.beginIngest();
      await session.append(toIngest(sends(4, 'loop')));
      await session.commit();
      return store;
    },
    run: (loop) => void loop.runNow(),
    expect: { passes: 1, failures: 0, lastEvents: 4, lastError: null, everyMs: 15, maxLagMs: 3000 },
  },
  {
    name: 'a pass of the timer',
    store: () => openDuckDbStore(join(dir, `l${++n}.duckdb`)),
    run: (loop) => loop.start(),
    expect: { passes: 1, failures: 0, lastEvents: 0, everyMs: 15 },
  },
  {
    name: 'a failed pass (the store is closed)',
    store: async () => {
      const store = await openDuckDbStore(join(dir, `l${++n}.duckdb`));
      await store.close();
      return store;
    },
    run: (loop) => void loop.runNow(),
    expect: { passes: 0, failures: 1, lastPassAt: null },
  },
];

for (const c of cases) {
  test(`classify loop: onPass tells the figures after ${c.name}`, async () => {
    const store = await c.store();
    const errors: string[] = [];
    let told: (s: ClassifyStats) => void = () => undefined;
    const first = new Promise<ClassifyStats>((resolve) => (told = resolve));
    const loop = new ClassifyLoop(store, { everyMs: 15, maxLagMs: 3000, onPass: (s) => told(s), onError: (e) => errors.push(e.message) });
    // The loop's timer is unref'd (a server's listener keeps the process up); this stands in for it.
    const alive = setInterval(() => undefined, 1000);
    c.run(loop);
    const stats = await first.finally(() => clearInterval(alive));
    await loop.stop();
    for (const [k, v] of Object.entries(c.expect)) assert.equal(stats[k as keyof ClassifyStats], v, k);
    assert.equal(stats.lastError !== null, errors.length > 0, 'a failure is both logged and shown');
    if (stats.failures === 0) await store.close();
  });
}
