// Report queries from loose input (CLI flags, query strings): refused with CR_ERR_BAD_QUERY naming the
// field, or checked values a store can take; never another error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isClickrateError } from '../errors.js';
import { GROUPINGS, parseReportQuery, type ReportQueryInput } from './report-query.js';

test('bad fields are refused and named', () => {
  const table: Array<[ReportQueryInput, RegExp]> = [
    [{}, /a campaign id is required/],
    [{ campaign: '  ' }, /a campaign id is required/],
    [{ campaign: 'c', by: 'week' }, /cannot break down by 'week'/],
    [{ campaign: 'c', window: '7 d' }, /bad window "7 d"/],
    [{ campaign: 'c', control: 'A' }, /--control only applies with --by variant/],
    [{ campaign: 'poison\ud800' }, /^campaign contains a lone surrogate \(U\+D800\)/],
    [{ campaign: 'x'.repeat(201) }, /campaign is longer than 200 characters/],
    [{ campaign: 3 }, /campaign must be text/],
  ];
  for (const [input, message] of table) assert.throws(() => parseReportQuery(input), { code: 'CR_ERR_BAD_QUERY', message }, JSON.stringify(input));
});

test('property: any input is a checked query or a CR_ERR_BAD_QUERY', () => {
  const loose = fc.oneof(fc.string({ maxLength: 250 }), fc.constantFrom(...GROUPINGS, '7d', '0d', '366d', '48h', '\ud800'), fc.anything());
  fc.assert(
    fc.property(fc.record({ campaign: loose, by: loose, window: loose, control: loose }, { requiredKeys: [] }), (input) => {
      try {
        const q = parseReportQuery(input);
        assert.ok(q.campaign.length > 0 && q.campaign.length <= 200);
        assert.ok(q.by === null || (GROUPINGS as readonly string[]).includes(q.by));
        assert.ok(q.window === null || (Number.isSafeInteger(q.window.ms) && q.window.ms > 0));
      } catch (err) {
        assert.ok(isClickrateError(err) && err.code === 'CR_ERR_BAD_QUERY', String(err));
      }
    }),
    { numRuns: 3000 },
  );
});
