// The text report's duration format (the median time to first reply): two largest whole units.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmtDuration } from './format-table.js';

test('durations read as their two largest whole units', () => {
  const cases: Array<[number | null, string]> = [
    [null, 'n/a'],
    [0, '0s'],
    [0.5, '0s'],
    [45, '45s'],
    [60, '1m'],
    [1200, '20m'],
    [3661, '1h 1m'],
    [4 * 3600 + 12 * 60 + 59, '4h 12m'],
    [86_400, '1d'],
    [2 * 86_400 + 3 * 3600 + 59, '2d 3h'],
  ];
  for (const [s, text] of cases) assert.equal(fmtDuration(s), text, `${s} s`);
});
