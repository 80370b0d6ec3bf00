// The dead-letter files on real disk: owner-only, append-only, the records in the import format so that
// `clickrate import` (the real CLI, in a child process) replays them as they are, the reasons beside.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN } from '../../test/support/paths.js';
import { makeEvent } from '../events/make-event.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { DeadLetterFile, importLine } from './spool-dead-letter.js';

const sent = makeEvent({
  id: 'dl-sent',
  type: 'sent',
  ts: 1_772_000_000_000,
  message: 'm1',
  campaign: 'spring',
  recipient: 'ann@example.com',
  step: 2,
  variant: 'B',
});
const click = makeEvent({
  id: 'dl-click',
  type: 'click',
  ts: 1_772_000_060_123,
  message: 'm1',
  url: 'https://shop.example.com/?q="x"\n',
  ip: '198.51.100.4',
  user_agent: 'Mozilla/5.0 \u2028',
  method: 'HEAD',
});
const noInstant = makeEvent({ id: 'dl-far', type: 'click', ts: 1e20, message: 'm1', url: 'https://shop.example.com/' });

test('dead letters are importable as they are, reasons beside them, the unimportable kept whole in the reasons', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-dead-letter-'));
  try {
    const file = new DeadLetterFile(dir);
    await file.append([
      { record: sent, reason: 'message m1 belongs to campaign other' },
      { record: noInstant, reason: 'Conversion Error: ts\nLINE 1: SELECT …' },
    ]);
    await file.append([
      { line: '{"id":"torn', reason: 'not a spool record: unreadable JSON' },
      { record: click, reason: 'refused' },
    ]);
    assert.deepEqual(file.stats(), { deadLettered: 4, deadLetterFile: join(dir, 'dead-letter.jsonl'), lastDeadLetterReason: 'refused' });
    for (const f of ['dead-letter.jsonl', 'dead-letter.reasons.jsonl']) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);

    const reasons = readFileSync(join(dir, 'dead-letter.reasons.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      reasons.map(({ id, reason, line }) => ({ id, reason, line })),
      [
        { id: 'dl-sent', reason: 'message m1 belongs to campaign other', line: undefined },
        { id: 'dl-far', reason: 'Conversion Error: ts', line: JSON.stringify(noInstant) },
        { id: null, reason: 'not a spool record: unreadable JSON', line: '{"id":"torn' },
        { id: 'dl-click', reason: 'refused', line: undefined },
      ],
    );
    assert.ok(reasons.every((r) => typeof r.at === 'string' && !Number.isNaN(Date.parse(r.at as string))));

    // The replay a person runs once the cause is fixed: the real command on the file as it is.
    const db = join(dir, 'replay.duckdb');
    const printed = execFileSync(process.execPath, [BIN, 'import', join(dir, 'dead-letter.jsonl'), '--db', db, '--json'], { encoding: 'utf8' });
    assert.match(printed, /"inserted": 2/);
    const store = await openDuckDbStore(db);
    try {
      const rows = await store.query({
        sql: 'SELECT id, type, ts, message, campaign, recipient, step, variant, url, ip, user_agent, method FROM events ORDER BY id',
        params: {},
      });
      const pick = (e: typeof sent) => ({
        id: e.id,
        type: e.type,
        ts: e.ts,
        message: e.message,
        campaign: e.campaign,
        recipient: e.recipient,
        step: e.step,
        variant: e.variant,
        url: e.url,
        ip: e.ip,
        user_agent: e.user_agent,
        method: e.method,
      });
      assert.deepEqual(rows, [pick(click), pick(sent)], 'field for field as the spool held them');
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('importLine: the import format (ISO ts, no nulls), or null when ts is no whole millisecond of the years 0000-9999', () => {
  const cases: Array<{ ts: number; want: string | null }> = [
    { ts: 0, want: '1970-01-01T00:00:00.000Z' },
    { ts: 1_772_000_060_123, want: '2026-02-25T06:14:20.123Z' },
    { ts: 253_402_300_799_999, want: '9999-12-31T23:59:59.999Z' },
    { ts: 253_402_300_800_000, want: null },
    { ts: 8.64e15 + 1, want: null },
    { ts: 1.5, want: null },
    { ts: Number.NaN, want: null },
  ];
  for (const c of cases) {
    const line = importLine({ ...click, ts: c.ts });
    assert.equal(line === null ? null : (JSON.parse(line) as { ts: string }).ts, c.want, String(c.ts));
  }
  assert.deepEqual(Object.keys(JSON.parse(importLine(sent)!) as object), ['id', 'type', 'ts', 'message', 'campaign', 'recipient', 'step', 'variant']);
});
