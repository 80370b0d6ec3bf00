// The edge's directly built spool lines read back as the records makeEvent gives, escaping included;
// and an edge batch writes its records before any of its answers leave.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeEvent } from '../events/make-event.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { decodeRecord } from '../tracking/spool-read.js';
import { signToken, verifyTrackingToken } from '../tracking/token.js';
import { Spool } from '../tracking/spool.js';
import { EdgeBatch } from './edge-batch.js';
import { RedirectTimings } from './redirect-timings.js';
import { edgeRecordLine, userAgentOf } from './track-routes.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-edge-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a click or open line reads back as the makeEvent record, with awkward text escaped into one line', () => {
  const ring = createKeyring('k1', { k1: generateKey() });
  const odd = 'q"1,\n2\\ \u2028 é 😀 </script>';
  const cases = [
    {
      id: 'a-1',
      type: 'click' as const,
      ts: 1_772_000_000_123,
      campaign: odd,
      message: `m${odd}`,
      url: `https://a.example.com/?q=${odd}`,
      ip: '198.51.100.4',
      user_agent: odd,
      method: 'GET' as const,
    },
    { id: 'b-2', type: 'open' as const, ts: 1, campaign: 'c', message: 'm', url: null, ip: null, user_agent: null, method: 'HEAD' as const },
  ];
  for (const c of cases) {
    const token = signToken(
      c.type === 'click'
        ? { kind: 'click', campaign: c.campaign, message: c.message, url: c.url!, link: 3 }
        : { kind: 'open', campaign: c.campaign, message: c.message },
      ring,
    );
    const line = edgeRecordLine(c.id, c.type, c.ts, verifyTrackingToken(token, ring, c.type).json, c.ip, c.user_agent, c.method);
    assert.ok(line.endsWith('\n') && line.indexOf('\n') === line.length - 1, 'exactly one line');
    assert.deepEqual(decodeRecord(line.slice(0, -1)), makeEvent(c));
  }
});

test('an edge batch writes its records in one append before it sends any answer', async () => {
  const spool = Spool.open({ dir: join(dir, 'batch') });
  try {
    const seen: Array<{ arg: string; onDisk: number }> = [];
    const timed: Array<{ route: string; seconds: number }> = [];
    const timings = new RedirectTimings((route, seconds) => timed.push({ route, seconds }));
    const onDisk = () =>
      readdirSync(join(dir, 'batch'))
        .filter((f) => f.startsWith('seg-'))
        .reduce(
          (n, f) =>
            n +
            readFileSync(join(dir, 'batch', f), 'utf8')
              .split('\n')
              .filter(Boolean).length,
          0,
        );
    // One write(2) for the whole turn is the point of the batch: count the appends.
    const appends: number[] = [];
    const append = spool.appendLines.bind(spool);
    spool.appendLines = (text: string, count: number) => {
      appends.push(count);
      append(text, count);
    };
    const batch = new EdgeBatch(
      spool,
      () => assert.fail('nothing is dropped'),
      () => assert.fail('no answer fails'),
      timings,
    );
    const answer = (_res: ServerResponse, arg: string) => seen.push({ arg, onDisk: onDisk() });
    const started = RedirectTimings.now();
    for (let i = 0; i < 3; i++)
      batch.add(
        edgeRecordLine(`id-${i}`, 'click', i, '["c","c","m","https://a.example.com/",0]', null, null, 'GET'),
        {} as ServerResponse,
        answer,
        `r${i}`,
        0,
        started,
      );
    assert.equal(seen.length, 0, 'no answer before the write');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      seen,
      [0, 1, 2].map((i) => ({ arg: `r${i}`, onDisk: 3 })),
    );
    assert.equal(spool.stats().recordsAppended, 3);
    assert.deepEqual(appends, [3], 'the three records went in one append');
    assert.equal(timed.length, 0, 'durations wait in the ring until drained (scrape time)');
    timings.drain();
    assert.deepEqual(
      timed.map((t) => t.route),
      ['/c/{token}', '/c/{token}', '/c/{token}'],
      'each answer of the batch is timed once',
    );
    assert.ok(timed.every((t) => t.seconds >= 0));
  } finally {
    await spool.close();
  }
});

test('an answer that throws fails its own request only: the others of the batch are answered', async () => {
  const spool = Spool.open({ dir: join(dir, 'boundary') });
  try {
    const answered: string[] = [];
    const failed: Array<{ err: unknown; res: ServerResponse }> = [];
    const batch = new EdgeBatch(
      spool,
      () => assert.fail('nothing is dropped'),
      (err, res) => failed.push({ err, res }),
    );
    const answer = (_res: ServerResponse, arg: string) => {
      if (arg === 'bad') throw new TypeError('Invalid character in header content ["location"]');
      answered.push(arg);
    };
    const responses = ['r0', 'bad', 'r2'].map((arg) => ({ arg, res: { name: arg } as unknown as ServerResponse }));
    for (const { arg, res } of responses)
      batch.add(edgeRecordLine(`id-${arg}`, 'click', 1, '["c","c","m","https://a.example.com/",0]', null, null, 'GET'), res, answer, arg, 0, 0);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(answered, ['r0', 'r2']);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.res, responses[1]!.res, 'the failing request is the one reported');
    assert.match(String(failed[0]!.err), /Invalid character/);
  } finally {
    await spool.close();
  }
});

test('the user agent comes from the raw headers as Node would give it: any case, the first of repeats', () => {
  const cases: Array<[string[], string | undefined]> = [
    [['Host', 'a', 'User-Agent', 'Mozilla/5.0'], 'Mozilla/5.0'],
    [['user-agent', 'curl/8.5.0'], 'curl/8.5.0'],
    [['USER-AGENT', 'x', 'User-Agent', 'second'], 'x'],
    [['Connection', 'keep-alive', 'Keep-Alive', 'timeout=5'], undefined],
    [['User-Agent', ''], ''],
    [[], undefined],
  ];
  for (const [raw, want] of cases) assert.equal(userAgentOf(raw), want, JSON.stringify(raw));
});
