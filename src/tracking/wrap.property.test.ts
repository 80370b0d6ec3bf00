// Properties of wrapping on generated HTML and text: no input makes wrapping throw anything but a typed
// error, every tracked link's token carries an ASCII destination, and every byte outside the changed
// href values stays as written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isClickrateError } from '../errors.js';
import { isAsciiLocation } from './destination.js';
import { createKeyring, generateKey } from './keyring.js';
import { verifyClickToken } from './token.js';
import { wrapHtml } from './wrap-html.js';
import { wrapMessage } from './wrap-message.js';

const ring = createKeyring('k1', { k1: generateKey() });

const href = fc.oneof(
  fc.constantFrom(
    'https://例え.jp/パス?q=€',
    'https:/typo.example.com/',
    'http:\\\\evil.com',
    'https://good.com/&#13;&#10;Set-Cookie: x=1',
    '{{url}}',
    'mailto:a@b.c',
    '#top',
    '',
  ),
  fc.string({ unit: fc.constantFrom('h', 't', 'p', 's', ':', '/', '\\', '.', 'é', '€', '&', '#', '"', "'", ' ', '\n', '\u2028', '%', '?'), maxLength: 30 }),
  fc.webUrl(),
);
/** HTML made of links, stray markup and text, with the quoting styles mail clients see. */
const html = fc
  .array(
    fc.oneof(
      fc.tuple(href, fc.constantFrom('"', "'", '')).map(([h, q]) => `<a href=${q}${h}${q}>x</a>`),
      fc.constantFrom(
        '<p>',
        '</body>',
        '<!--[if mso]><v:roundrect href="http://x.com/b"></v:roundrect><![endif]-->',
        '<a href>',
        '<a',
        '&amp;',
        '<area href="https://a.example.com/m">',
      ),
      fc.string({ maxLength: 10 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

test('property: wrapping never throws but typed errors; tracked destinations are ASCII; the rest of the HTML is kept', () => {
  fc.assert(
    fc.property(html, fc.string({ maxLength: 40 }), (source, text) => {
      let result: ReturnType<typeof wrapMessage>;
      try {
        result = wrapMessage(
          { html: source, text: `${text} https://例え.jp/x ${text}`, campaign: 'c', recipient: 'r@example.com' },
          { baseUrl: 'https://t.example.com', keyring: ring },
        );
      } catch (err) {
        assert.ok(isClickrateError(err), String(err));
        return;
      }
      for (const m of `${result.html}\n${result.text}`.matchAll(/https:\/\/t\.example\.com\/c\/([A-Za-z0-9_.-]+)/g)) {
        const url = verifyClickToken(m[1]!, ring).url;
        assert.ok(isAsciiLocation(url), url);
      }
      // Splicing: the edits of wrapHtml rebuild its output from the input, and touch only href values.
      const spliced = wrapHtml(source, { rewrite: (l) => `https://t.example.com/c/${l.index}` });
      let rebuilt = '';
      let pos = 0;
      for (const e of spliced.edits) {
        rebuilt += source.slice(pos, e.start) + e.text;
        pos = e.end;
      }
      assert.equal(rebuilt + source.slice(pos), spliced.html);
    }),
    { numRuns: 2000 },
  );
});
