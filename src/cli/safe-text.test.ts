// Stored text printed for people: terminal escapes and bidi controls come out as visible escapes, and
// text without them comes out exactly as it went in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { safeText } from './safe-text.js';

const CONTROL = /[\p{Cc}\p{Bidi_Control}]/u;

test('safeText: controls become escapes, everything else is unchanged', () => {
  const cases: Array<[string, string]> = [
    ['ansi\u001b]0;PWNED\u0007\u001b[31mRED', 'ansi\\x1b]0;PWNED\\x07\\x1b[31mRED'],
    ['csi\u009b31m', 'csi\\x9b31m'],
    ['del\u007f', 'del\\x7f'],
    ['nul\u0000', 'nul\\x00'],
    ['two\nlines\tand\rreturn', 'two\\x0alines\\x09and\\x0dreturn'],
    ['invoice\u202Egpj.exe', 'invoice\\u202egpj.exe'],
    ['\u2066isolate\u2069 \u200Emark\u200F \u061C', '\\u2066isolate\\u2069 \\u200emark\\u200f \\u061c'],
    ['spring-sale', 'spring-sale'],
    ['Frühling 春 🌸 \\x1b', 'Frühling 春 🌸 \\x1b'],
    ['', ''],
  ];
  for (const [input, want] of cases) assert.equal(safeText(input), want, JSON.stringify(input));
});

test('property: the output never holds a control character; text without one is unchanged', () => {
  const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0x20ff }).map((n) => String.fromCharCode(n)) }));
  fc.assert(
    fc.property(anyText, (s) => {
      const out = safeText(s);
      assert.ok(!CONTROL.test(out), JSON.stringify(out));
      if (!CONTROL.test(s)) assert.equal(out, s);
    }),
  );
});
