// The instant of a ts: the digit reader for the common `…sssZ` form must agree with Date.parse on
// every text it answers for, and leave every other text to it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instantOf, isoZInstant } from './event.js';

const answered: string[] = [
  '2026-02-08T10:00:01.617Z',
  '2026-02-08 10:00:01.617Z',
  '1970-01-01T00:00:00.000Z',
  '1969-12-28T23:59:59.999Z',
  '0100-01-01T00:00:00.000Z',
  '9999-12-28T23:59:59.999Z',
  '2024-02-28T00:00:00.001Z',
];
const leftToDateParse: string[] = [
  '2026-02-29T10:00:01.617Z', // the 29th and later: the calendar check decides
  '2024-02-29T10:00:01.617Z',
  '2026-01-31T10:00:01.617Z',
  '2026-02-08T24:00:00.000Z', // hour 24: Date.parse's rule, not a roll-over here
  '2026-02-08T10:60:00.000Z',
  '2026-02-08T10:00:60.000Z',
  '0099-01-01T00:00:00.000Z', // Date.UTC would read year 99 as 1999
  '2026-13-08T10:00:01.617Z',
  '2026-00-08T10:00:01.617Z',
  '2026-02-00T10:00:01.617Z',
  '2026-02-08T10:00:01.61xZ',
  '2026-02-08T10:00:01Z',
  '2026-02-08T10:00:01.617+00:00',
  '2026-02-08T10:00:01.617z',
  '2026-02-08X10:00:01.617Z',
  '2026/02/08T10:00:01.617Z',
  '２026-02-08T10:00:01.617Z',
];

for (const s of answered) {
  test(`isoZInstant reads ${s} as Date.parse does`, () => assert.equal(isoZInstant(s), Date.parse(s)));
}
for (const s of leftToDateParse) {
  test(`isoZInstant leaves ${s} to Date.parse`, () => assert.equal(isoZInstant(s), null));
}

test('isoZInstant agrees with Date.parse over a seeded sweep of instants', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 20_000; i++) {
    // Year 100 to 9999, before and after 1970.
    const ms = ((next() * 2 ** 16 + next()) % 312413760000000) - 59011459200000;
    const s = new Date(ms).toISOString();
    const day = Number(s.slice(8, 10));
    assert.equal(isoZInstant(s), day <= 28 ? ms : null, s);
    assert.equal(instantOf(s), ms, s);
  }
});

test('instantOf still refuses dates that do not exist', () => {
  assert.equal(instantOf('2026-02-31T09:00:00.000Z'), null);
  assert.equal(instantOf('2026-02-28T09:00:00.000Z'), Date.parse('2026-02-28T09:00:00.000Z'));
});
