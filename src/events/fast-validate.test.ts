// The compiled fast validator (ajv) and the zod schema must give the same verdict: a row the fast
// path accepts is stored without zod ever seeing it. Table-driven edge cases, then a seeded sweep, then the
// build's compiled copy of the validator and the digest that keeps a stale one out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { eventInputSchema } from './event.js';
import { eventJsonSchema, fastAccepts, precompiled, usesBuiltValidator, validatorDigest, validatorSource } from './fast-validate.js';
import { coerceNumbers, parseEvent } from './parse-event.js';
import { illFormedField } from './well-formed.js';

const T = '2026-03-01T09:00:00Z';
const open = (extra: Record<string, unknown>) => ({ type: 'open', ts: T, message: 'm', ...extra });
const sent = { type: 'sent', ts: T, message: 'm', campaign: 'c', recipient: 'r' };
const emoji = (n: number) => '😀'.repeat(n); // 2 UTF-16 units, 1 code point each

/**
 * [name, input, accepted by the schema and rules (before the calendar check), fast-path verdict when
 * it differs]. The one allowed difference: the fast path counts UTF-16 units where zod counts code
 * points (see fast-validate.ts), so near a length limit it may refuse emoji that zod accepts; such a
 * row then goes to zod, and parseEvent's verdict is zod's.
 */
