// Table-driven checks of the event schema: what is accepted, how it is normalized, and that each
// refusal names the field at fault.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropEmptyCells, parseEvent } from './parse-event.js';

const ok: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  [
    'sent with all labels',
    { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm', campaign: 'c', recipient: 'r', step: 2, variant: 'A', segment: 'vip' },
    { step: 2, variant: 'A', ts: Date.parse('2026-03-01T09:00:00Z') },
  ],
  ['offset time is converted to the instant', { type: 'open', ts: '2026-03-01T10:00:00+01:00', message: 'm' }, { ts: Date.parse('2026-03-01T09:00:00Z') }],
  ['CSV strings for numbers', { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm', campaign: 'c', recipient: 'r', step: '3' }, { step: 3 }],
  ['method is upper-cased', { type: 'click', ts: '2026-03-01T09:00:00Z', message: 'm', url: 'https://a.example/', method: 'head' }, { method: 'HEAD' }],
  [
    'ad click: campaign, no message, no url needed',
    { type: 'click', ts: '2026-03-01T09:00:00Z', campaign: 'ads', ad: 'banner' },
    { message: null, campaign: 'ads' },
  ],
  ['conversion value from text', { type: 'conversion', ts: '2026-03-01T09:00:00Z', message: 'm', value: '19.90' }, { value: 19.9 }],
  ['absent fields are null', { type: 'reply', ts: '2026-03-01T09:00:00Z', message: 'm' }, { campaign: null, url: null, id: null }],
];

for (const [name, input, expected] of ok) {
  test(`accepts: ${name}`, () => {
    const r = parseEvent(input);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    for (const [k, v] of Object.entries(expected)) assert.deepEqual((r.event as Record<string, unknown>)[k], v, k);
  });
}

const bad: Array<[string, unknown, RegExp]> = [
  ['not an object', [1, 2], /JSON object/],
  ['unknown type', { type: 'view', ts: '2026-03-01T09:00:00Z', message: 'm' }, /type must be one of/],
  ['local time without offset', { type: 'open', ts: '2026-03-01T09:00:00', message: 'm' }, /offset or Z/],
  ['impossible date', { type: 'open', ts: '2026-02-31T09:00:00Z', message: 'm' }, /not a real date|offset/],
  ['sent without recipient', { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm', campaign: 'c' }, /recipient is required/],
  ['sent without campaign', { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm', recipient: 'r' }, /campaign is required/],
  ['email click without url', { type: 'click', ts: '2026-03-01T09:00:00Z', message: 'm' }, /url is required/],
  ['open without message', { type: 'open', ts: '2026-03-01T09:00:00Z' }, /message is required/],
  ['impression with a message', { type: 'impression', ts: '2026-03-01T09:00:00Z', campaign: 'c', message: 'm' }, /take no message/],
  ['step 0', { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm', campaign: 'c', recipient: 'r', step: 0 }, /step/],
  ['step 1.5', { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'm', campaign: 'c', recipient: 'r', step: 1.5 }, /whole number/],
  ['value not a number', { type: 'conversion', ts: '2026-03-01T09:00:00Z', message: 'm', value: 'lots' }, /value/],
  ['javascript: url', { type: 'click', ts: '2026-03-01T09:00:00Z', message: 'm', url: 'javascript:alert(1)' }, /absolute http/],
  ['method POST', { type: 'click', ts: '2026-03-01T09:00:00Z', message: 'm', url: 'https://a/', method: 'POST' }, /GET or HEAD/],
  ['a typo in a field name', { type: 'open', ts: '2026-03-01T09:00:00Z', message: 'm', campain: 'c' }, /unknown field 'campain'/],
];

for (const [name, input, reason] of bad) {
  test(`refuses: ${name}`, () => {
    const r = parseEvent(input);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.reason, reason);
  });
}

test('empty CSV cells mean absent fields', () => {
  assert.deepEqual(dropEmptyCells({ a: '', b: 'x', c: undefined }), { b: 'x' });
});
