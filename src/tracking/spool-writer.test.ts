// Tests of the spool → store drain against the real DuckDB store in a temp file: batches land once,
// replays are ignored by id, an unavailable store leaves the clicks spooled until it is back, a record
// the store refuses is set aside, and a busy edge defers the drain up to maxLagMs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickrateError } from '../errors.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { IngestSession, Store } from '../store/store.js';
import { Spool, type SpoolEvent } from './spool.js';
import { ingestRange } from './spool-ingest.js';
import { SpoolWriter } from './spool-writer.js';
import { makeEvent } from '../events/make-event.js';

function click(i: number): SpoolEvent {
  return makeEvent({
    id: `w-${i}`,
    type: 'click',
    ts: 1_772_000_000_000 + i,
    message: `msg-${i}`,
    url: 'https://example.com/a',
    ip: '203.0.113.9',
    user_agent: 'Mozilla/5.0',
    method: 'GET',
  });
}

async function storedIds(store: Store): Promise<{ rows: number; distinct: number }> {
  const [row] = await store.query({ sql: 'SELECT count(*) AS rows, count(DISTINCT id) AS ids FROM events', params: {} });
  return { rows: Number(row?.rows), distinct: Number(row?.ids) };
}

/**
 * Fault injection around the real store, standing in for a database that is down (not a mock: every
 * call while `down` is false goes to DuckDB).
 */
class OutageStore implements Store {
  down = true;
  constructor(private readonly inner: Store) {}
  get kind() {
    return this.inner.kind;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  get dialect() {
    return this.inner.dialect;
  }
  beginIngest(): Promise<IngestSession> {
    if (this.down) return Promise.reject(new ClickrateError('CR_ERR_STORE', 'store unreachable (test outage)'));
    return this.inner.beginIngest();
  }
  query: Store['query'] = (q) => this.inner.query(q);
  writeVerdicts: Store['writeVerdicts'] = (rows, v) => this.inner.writeVerdicts(rows, v);
  beginVerdictPass: Store['beginVerdictPass'] = (o) => this.inner.beginVerdictPass(o);
  saveTemplate: Store['saveTemplate'] = (t) => this.inner.saveTemplate(t);
  listTemplates: Store['listTemplates'] = (c) => this.inner.listTemplates(c);
  getTemplate: Store['getTemplate'] = (c, s, v) => this.inner.getTemplate(c, s, v);
  setCampaignSettings: Store['setCampaignSettings'] = (s) => this.inner.setCampaignSettings(s);
  getCampaignSettings: Store['getCampaignSettings'] = (c) => this.inner.getCampaignSettings(c);
  recordMailLinks: Store['recordMailLinks'] = (l) => this.inner.recordMailLinks(l);
  cutAddresses: Store['cutAddresses'] = (b) => this.inner.cutAddresses(b);
  forgetRecipient: Store['forgetRecipient'] = (r) => this.inner.forgetRecipient(r);
  backupTo: Store['backupTo'] = (f) => this.inner.backupTo(f);
  createApiKey: Store['createApiKey'] = (k) => this.inner.createApiKey(k);
  listApiKeys: Store['listApiKeys'] = () => this.inner.listApiKeys();
  revokeApiKey: Store['revokeApiKey'] = (id, at) => this.inner.revokeApiKey(id, at);
  findApiKeyByHash: Store['findApiKeyByHash'] = (h) => this.inner.findApiKeyByHash(h);
  revokeSession: Store['revokeSession'] = (id, until) => this.inner.revokeSession(id, until);
  isSessionRevoked: Store['isSessionRevoked'] = (id, now) => this.inner.isSessionRevoked(id, now);
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A DuckDB store in a temp folder (the spool goes beside it), closed and removed after fn. */
async function inTempStore<S extends Store>(fn: (store: S, dir: string) => Promise<void>, wrap: (s: Store) => S = (s) => s as S): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-spool-writer-'));
  const store = wrap(await openDuckDbStore(join(dir, 'test.duckdb')));
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  // A generous guard against hanging, not a timing assertion.
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`gave up waiting for ${what}`);
}

test('a drain asked for while the background loop drains waits its turn instead of failing', async () => {
  await inTempStore<Store>(async (store, dir) => {
    const spool = Spool.open({ dir: join(dir, 'spool') });
    for (let i = 0; i < 3000; i++) spool.append(click(i));
    const writer = new SpoolWriter(spool, store, { batchRecords: 400, intervalMs: 1 });
    writer.start();
    // Several callers at once beside the loop (a test, the API, stop): none may see "already running".
    const counts = await Promise.all([writer.drainAll(), writer.drainOnce(), writer.drainAll()]);
    assert.ok(counts.every((n) => n >= 0));
    await writer.stop();
    assert.deepEqual(await storedIds(store), { rows: 3000, distinct: 3000 });
    assert.equal(writer.stats().failures, 0);
    await spool.close();
  });
});

