// Tests for calc: SPEC.md's worked figures, the families of denominators, and what is refused or warned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClickrateError } from '../errors.js';
import { calc, type CalcInput } from './calc.js';

test("calc reproduces SPEC.md's worked figures", () => {
  const email = calc({ clicks: 1000, delivered: 10000 });
  assert.equal(email.ctr, 10);
  assert.equal(email.kind, 'email');
  assert.equal(email.ctor, undefined, 'no opens, no CTOR');

  const both = calc({ clicks: 1000, delivered: 10000, opens: 4500 });
  assert.equal(both.ctr, 10);
  assert.equal(both.ctor?.toFixed(2), '22.22');
  assert.ok(Math.abs(both.ctor! - 200 / 9) < 1e-12, 'CTOR kept at full precision');
  assert.equal(both.open_rate, 45);

  const ctor = calc({ clicks: 1240, opens: 8200 });
  assert.equal(ctor.ctor?.toFixed(2), '15.12');
  assert.equal(ctor.ctor?.toFixed(1), '15.1');
  assert.equal(ctor.ctr, undefined, 'no delivered, no CTR');

  const ad = calc({ clicks: 200, impressions: 50000 });
  assert.equal(ad.kind, 'ad');
  assert.equal(ad.ctr, 0.4);
  assert.deepEqual(ad.warnings, []);
});

test('calc attaches a 95% Wilson interval to each rate', () => {
  const r = calc({ clicks: 1000, delivered: 10000, opens: 4500 });
  const ci = r.ci.ctr;
  assert.ok(ci);
  assert.equal(ci[0].toFixed(2), '9.43');
  assert.equal(ci[1].toFixed(2), '10.60');
  assert.ok(r.ci.ctor && r.ci.ctor[0] < r.ctor! && r.ctor! < r.ci.ctor[1]);
  assert.ok(r.ci.open_rate && r.ci.open_rate[0] < 45 && 45 < r.ci.open_rate[1]);
  assert.deepEqual(calc({ clicks: 0, delivered: 0 }).ci.ctr, null);
});

test('calc: zero denominators give null rates and a warning, never NaN', () => {
  const cases: Array<[CalcInput, 'ctr' | 'ctor', RegExp]> = [
    [{ clicks: 0, delivered: 0 }, 'ctr', /delivered is 0/],
    [{ clicks: 0, opens: 0 }, 'ctor', /opens is 0/],
    [{ clicks: 0, impressions: 0 }, 'ctr', /impressions is 0/],
  ];
  for (const [input, key, warning] of cases) {
    const r = calc(input);
    assert.equal(r[key], null, JSON.stringify(input));
    assert.ok(
      r.warnings.some((w) => warning.test(w)),
      `${JSON.stringify(input)}: ${r.warnings.join('; ')}`,
    );
  }
});

test('calc refuses impossible or malformed input with CR_ERR_BAD_INPUT naming the flag', () => {
  const cases: Array<[CalcInput, RegExp]> = [
    [{ clicks: -3, delivered: 10 }, /--clicks.*-3/],
    [{ clicks: 1.5, delivered: 10 }, /--clicks.*1\.5/],
    [{ clicks: Number.NaN, delivered: 10 }, /--clicks.*NaN/],
    [{ clicks: 1, delivered: Number.POSITIVE_INFINITY }, /--delivered.*Infinity/],
    [{ clicks: 1, opens: -1 }, /--opens.*-1/],
    [{ clicks: 1, impressions: 2.5 }, /--impressions.*2\.5/],
    [{ clicks: 10 }, /--delivered.*--impressions/],
    [{ clicks: 10, delivered: 100, impressions: 1000 }, /--impressions cannot be combined/],
    [{ clicks: 10, opens: 100, impressions: 1000 }, /--impressions cannot be combined/],
    [{ clicks: 11, delivered: 10 }, /--clicks \(11\) cannot exceed --delivered \(10\)/],
    [{ clicks: 11, impressions: 10 }, /--clicks \(11\) cannot exceed --impressions \(10\)/],
    [{ clicks: 1, opens: 11, delivered: 10 }, /--opens \(11\) cannot exceed --delivered \(10\)/],
    // CTOR cannot exceed 100%: a click implies an open (SPEC.md), so opens given must include every clicker.
    [{ clicks: 1300, opens: 1240 }, /--clicks \(1,300\) cannot exceed --opens \(1,240\): a click implies an open.*images blocked/],
    [{ clicks: 5, opens: 4, delivered: 10 }, /--clicks \(5\) cannot exceed --opens \(4\)/],
    [{ delivered: 10 } as unknown as CalcInput, /--clicks is required/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => calc(input),
      (err: unknown) => {
        assert.ok(err instanceof ClickrateError, `${JSON.stringify(input)}: not a ClickrateError`);
        assert.equal(err.code, 'CR_ERR_BAD_INPUT');
        assert.match(err.message, message);
        return true;
      },
      JSON.stringify(input),
    );
  }
});
