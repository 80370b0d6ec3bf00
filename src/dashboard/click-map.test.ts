// The click map marks every link of the message with its share, sends no click anywhere, and escapes
// what it adds: what a user sees in the sandboxed frame.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { annotateClickMap, linkIdentity } from './click-map.js';

const html = `<!doctype html><html><head><title>x</title></head><body>
<a href="https://shop.example.com/sale?utm_campaign=spring">Sale</a>
<a href='https://shop.example.com/p/1'>Shoe</a>
<a href="mailto:help@example.com">Mail us</a>
<a href="https://example.com/unsubscribe">Unsubscribe</a>
</body></html>`;

test('each web link gets a badge with its click share; mailto is left alone', () => {
  const out = annotateClickMap(html, [
    { url: 'https://shop.example.com/sale?utm_campaign=spring&utm_source=clickrate', unique_clicks: 30, click_share: 0.75 },
    { url: 'https://shop.example.com/p/1', unique_clicks: 10, click_share: 0.25 },
  ]);
  assert.equal(out.marked, 3);
  assert.equal(out.matched, 2, 'utm parameters added on the way out do not make another link');
  const badges = [...out.html.matchAll(/class="cr-badge"[^>]*>([^<]+)</g)].map((m) => m[1]);
  assert.deepEqual(badges, ['75%', '25%', '0.0%']);
  assert.ok(!/href=["']https?:/.test(out.html), 'no link in the preview goes anywhere');
  assert.match(out.html, /href="mailto:help@example.com"/);
  assert.match(out.html, /<head><style>/, 'the style sits in <head>, so the page keeps standards mode');
});

test('what the badge shows from the data is escaped', () => {
  // The badge names the link's destination as clicks are keyed (destination.ts: quotes and brackets
  // percent-encoded); what stays literal, such as '&', is escaped.
  const out = annotateClickMap('<a href="https://x.example/?q=&quot;&lt;b&gt;&amp;c=1">x</a>', [
    { url: 'https://x.example/?q="<b>&c=1', unique_clicks: 1, click_share: 1 },
  ]);
  assert.ok(!out.html.includes('"<b>'), out.html);
  assert.match(out.html, /title="https:\/\/x\.example\/\?q=%22%3Cb%3E&amp;c=1 — 1 unique click"/);
});

test('link identity ignores utm_* and fragments only', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://a.example/x?utm_source=y', 'https://a.example/x', true],
    ['https://a.example/x#top', 'https://a.example/x', true],
    ['https://a.example/x?id=1', 'https://a.example/x?id=2', false],
  ];
  for (const [a, b, same] of cases) assert.equal(linkIdentity(a) === linkIdentity(b), same, `${a} vs ${b}`);
});
