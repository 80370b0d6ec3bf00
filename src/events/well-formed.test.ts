// Well-formed text: lone surrogates are found, named by position, and refused at every event entrance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseEvent } from './parse-event.js';
import { illFormedField, illFormedPath, illFormedReason } from './well-formed.js';

test('lone surrogates are found and named; pairs and plain text pass', () => {
  const table: Array<[string, string | null]> = [
    ['plain', null],
    ['emoji 😀 ok', null],
    ['', null],
    ['poison\ud800', 'contains a lone surrogate (U+D800) at character 7; text must be well-formed Unicode'],
    ['\udc00first', 'contains a lone surrogate (U+DC00) at character 1; text must be well-formed Unicode'],
    ['ab\ud83d\ud83d\ude00', 'contains a lone surrogate (U+D83D) at character 3; text must be well-formed Unicode'],
  ];
  for (const [s, want] of table) assert.equal(illFormedReason(s), want, JSON.stringify(s));
});

test('fields and JSON paths are named', () => {
  assert.equal(
    illFormedField({ type: 'open', campaign: 'ok', message: 'x\udfff' }),
    'message: contains a lone surrogate (U+DFFF) at character 2; text must be well-formed Unicode',
  );
  assert.equal(illFormedField({ step: 3, campaign: 'fine' }), null);
  assert.match(illFormedPath({ a: [{ b: 'ok' }, { b: 'x\ud800' }] }) ?? '', /^a\[1\]\.b: contains a lone surrogate/);
  assert.match(illFormedPath({ 'k\ud800': 1 }) ?? '', /^body: a field name contains a lone surrogate/);
  assert.match(illFormedPath('\ud800') ?? '', /^body: /);
  assert.equal(illFormedPath({ a: [1, null, true, 'x'] }), null);
});

test('property: an event is refused exactly when one of its strings is ill-formed', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'é', '😀', '\ud800', '\udc00', '\u2028', '"', '\\'), minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(text, text, (campaign, recipient) => {
      const r = parseEvent({ type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm', campaign, recipient });
      const bad = illFormedReason(campaign) !== null || illFormedReason(recipient) !== null;
      assert.equal(r.ok, !bad, JSON.stringify({ campaign, recipient }));
      if (!r.ok) assert.match(r.reason, /^(campaign|recipient): contains a lone surrogate/);
    }),
    { numRuns: 2000 },
  );
});