test('the writer moves spooled clicks into the store in batches, and a replay adds nothing', async () => {
  await inTempStore<Store>(async (store, dir) => {
    let spool = Spool.open({ dir: join(dir, 'spool') });
    for (let i = 0; i < 1200; i++) spool.append(click(i));
    const writer = new SpoolWriter(spool, store, { batchRecords: 500 });
    assert.equal(await writer.drainAll(), 1200);
    assert.deepEqual(await storedIds(store), { rows: 1200, distinct: 1200 });
    assert.equal(writer.stats().batches, 3);
    assert.equal(spool.stats().bytesPending, 0);
    await spool.close();

    // The crash window: the store committed but the checkpoint was lost, so the same ids come again.
    spool = Spool.open({ dir: join(dir, 'spool') });
    for (let i = 1100; i < 1300; i++) spool.append(click(i));
    const again = new SpoolWriter(spool, store);
    assert.equal(await again.drainAll(), 200);
    assert.deepEqual(await storedIds(store), { rows: 1300, distinct: 1300 });
    assert.equal(again.stats().duplicates, 100);
    assert.equal(again.stats().inserted, 100);
    await spool.close();
  });
});

test('while the store is down the clicks stay spooled and retry, none set aside; when it returns they all land once', async () => {
  await inTempStore<OutageStore>(
    async (store, dir) => {
      const spool = Spool.open({ dir: join(dir, 'spool') });
      const errors: string[] = [];
      const writer = new SpoolWriter(spool, store, {
        intervalMs: 5,
        minBackoffMs: 5,
        maxBackoffMs: 20,
        onError: (err) => errors.push(err.code),
      });
      writer.start();
      for (let i = 0; i < 300; i++) spool.append(click(i));
      // Past isolateAfter (3) failures each retry also looks for records the store refuses, and finds none.
      await until(() => writer.stats().isolations >= 3, 'three searches for refused records');
      assert.ok(errors.every((c) => c === 'CR_ERR_STORE'));
      assert.ok(spool.stats().bytesPending > 0, 'the spool holds the clicks during the outage');
      assert.equal(spool.stats().deadLettered, 0, 'an outage sets nothing aside');
      assert.equal((await storedIds(store)).rows, 0);

      store.down = false;
      for (let i = 300; i < 400; i++) spool.append(click(i));
      await until(() => spool.stats().bytesPending === 0, 'the spool to drain');
      await writer.stop();
      assert.deepEqual(await storedIds(store), { rows: 400, distinct: 400 });
      assert.equal(writer.stats().consecutiveFailures, 0);
      await spool.close();
    },
    (s) => new OutageStore(s),
  );
});

test('a record the store refuses is set aside after three failures and the clicks after it are stored', async () => {
  await inTempStore<Store>(async (store, dir) => {
    const spool = Spool.open({ dir: join(dir, 'spool') });
    const warned: string[] = [];
    spool.setDeadLetterListener((letters, file) => warned.push(`${file}: ${letters.map((l) => l.record?.id).join(',')}`));
    const writer = new SpoolWriter(spool, store, { intervalMs: 5, minBackoffMs: 5, maxBackoffMs: 20 });
    for (let i = 0; i < 100; i++) spool.append(click(i));
    // DuckDB refuses this ts at commit ("Could not convert … to INT64"); the spool reader does not judge it.
    spool.append({ ...click(100), ts: 1e20 });
    writer.start();
    for (let i = 101; i < 300; i++) spool.append(click(i));
    await until(() => spool.stats().bytesPending === 0, 'the spool to drain past the refused record');
    await writer.stop();
    assert.deepEqual(await storedIds(store), { rows: 299, distinct: 299 });
    assert.equal(writer.stats().failures, 3, 'stored in pieces after the third failure');
    assert.equal(spool.stats().deadLettered, 1);
    assert.match(spool.stats().lastDeadLetterReason ?? '', /Conversion Error/);
    assert.deepEqual(warned, [`${join(dir, 'spool', 'dead-letter.jsonl')}: w-100`]);
    await spool.close();
  });
});

test('stop() writes what is left before returning, so a clean shutdown leaves the spool empty', async () => {
  await inTempStore<Store>(async (store, dir) => {
    const spool = Spool.open({ dir: join(dir, 'spool') });
    const writer = new SpoolWriter(spool, store, { intervalMs: 60_000 });
    writer.start(); // its first drain finds the spool empty, then it sleeps for a minute
    for (let i = 0; i < 50; i++) spool.append(click(i));
    // The loop's own first drain may take them before stop does; either way stop returns with all stored.
    await writer.stop();
    assert.equal(writer.stats().recordsWritten, 50);
    assert.equal((await storedIds(store)).rows, 50);
    assert.equal(spool.stats().bytesPending, 0);
    await spool.close();
  });
});