const cases: Array<[string, Record<string, unknown>, boolean, boolean?]> = [
  ['minimal open', open({}), true],
  ['every sent field', { ...sent, id: 'e1', step: 2, variant: 'A', segment: 'vip' }, true],
  // types
  ['type missing', { ts: T, message: 'm' }, false],
  ['type not a string', { type: 5, ts: T, message: 'm' }, false],
  ['type in upper case', { type: 'OPEN', ts: T, message: 'm' }, false],
  ['unknown type', { type: 'view', ts: T, message: 'm' }, false],
  ['message null', open({ message: null }), false],
  ['message a number', open({ message: 42 }), false],
  ['message an object', open({ message: {} }), false],
  ['message an array', open({ message: ['m'] }), false],
  ['message empty', open({ message: '' }), false],
  ['user_agent empty is allowed', open({ user_agent: '' }), true],
  ['undefined-valued key is absent', open({ campaign: undefined }), true],
  ['undefined required field is missing', { type: 'open', ts: T, message: undefined }, false],
  // numbers, including CSV text (coerced before validation, as every path does)
  ['step as text', { ...sent, step: '3' }, true],
  ['step as padded text', { ...sent, step: ' 3 ' }, true],
  ['step as exponent text', { ...sent, step: '3e0' }, true],
  ['step as fraction text', { ...sent, step: '3.5' }, false],
  ['step as words', { ...sent, step: 'three' }, false],
  ['step 0', { ...sent, step: 0 }, false],
  ['step -1', { ...sent, step: -1 }, false],
  ['step 1.5', { ...sent, step: 1.5 }, false],
  ['step 1.0', { ...sent, step: 1.0 }, true],
  ['step at the INTEGER limit', { ...sent, step: 2_147_483_647 }, true],
  ['step over the INTEGER limit', { ...sent, step: 2_147_483_648 }, false],
  ['step 1e20', { ...sent, step: 1e20 }, false],
  ['step true', { ...sent, step: true }, false],
  ['step NaN', { ...sent, step: NaN }, false],
  ['value as text', { type: 'conversion', ts: T, message: 'm', value: '19.90' }, true],
  ['value negative zero', { type: 'conversion', ts: T, message: 'm', value: -0 }, true],
  ['value Infinity (JSON 1e999)', { type: 'conversion', ts: T, message: 'm', value: JSON.parse('1e999') }, false],
  ['value NaN', { type: 'conversion', ts: T, message: 'm', value: NaN }, false],
  ['value words', { type: 'conversion', ts: T, message: 'm', value: 'lots' }, false],
  ['value null', { type: 'conversion', ts: T, message: 'm', value: null }, false],
  // times (the calendar is checked after the schema; see the parseEvent test below)
  ['ts missing', { type: 'open', message: 'm' }, false],
  ['ts a number', open({ ts: 1772355600000 }), false],
  ['ts without offset', open({ ts: '2026-03-01T09:00:00' }), false],
  ['ts with lower-case z and a space', open({ ts: '2026-03-01 09:00z' }), true],
  ['ts with +0100', open({ ts: '2026-03-01T10:00:00+0100' }), true],
  ['ts with nanoseconds', open({ ts: '2026-03-01T09:00:00.123456789Z' }), true],
  ['ts with ten fraction digits', open({ ts: '2026-03-01T09:00:00.1234567891Z' }), false],
  ['ts with a trailing newline', open({ ts: `${T}\n` }), false],
  ['ts with non-ASCII digits', open({ ts: '٢٠٢٦-03-01T09:00:00Z' }), false],
  ['ts 2026-02-30 (schema-valid shape)', open({ ts: '2026-02-30T09:00:00Z' }), true],
  // unknown fields, including names that live on Object.prototype
  ['a typo', open({ campain: 'c' }), false],
  ['__proto__ as an own key', JSON.parse('{"type":"open","ts":"2026-03-01T09:00:00Z","message":"m","__proto__":{"x":1}}'), false],
  ['constructor as a key', open({ constructor: 'x' }), false],
  ['toString as a key', open({ toString: 'x' }), false],
  // lengths: zod 4 counts code points, and so must the fast path
  ['id of 200 characters', open({ id: 'x'.repeat(200) }), true],
  ['id of 201 characters', open({ id: 'x'.repeat(201) }), false],
  ['id of 200 emoji (400 UTF-16 units, 200 code points)', open({ id: emoji(200) }), true, false],
  ['id of 100 emoji (200 UTF-16 units)', open({ id: emoji(100) }), true],
  ['id of 201 emoji', open({ id: emoji(201) }), false],
  ['id of 200 units ending in a lone surrogate', open({ id: `${'x'.repeat(199)}\ud800` }), true],
  ['label of 101 emoji', open({ variant: emoji(101) }), false],
  ['user_agent of 2048', open({ user_agent: 'u'.repeat(2048) }), true],
  ['user_agent of 2049', open({ user_agent: 'u'.repeat(2049) }), false],
  // urls and methods
  ['url https', { type: 'click', ts: T, message: 'm', url: 'https://a.example/' }, true],
  ['url in upper case', { type: 'click', ts: T, message: 'm', url: 'HTTP://A.EXAMPLE/' }, true],
  ['url ftp', { type: 'click', ts: T, message: 'm', url: 'ftp://a.example/' }, false],
  ['url javascript:', { type: 'click', ts: T, message: 'm', url: 'javascript:alert(1)' }, false],
  ['url empty', { type: 'click', ts: T, message: 'm', url: '' }, false],
  ['url over 8192', { type: 'click', ts: T, message: 'm', url: `https://a/${'x'.repeat(8183)}` }, false],
  ['method get', open({ method: 'get' }), true],
  ['method Get', open({ method: 'Get' }), false],
  ['method POST', open({ method: 'POST' }), false],
  // per-type rules (event-rules.ts)
  ['sent without recipient', { ...sent, recipient: undefined }, false],
  ['sent without campaign', { ...sent, campaign: undefined }, false],
  ['sent without message', { ...sent, message: undefined }, false],
  ['open with only a campaign', { type: 'open', ts: T, campaign: 'c' }, false],
  ['impression', { type: 'impression', ts: T, campaign: 'c', ad: 'banner' }, true],
  ['impression without campaign', { type: 'impression', ts: T }, false],
  ['impression with a message', { type: 'impression', ts: T, campaign: 'c', message: 'm' }, false],
  ['ad click', { type: 'click', ts: T, campaign: 'ads' }, true],
  ['email click without url', { type: 'click', ts: T, message: 'm' }, false],
  ['email click with campaign, without url', { type: 'click', ts: T, message: 'm', campaign: 'c' }, false],
  ['click with neither message nor campaign', { type: 'click', ts: T, url: 'https://a/' }, false],
  ['ad conversion', { type: 'conversion', ts: T, campaign: 'ads', value: 3 }, true],
  ['conversion with neither', { type: 'conversion', ts: T }, false],
  ['reply', { type: 'reply', ts: T, message: 'm' }, true],
  ['complaint without message', { type: 'complaint', ts: T, campaign: 'c' }, false],
];

const zodAccepts = (input: Record<string, unknown>) => eventInputSchema.safeParse(input).success;

for (const [name, input, expected, fast = expected] of cases) {
  test(`fast path and zod agree: ${name}`, () => {
    const coerced = coerceNumbers(input);
    assert.equal(zodAccepts(coerced), expected, 'zod verdict');
    assert.equal(fastAccepts(coerced), fast, 'fast-path verdict');
    // The calendar and well-formed text are checked beside the schema (parse-event.ts), not by it.
    if ((!coerced.ts || typeof coerced.ts !== 'string' || !coerced.ts.startsWith('2026-02-30')) && illFormedField(coerced) === null) {
      assert.equal(parseEvent(input).ok, expected, 'parseEvent verdict (zod is the judge)');
    }
  });
}

