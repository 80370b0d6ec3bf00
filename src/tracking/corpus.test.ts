// Wraps every template of the repository's own test messages (test/fixtures/email) and of the shared corpus
// beside it (../shared/corpus/email-html, read in place, skipped when absent), and proves that only link
// values and the pixel changed, that every absolute http(s) <a>/<area> href was wrapped, and that merge tags survive.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { packageRoot } from '../package-root.js';
import { createKeyring, generateKey } from './keyring.js';
import { verifyClickToken, verifyOpenToken } from './token.js';
import { wrapMessage } from './wrap-message.js';

// The repository's sibling shared/corpus (its README asks tests to read the templates in place).
const CORPUS = join(packageRoot(import.meta.url), '..', 'shared', 'corpus', 'email-html') + sep;
const BASE = 'https://trk.clickrate.test';
const ring = createKeyring('k1', { k1: generateKey() });

// TRICKY: the corpus sits beside the repository, not in it; a clone without it skips these tests and
// says so, instead of failing (or passing on no templates).
const present = existsSync(CORPUS);
const skip = present ? false : `the shared corpus is absent (${CORPUS})`;
const htmlIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => dir + f);
const OWN = join(packageRoot(import.meta.url), 'test', 'fixtures', 'email') + sep;
const shared = present ? htmlIn(CORPUS) : [];
const files = [...htmlIn(OWN), ...shared];

/** Independent of the wrapper: absolute http(s) hrefs on <a>/<area> and Outlook's VML shapes that hold no template tag. */
function countWrappable(html: string): number {
  const re = /<(?:a|area|v:[a-z]+)\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  let n = 0;
  for (const m of html.matchAll(re)) {
    const href = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (/^https?:\/\/[^/]/i.test(href) && !/\*\||\{\{|%%|\{\$|\{%/.test(href)) n++;
  }
  return n;
}

const count = (s: string, re: RegExp): number => [...s.matchAll(re)].length;

test('the corpus, when present, is whole (a partial corpus must fail, not pass on fewer templates)', { skip }, () => {
  assert.ok(shared.length >= 11, `expected the 11 corpus templates in ${CORPUS}, found ${shared.length}`);
});

for (const file of files) {
  test(`template ${file.slice(file.lastIndexOf(sep) + 1)}: only href values and the pixel change`, () => {
    const input = readFileSync(file, 'utf8');
    const result = wrapMessage({ html: input, campaign: 'corpus', recipient: 'r1' }, { baseUrl: BASE, keyring: ring });
    const output = result.html ?? '';

    // 1. Exactly one pixel, just before </body>, carrying an open token for this message.
    const pixels = [...output.matchAll(/<img src="https:\/\/trk\.clickrate\.test\/o\/([A-Za-z0-9_.-]+)"[^>]*\/>/g)];
    assert.equal(pixels.length, 1);
    const pixel = pixels[0];
    assert.ok(pixel?.index !== undefined);
    assert.match(output.slice(pixel.index + pixel[0].length), /^\s*<\/body>/i, 'pixel sits right before </body>');
    assert.equal(verifyOpenToken(pixel[1] ?? '', ring).message, result.message);
    const withoutPixel = output.slice(0, pixel.index) + output.slice(pixel.index + pixel[0].length);

    // 2. Walk the output: literal stretches must match the input byte for byte; each tracked URL stands where
    //    the input had an href value that decodes to the destination signed in its token.
    const tracked = /https:\/\/trk\.clickrate\.test\/c\/([A-Za-z0-9_.-]+)/g;
    let outPos = 0;
    let inPos = 0;
    let wrapped = 0;
    for (const m of withoutPixel.matchAll(tracked)) {
      const literal = withoutPixel.slice(outPos, m.index);
      assert.equal(input.slice(inPos, inPos + literal.length), literal, `bytes before link ${wrapped} unchanged`);
      inPos += literal.length;
      const quote = input[inPos - 1];
      assert.ok(quote === '"' || quote === "'", 'corpus hrefs are quoted');
      const end = input.indexOf(quote, inPos);
      const original = input.slice(inPos, end).replace(/&amp;/g, '&');
      // The destination as a browser resolves the href (destination.ts): host lower-cased, '/' path added.
      assert.equal(verifyClickToken(m[1] ?? '', ring).url, new URL(original.trim()).href, 'token carries the original destination');
      inPos = end;
      outPos = (m.index ?? 0) + m[0].length;
      wrapped++;
    }
    assert.equal(withoutPixel.slice(outPos), input.slice(inPos), 'bytes after the last link unchanged');

    // 3. Every wrappable link was wrapped, and the links list agrees.
    assert.equal(wrapped, countWrappable(input), 'wrapped count = absolute http(s) <a>/<area>/VML hrefs');
    assert.equal(result.links.filter((l) => l.tracked).length, wrapped);

    // 4. Merge tags, placeholders and mailto links are all still there.
    for (const re of [/\*\|[A-Z_:]+\|\*/g, /\{\{[^}]+\}\}/g, /mailto:/g]) {
      assert.equal(count(output, re), count(input, re), `${re} occurrences kept`);
    }
  });
}

test('the corpus as a whole exercises both wrapped and template links', { skip }, () => {
  let tracked = 0;
  let templates = 0;
  for (const file of shared) {
    const html = readFileSync(file, 'utf8');
    const { links } = wrapMessage({ html, campaign: 'c', recipient: 'r' }, { baseUrl: BASE, keyring: ring, pixel: false });
    tracked += links.filter((l) => l.tracked).length;
    templates += links.filter((l) => l.reason === 'template').length;
  }
  assert.ok(tracked >= 20, `tracked ${tracked}`);
  assert.ok(templates >= 30, `templates ${templates}`);
});
