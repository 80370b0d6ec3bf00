// Destinations: the browser's ASCII serialization of a written href, or a named refusal; never a throw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isAsciiLocation, locationFor, normalizeDestination } from './destination.js';

test('hrefs become what a browser opens, in ASCII', () => {
  const table: Array<[string, string]> = [
    ['https://例え.jp/パス?q=€', 'https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%E2%82%AC'],
    ['HTTPS://Example.COM', 'https://example.com/'],
    ['http://x.com:80/a', 'http://x.com/a'],
    ['https://x.com/a b?c d#e f', 'https://x.com/a%20b?c%20d#e%20f'],
    ['https://x.com/a\r\nSet-Cookie: y', 'https://x.com/aSet-Cookie:%20y'],
    ['https://x.com/\u2028', 'https://x.com/%E2%80%A8'],
    ['https://x.com/?q=a\\b', 'https://x.com/?q=a\\b'],
    ['https://user:pw@x.com/', 'https://user:pw@x.com/'],
    ['https://x.com/%7Efoo', 'https://x.com/%7Efoo'],
  ];
  for (const [href, url] of table) assert.deepEqual(normalizeDestination(href), { ok: true, url }, href);
});

test('hrefs only a repair makes valid, and unparseable ones, are refused with a reason', () => {
  const table: Array<[string, string]> = [
    ['https:/typo.example.com/', 'ambiguous'],
    ['https:typo.example.com', 'ambiguous'],
    ['http:\\\\evil.com', 'ambiguous'],
    ['https:///x.com/', 'ambiguous'],
    ['https://x.com\\@evil.com/', 'ambiguous'],
    ['https://bad host.com/', 'malformed'],
    ['https://x.com:99999/', 'malformed'],
    ['https://', 'malformed'],
    ['ftp://x.com/', 'ambiguous'],
  ];
  for (const [href, problem] of table) assert.deepEqual(normalizeDestination(href), { ok: false, problem }, href);
});

/** Strings that look like URLs, with the characters that broke the edge mixed in. */
const urlish = fc
  .tuple(
    fc.constantFrom('http://', 'https://', 'HTTPS://', 'https:/', 'http:\\\\', ''),
    fc.string({
      unit: fc.constantFrom('a', 'é', '例', '€', '\u2028', '\r', '\n', ' ', '%', '/', '?', '#', '\\', '@', ':', '\ud800', '\u0000', '.'),
      maxLength: 30,
    }),
  )
  .map(([scheme, rest]) => scheme + rest);

test('property: normalizing never throws; what it gives is ASCII, stable and parses to itself', () => {
  fc.assert(
    fc.property(fc.oneof(urlish, fc.string()), (href) => {
      const d = normalizeDestination(href);
      if (!d.ok) return;
      assert.ok(isAsciiLocation(d.url), d.url);
      assert.match(d.url, /^https?:\/\/[^/\\]/);
      assert.equal(new URL(d.url).href, d.url);
      assert.deepEqual(normalizeDestination(d.url), d, 'normalizing twice changes nothing');
    }),
    { numRuns: 3000 },
  );
});

test('property: a Location from any signed destination is ASCII or refused, never a throw', () => {
  fc.assert(
    fc.property(fc.oneof(urlish, fc.string()), (url) => {
      const loc = locationFor(url);
      if (loc !== null) assert.ok(isAsciiLocation(loc), loc);
    }),
    { numRuns: 3000 },
  );
});