/** True when some string of the input holds a character outside the BMP (two UTF-16 units). */
const hasAstral = (input: Record<string, unknown>) => Object.values(input).some((v) => typeof v === 'string' && /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(v));

test('the calendar check follows the schema on both paths: 2026-02-30 and +01 offsets are refused', () => {
  for (const ts of ['2026-02-30T09:00:00Z', '2026-04-31T00:00:00Z', '2025-02-29T00:00:00Z', '2026-03-01T09:00:00+01']) {
    const r = parseEvent(open({ ts }));
    assert.equal(r.ok, false, ts);
    if (!r.ok) assert.match(r.reason, /not a real date/);
  }
  assert.ok(parseEvent(open({ ts: '2028-02-29T00:00:00Z' })).ok, 'a leap day exists');
});

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOLS: Record<string, unknown[]> = {
  type: ['open', 'sent', 'delivered', 'bounced', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion', 'impression', 'view', 3],
  ts: [T, '2026-03-01T09:00:00', '2026-03-01 09:00+01:00', 'soon', 7],
  id: ['e1', '', 'x'.repeat(201), emoji(200), emoji(201)],
  message: ['m', '', null, 5],
  campaign: ['c', '', { a: 1 }],
  recipient: ['r', 'x'.repeat(321)],
  step: [1, 0, 2.5, '4', 'x', 2_147_483_648],
  variant: ['A', ''],
  segment: ['vip', emoji(100), emoji(101)],
  ad: ['banner', ''],
  url: ['https://a/', 'mailto:x', ''],
  ip: ['1.2.3.4', ''],
  user_agent: ['Mozilla/5.0', ''],
  method: ['GET', 'head', 'PUT'],
  value: [1.5, '2', 'n/a', -3],
  stray: ['x'],
};

test('fast path and zod agree on 10,000 seeded combinations of fields', () => {
  const next = rng(2026);
  const fields = Object.keys(POOLS);
  let accepted = 0;
  for (let n = 0; n < 10_000; n++) {
    const input: Record<string, unknown> = {};
    for (const f of fields) {
      // type and ts are usually present, so that the per-type rules get exercised
      const p = f === 'type' || f === 'ts' ? 0.95 : f === 'stray' ? 0.03 : 0.35;
      if (next() < p) {
        // The first value of each pool is a valid one; it comes up half the time.
        const pool = POOLS[f] as unknown[];
        input[f] = next() < 0.5 ? pool[0] : pool[Math.floor(next() * pool.length)];
      }
    }
    const coerced = coerceNumbers(input);
    const z = zodAccepts(coerced);
    if (z) accepted++;
    const fast = fastAccepts(coerced);
    if (fast) assert.ok(z, `case ${n}: the fast path accepted what zod refuses: ${JSON.stringify(input)}`);
    else if (!hasAstral(coerced)) assert.ok(!z, `case ${n}: the fast path refused what zod accepts: ${JSON.stringify(input)}`);
  }
  assert.ok(accepted > 300, `the sweep must also cover valid events (${accepted})`);
});

// The verdicts above come from the build's compiled validator (dist/src/events/event-validator.js, written by
// build-validator.ts before the tests run), and only a file compiled from the current schema is used.
test('the build compiled the validator from the current schema, and these tests used it', () => {
  assert.equal(usesBuiltValidator, true);
});

test('a compiled validator is used only when its digest is the schema’s: stale, broken or missing, it is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-validator-'));
  try {
    const digest = validatorDigest(eventJsonSchema());
    const file = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return pathToFileURL(p);
    };
    const acceptsAll = 'export const validate = () => true;';
    assert.equal(await precompiled(file('stale.js', `export const digest = 'an older schema';\n${acceptsAll}`), digest), null);
    assert.equal(await precompiled(file('no-digest.js', acceptsAll), digest), null);
    assert.equal(await precompiled(file('broken.js', 'export const = ;'), digest), null);
    assert.equal(await precompiled(pathToFileURL(join(dir, 'missing.js')), digest), null);
    // The build's own output, written afresh, is taken and judges as the one in use does.
    const built = await precompiled(file('fresh.js', await validatorSource(eventJsonSchema())), digest);
    assert.ok(built);
    assert.equal(built(open({})), true);
    assert.equal(built(open({ message: '' })), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
