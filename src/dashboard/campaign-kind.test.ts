// The body of PUT /api/v1/campaigns/<id>/settings, checked by the zod schema the API description shows:
// good bodies pass as they are; each bad one is CR_ERR_BAD_INPUT with a message and a field naming what
// is wrong. (Over HTTP, with the answers' statuses: dashboard-routes.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isClickrateError } from '../errors.js';
import { parseSettingsBody } from './campaign-kind.js';

test('settings bodies that set or clear the kind pass as they are', () => {
  for (const body of [{ kind: 'outreach' }, { kind: 'newsletter' }, { kind: 'promotional' }, { kind: 'transactional' }, { kind: null }]) {
    assert.deepEqual(parseSettingsBody(body), body);
  }
});

test('bad settings bodies are CR_ERR_BAD_INPUT naming the field', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['an array', [1], 'kind', /^the body must be a JSON object with "kind"$/],
    ['null', null, 'kind', /JSON object with "kind"/],
    ['a string', 'outreach', 'kind', /JSON object with "kind"/],
    ['a number', 7, 'kind', /JSON object with "kind"/],
    ['no kind', {}, 'kind', /JSON object with "kind"/],
    ['no kind, another setting', { colour: 'red' }, 'kind', /JSON object with "kind"/],
    ['an unknown kind', { kind: 'cold' }, 'kind', /^kind must be one of promotional, newsletter, outreach, transactional \(or null to infer it\); got "cold"$/],
    ['a kind of the wrong case', { kind: 'Outreach' }, 'kind', /got "Outreach"/],
    ['a kind that is a number', { kind: 1 }, 'kind', /kind must be one of .*; got 1$/],
    ['a kind that is an object', { kind: { a: 1 } }, 'kind', /got \{"a":1\}$/],
    ['an unknown setting', { kind: 'outreach', colour: 'red' }, 'colour', /^unknown setting "colour"; only "kind" can be set$/],
    ['two unknown settings', { kind: null, a: 1, b: 2 }, 'a', /unknown setting "a"/],
  ];
  for (const [what, body, field, message] of cases) {
    assert.throws(
      () => parseSettingsBody(body),
      (err: unknown) => {
        assert.ok(isClickrateError(err), what);
        assert.equal(err.code, 'CR_ERR_BAD_INPUT', what);
        assert.match(err.message, message, what);
        assert.deepEqual(err.details, { field }, what);
        return true;
      },
      what,
    );
  }
});
