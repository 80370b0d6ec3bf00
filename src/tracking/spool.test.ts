// Tests of the durable spool on real files: order, torn tails, checkpoint resume, the size limit, the lock.
// The kill -9 test is in spool-crash.test.ts and the store drain in spool-writer.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool, type SpoolEvent } from './spool.js';
import { drainRecords } from '../../test/support/spool-drain.js';
import { makeEvent } from '../events/make-event.js';

/** Runs fn in a fresh temp folder, removed afterwards whatever happens. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-spool-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function click(i: number): SpoolEvent {
  return makeEvent({
    id: `evt-${i}`,
    type: 'click',
    ts: 1_772_000_000_000 + i,
    message: `msg-${i % 7}`,
    url: 'https://example.com/pricing?a=1&b="quoted"\nline',
    ip: '203.0.113.9',
    user_agent: 'Mozilla/5.0 (Macintosh)',
    method: 'GET',
  });
}

async function drainAll(spool: Spool, maxRecords = 5000): Promise<SpoolEvent[]> {
  const out: SpoolEvent[] = [];
  while ((await drainRecords(spool, async (batch) => void out.push(...batch), maxRecords)) > 0);
  return out;
}

function segmentFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('seg-'));
}

test('appended clicks come back in order, across segments, and consumed segments are deleted', () =>
  inTempDir(async (dir) => {
    const spool = Spool.open({ dir, segmentBytes: 4096 });
    const n = 2000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) spool.append(click(i));
    const perAppendUs = Number(process.hrtime.bigint() - t0) / 1000 / n;
    // Informational, not asserted: the cost the redirect pays per click (one stringify + one write(2)).
    console.log(`# spool append: ${perAppendUs.toFixed(1)} µs per record (${n} records)`);
    assert.ok(segmentFiles(dir).length > 10, 'small segments roll');
    await spool.flushed();

    const got = await drainAll(spool, 300);
    assert.deepEqual(
      got.map((e) => e.id),
      Array.from({ length: n }, (_, i) => `evt-${i}`),
    );
    assert.deepEqual(got[5], click(5), 'a record round-trips field for field, newline in the URL included');
    assert.equal(spool.stats().bytesPending, 0);
    assert.equal(spool.stats().recordsAppended, n);
    assert.ok(segmentFiles(dir).length <= 1, 'only the segment still being appended to remains');
    assert.equal(await drainRecords(spool, async () => assert.fail('nothing left to drain')), 0);
    await spool.close();
  }));

test('a torn trailing line left by a crash is cut off, never parsed, and appends after it are clean', () =>
  inTempDir(async (dir) => {
    let spool = Spool.open({ dir });
    for (let i = 0; i < 3; i++) spool.append(click(i));
    await spool.close();
    const [seg] = segmentFiles(dir);
    assert.ok(seg);
    appendFileSync(join(dir, seg), '{"id":"evt-3","type":"cli'); // power loss mid-record
    spool = Spool.open({ dir });
    assert.ok(spool.stats().tornBytesRecovered > 0);
    spool.append(click(4));
    const got = await drainAll(spool);
    assert.deepEqual(
      got.map((e) => e.id),
      ['evt-0', 'evt-1', 'evt-2', 'evt-4'],
    );
    assert.equal(spool.stats().recordsCorrupt, 0);
    await spool.close();
  }));

test('a restart resumes from the checkpoint without resending consumed records', () =>
  inTempDir(async (dir) => {
    let spool = Spool.open({ dir, segmentBytes: 2048 });
    for (let i = 0; i < 50; i++) spool.append(click(i));
    const first: SpoolEvent[] = [];
    await drainRecords(spool, async (b) => void first.push(...b), 4);
    await drainRecords(spool, async (b) => void first.push(...b), 4);
    // A batch never spans two segments, so these two batches hold between 2 and 8 records.
    assert.ok(first.length >= 2 && first.length <= 8);
    await spool.close();

    spool = Spool.open({ dir, segmentBytes: 2048 });
    const rest = await drainAll(spool);
    assert.deepEqual(
      [...first, ...rest].map((e) => e.id),
      Array.from({ length: 50 }, (_, i) => `evt-${i}`),
    );
    await spool.close();
  }));

test('a batch whose consumer fails is handed over again, so no click is lost while the store is down', () =>
  inTempDir(async (dir) => {
    const spool = Spool.open({ dir });
    for (let i = 0; i < 5; i++) spool.append(click(i));
    await assert.rejects(
      drainRecords(spool, async () => {
        throw new Error('store down');
      }),
      /store down/,
    );
    assert.ok(spool.stats().bytesPending > 0);
    const got = await drainAll(spool);
    assert.deepEqual(
      got.map((e) => e.id),
      ['evt-0', 'evt-1', 'evt-2', 'evt-3', 'evt-4'],
    );
    await spool.close();
  }));

test('at maxBytes append throws CR_ERR_SPOOL and counts the drop; draining makes room again', () =>
  inTempDir(async (dir) => {
    const spool = Spool.open({ dir, maxBytes: 4096 });
    let appended = 0;
    let error: unknown = null;
    try {
      for (;;) {
        spool.append(click(appended));
        appended++;
      }
    } catch (err) {
      error = err;
    }
    assert.equal((error as { code?: string }).code, 'CR_ERR_SPOOL');
    assert.ok(appended > 5);
    const s = spool.stats();
    assert.equal(s.recordsDropped, 1);
    assert.ok(s.bytesPending <= 4096);
    assert.throws(() => spool.append(click(999)), { code: 'CR_ERR_SPOOL' });
    assert.equal(spool.stats().recordsDropped, 2);

    assert.equal((await drainAll(spool)).length, appended, 'every accepted record is kept');
    spool.append(click(1000));
    assert.equal(spool.stats().recordsAppended, appended + 1);
    await spool.close();
  }));

test('a second open of a spool in use is refused; after close it opens again', () =>
  inTempDir(async (dir) => {
    const spool = Spool.open({ dir });
    assert.throws(() => Spool.open({ dir }), { code: 'CR_ERR_SPOOL' });
    await spool.appendDurable(click(1));
    await spool.close();
    const again = Spool.open({ dir });
    assert.deepEqual(
      (await drainAll(again)).map((e) => e.id),
      ['evt-1'],
    );
    await again.close();
    assert.throws(() => again.append(click(2)), { code: 'CR_ERR_SPOOL' });
  }));

test('a corrupt line in the middle of a segment is set aside, not sent, and the rest still drains', () =>
  inTempDir(async (dir) => {
    let spool = Spool.open({ dir });
    spool.append(click(1));
    await spool.close();
    const [seg] = segmentFiles(dir);
    assert.ok(seg);
    appendFileSync(join(dir, seg), '\u0000\u0000garbage\n');
    spool = Spool.open({ dir });
    spool.append(click(2));
    assert.deepEqual(
      (await drainAll(spool)).map((e) => e.id),
      ['evt-1', 'evt-2'],
    );
    assert.equal(spool.stats().recordsCorrupt, 1);
    assert.equal(spool.stats().deadLettered, 1);
    assert.match(spool.stats().lastDeadLetterReason ?? '', /^not a spool record: unreadable JSON/);
    const [reason] = readFileSync(join(dir, 'dead-letter.reasons.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(reason?.line, '\u0000\u0000garbage', 'the line is kept as it was, beside its reason');
    await spool.close();
  }));

test('the spool folder is 0700 and its files 0600, wider modes left by an older build tightened at open', () =>
  inTempDir(async (dir) => {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'corrupt.jsonl'), 'old\n', { mode: 0o644 });
    let spool = Spool.open({ dir, segmentBytes: 1024 });
    for (let i = 0; i < 20; i++) spool.append(click(i)); // several segments
    await drainRecords(spool, async () => undefined, 3); // a checkpoint
    appendFileSync(join(dir, segmentFiles(dir)[0]!), 'not json\n'); // a dead letter when drained after reopen
    await spool.close();
    chmodSync(join(dir, segmentFiles(dir)[0]!), 0o666);
    spool = Spool.open({ dir, segmentBytes: 1024 });
    await drainAll(spool);
    spool.append(click(99));
    const mode = (name: string) => (statSync(join(dir, name)).mode & 0o777).toString(8);
    assert.equal(mode('.'), '700');
    const files = readdirSync(dir);
    for (const f of ['spool.lock', 'checkpoint.json', 'dead-letter.reasons.jsonl', 'corrupt.jsonl', segmentFiles(dir)[0]!]) assert.ok(files.includes(f), f);
    for (const f of files) assert.equal(mode(f), '600', f);
    await spool.close();
  }));