test('under a steady stream the lag is the age of the oldest record not stored, not the time since the spool was empty', async () => {
  await inTempStore<Store>(async (store, dir) => {
    const spool = Spool.open({ dir: join(dir, 'spool') });
    let next = 0;
    let arriving = true;
    // Clicks keep arriving while each batch is stored, so the spool is never empty after a drain.
    const writer = new SpoolWriter(spool, store, {
      ingest: (range) => {
        for (let i = 0; i < 5 && arriving; i++) spool.append(click(next++));
        return ingestRange(store, range);
      },
    });
    for (; next < 10; ) spool.append(click(next++));
    await new Promise((r) => setTimeout(r, 20)); // the first clicks are older than the drain below
    const before = Date.now();
    await writer.drainOnce();
    const bound = Date.now() - before;
    assert.ok(spool.stats().bytesPending > 0, 'clicks arrived during the drain');
    // Everything appended before the drain began is stored: the lag is at most the drain's own length.
    // (Measured from the writer's start or the first click it would exceed `bound` by the 20 ms above.)
    assert.ok(writer.lagMs() <= bound, `lag ${writer.lagMs()} ms within the drain's ${bound} ms`);
    arriving = false;
    await writer.drainAll();
    assert.equal(writer.lagMs(), 0);
    await spool.close();
  });
});

// Pacing (setBusy, maxLagMs): while the edge is busy the writer leaves the clicks in the spool, up to
// maxLagMs behind; room again, the lag passed or a stop each make it store them, and none is lost.
const pacing: Array<{ name: string; maxLagMs: number; release: 'room' | 'lag' | 'stop' }> = [
  { name: 'the edge has room again: the writer wakes at once (not after its 60 s sleep) and stores them', maxLagMs: 60_000, release: 'room' },
  { name: 'the edge stays busy past maxLagMs: the writer stores them anyway', maxLagMs: 150, release: 'lag' },
  { name: 'the server stops while the edge is busy: stop stores them', maxLagMs: 60_000, release: 'stop' },
];

for (const c of pacing) {
  test(`pacing: ${c.name}`, async () => {
    await inTempStore<Store>(async (store, dir) => {
      const spool = Spool.open({ dir: join(dir, 'spool') });
      for (let i = 0; i < 300; i++) spool.append(click(i));
      let busy = true;
      let stopping = false;
      // The real ingest, with a note of the state each batch was asked for in.
      const asked: Array<{ busy: boolean; stopping: boolean; lagMs: number }> = [];
      const writer = new SpoolWriter(spool, store, {
        intervalMs: 60_000,
        maxLagMs: c.maxLagMs,
        ingest: (range) => {
          asked.push({ busy, stopping, lagMs: writer.lagMs() });
          return ingestRange(store, range);
        },
      });
      writer.setBusy(true);
      writer.start();
      await new Promise((r) => setImmediate(r));
      // (In the lag case its 150 ms may already have passed by now on a loaded machine.)
      if (c.release !== 'lag') {
        assert.equal(asked.length, 0, 'nothing is stored while the edge is busy');
        assert.equal(writer.stats().paced, true);
        assert.ok(spool.stats().bytesPending > 0);
      }
      for (let i = 300; i < 400; i++) spool.append(click(i)); // clicks go on arriving while held

      if (c.release === 'room') {
        busy = false;
        writer.setBusy(false);
        await until(() => spool.stats().bytesPending === 0, 'the spool to drain');
        assert.equal(writer.stats().paced, false);
      } else if (c.release === 'lag') {
        await until(() => spool.stats().bytesPending === 0, 'the spool to drain');
      }
      stopping = true;
      await writer.stop();

      const first = asked[0];
      assert.ok(first, 'the records were stored');
      if (c.release === 'room') assert.equal(first.busy, false, 'stored once the edge had room');
      if (c.release === 'lag') assert.ok(first.busy && first.lagMs >= c.maxLagMs, `stored while busy only past maxLagMs (lag ${first.lagMs} ms)`);
      if (c.release === 'stop') assert.ok(first.busy && first.stopping, 'stored by the stop, the edge still busy');
      assert.deepEqual(await storedIds(store), { rows: 400, distinct: 400 }, 'every click lands once');
      assert.equal(spool.stats().bytesPending, 0);
      await spool.close();
    });
  });
}
