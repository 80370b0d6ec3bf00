// Properties of the spool's record encoding (fast-check): whatever text a click carries in its agent,
// address or token fields (lone surrogates, control characters, U+2028 included), the edge writes one
// line, and the reader gives back the same values or sets the record aside with a reason; on any bytes
// at all it never throws.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { makeEvent } from '../events/make-event.js';
import { edgeRecordLine } from '../http/track-routes.js';
import { createKeyring, generateKey } from './keyring.js';
import { readRecord, readSegment } from './spool-read.js';
import { signToken, verifyTrackingToken } from './token.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-spool-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ring = createKeyring('k1', { k1: generateKey() });

// Any UTF-16 code unit sequence, and one weighted towards the characters that break encoders.
const awkward = fc.constantFrom(
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u2028',
  '\u2029',
  '\u0085',
  '\n',
  '\r',
  '\u0000',
  '\u001f',
  '"',
  '\\',
  '\\u',
  '😀',
  'é',
  'a',
);
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: awkward, maxLength: 12 }));
const nonEmpty = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.string({ unit: awkward, minLength: 1, maxLength: 12 }));

const click = fc.record({
  id: fc.uuid(),
  type: fc.constantFrom('click' as const, 'open' as const),
  ts: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  campaign: nonEmpty,
  message: nonEmpty,
  url: text.map((t) => `https://a.example.com/${t}`),
  link: fc.nat(50),
  ip: fc.option(text),
  user_agent: fc.option(text),
  method: fc.constantFrom('GET' as const, 'HEAD' as const),
});
type Click = typeof click extends fc.Arbitrary<infer T> ? T : never;

function lineOf(c: Click): string {
  const payload =
    c.type === 'click'
      ? { kind: 'click' as const, campaign: c.campaign, message: c.message, url: c.url, link: c.link }
      : { kind: 'open' as const, campaign: c.campaign, message: c.message };
  const json = verifyTrackingToken(signToken(payload, ring), ring, c.type).json;
  return edgeRecordLine(c.id, c.type, c.ts, json, c.ip, c.user_agent, c.method);
}

const LONE = /[\uD800-\uDFFF]/u;
const expected = ({ link: _link, ...c }: Click) => makeEvent({ ...c, url: c.type === 'click' ? c.url : null });

let files = 0;

test('an edge record is one line, and reads back with its values, or set aside with a reason when ill-formed', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(click, { minLength: 1, maxLength: 20 }), async (clicks) => {
      const lines = clicks.map(lineOf);
      for (const l of lines) assert.equal(l.indexOf('\n'), l.length - 1, 'exactly one line, ending in its newline');
      // Through the disk, as the store worker reads it: UTF-8 out and back in.
      const path = join(dir, `seg-${++files}.jsonl`);
      const body = Buffer.from(lines.join(''), 'utf8');
      writeFileSync(path, body);
      const batch = await readSegment(path, 0, body.length, 1000);
      assert.equal(batch.end, body.length);
      const illFormed = clicks.filter((c) =>
        [c.campaign, c.message, c.type === 'click' ? c.url : null, c.ip, c.user_agent].some((v) => typeof v === 'string' && LONE.test(v)),
      );
      assert.deepEqual(batch.records, clicks.filter((c) => !illFormed.includes(c)).map(expected), 'well-formed records keep every value');
      assert.deepEqual(
        batch.dead.map((d) => d.record),
        illFormed.map(expected),
        'ill-formed ones are set aside whole',
      );
      for (const d of batch.dead) assert.match(d.reason, /ill-formed Unicode/);
    }),
    { numRuns: 200 },
  );
});

test('readRecord never throws on any text: a record, or a reason', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.string({ unit: awkward })), (line) => {
      const r = readRecord(line);
      assert.ok(r.record !== undefined || typeof r.reason === 'string');
    }),
    { numRuns: 500 },
  );
});

test('readSegment never throws on any bytes, and accounts for every whole line', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      const path = join(dir, `seg-${++files}.jsonl`);
      writeFileSync(path, bytes);
      const whole = bytes.lastIndexOf(0x0a) + 1; // the spool reads whole lines only
      const batch = await readSegment(path, 0, whole, 10_000);
      const lines = bytes.subarray(0, whole).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
      assert.equal(batch.records.length + batch.dead.length, lines);
      assert.equal(batch.end, whole);
    }),
    { numRuns: 300 },
  );
});
