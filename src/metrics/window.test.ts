// Tests for reporting-window parsing: accepted forms, their lengths, and refusals a user would hit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClickrateError } from '../errors.js';
import { parseWindow, withinWindow } from './window.js';

test('parseWindow accepts s, m, h, d and w with the right length', () => {
  const cases: Array<[string, string, number]> = [
    ['3600s', '3600s', 3_600_000],
    ['30m', '30m', 1_800_000],
    ['48h', '48h', 172_800_000],
    ['7d', '7d', 604_800_000],
    ['2w', '2w', 1_209_600_000],
    ['1s', '1s', 1_000],
    ['365d', '365d', 31_536_000_000],
    [' 7D ', '7d', 604_800_000], // tolerant of case and surrounding space
    ['07d', '7d', 604_800_000], // normalised text echoed in reports
  ];
  for (const [input, text, ms] of cases) assert.deepEqual(parseWindow(input), { text, ms }, input);
});

test('parseWindow refuses bad windows with CR_ERR_BAD_QUERY naming the value and the accepted forms', () => {
  const bad = ['', '7', 'd', '0d', '-7d', '1.5d', '7 d', '7days', '7y', 'abc', '1e3s', '366d', '53w', '9999999999999d'];
  for (const input of bad) {
    assert.throws(
      () => parseWindow(input),
      (err: unknown) => {
        assert.ok(err instanceof ClickrateError, `${input}: not a ClickrateError`);
        assert.equal(err.code, 'CR_ERR_BAD_QUERY');
        assert.ok(err.message.includes(`"${input}"`), `message names the value: ${err.message}`);
        assert.ok(err.message.includes('7d'), `message lists accepted forms: ${err.message}`);
        return true;
      },
      input,
    );
  }
});

test('withinWindow: events up to and including W after the send count; no window counts everything', () => {
  const sent = Date.parse('2025-03-01T00:00:00Z');
  const w = parseWindow('7d');
  const cases: Array<[string, boolean]> = [
    ['2025-03-01T00:00:05Z', true], // seconds after
    ['2025-03-08T00:00:00Z', true], // exactly 7d: inclusive
    ['2025-03-08T00:00:01Z', false], // a second too late
    ['2025-02-28T23:59:58Z', true], // clock skew before the send still counts
  ];
  for (const [at, want] of cases) assert.equal(withinWindow(sent, Date.parse(at), w), want, at);
  assert.equal(withinWindow(sent, Date.parse('2026-03-01T00:00:00Z'), null), true, 'no window');
});
