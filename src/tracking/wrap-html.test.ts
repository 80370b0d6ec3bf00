// Tests for HTML link wrapping: which hrefs change, how they are escaped, where the pixel goes, and that
// nothing else in the document moves by a byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findHtmlLinks, openPixelTag, wrapHtml } from './wrap-html.js';

/** Wraps with a recognisable rewrite: the new value names the link and its decoded href as written. */
const wrapAll = (html: string, pixelUrl?: string): string =>
  wrapHtml(html, { rewrite: (l) => `https://t.test/c/${l.index}?u=${l.href.trim()}`, pixelUrl }).html;

test('wrappable hrefs change; quote style and surrounding bytes are kept', () => {
  const table: Array<[string, string, string]> = [
    ['double quotes', '<a href="https://x.com/a">A</a>', '<a href="https://t.test/c/0?u=https://x.com/a">A</a>'],
    ['single quotes', "<a href='http://x.com'>A</a>", "<a href='https://t.test/c/0?u=http://x.com'>A</a>"],
    ['unquoted', '<a href=http://x.com/a>A</a>', '<a href=https://t.test/c/0?u=http://x.com/a>A</a>'],
    ['uppercase tag', '<A HREF="HTTPS://X.COM">A</A>', '<A HREF="https://t.test/c/0?u=HTTPS://X.COM">A</A>'],
    ['spaces around =', '<a class=b href = "http://x.com" >', '<a class=b href = "https://t.test/c/0?u=http://x.com" >'],
    ['area', '<map><area shape=rect href="http://x.com/m"></map>', '<map><area shape=rect href="https://t.test/c/0?u=http://x.com/m"></map>'],
    ['self-closing', '<a href="http://x.com"/>', '<a href="https://t.test/c/0?u=http://x.com"/>'],
    ['attribute on new line', '<a\n  style="color:red"\n  href="http://x.com">', '<a\n  style="color:red"\n  href="https://t.test/c/0?u=http://x.com">'],
  ];
  for (const [label, input, expected] of table) assert.equal(wrapAll(input), expected, label);
});

test('entities are decoded when reading and & is re-encoded when writing', () => {
  const html = '<a href="http://x.com/?a=1&amp;b=2&#x26;c=3&d=4">x</a>';
  const [link] = findHtmlLinks(html);
  assert.equal(link?.url, 'http://x.com/?a=1&b=2&c=3&d=4');
  const out = wrapHtml(html, { rewrite: () => 'https://t.test/c/x?a=1&b="2"' }).html;
  assert.equal(out, '<a href="https://t.test/c/x?a=1&amp;b=&quot;2&quot;">x</a>');
  const single = wrapHtml("<a href='http://x.com'>", { rewrite: () => "https://t.test/?q='&" }).html;
  assert.equal(single, "<a href='https://t.test/?q=&#39;&amp;'>");
});

test('links that must stay as written are left alone, each with its reason', () => {
  const table: Array<[string, string]> = [
    ['<a href="*|UNSUB|*">', 'template'],
    ['<a href="https://x.com/?e=*|EMAIL|*">', 'template'],
    ['<a href="{{action_url}}">', 'template'],
    ['<a href="https://x.com/u/{{ user.id }}">', 'template'],
    ['<a href="%%view_email_url%%">', 'template'],
    ['<a href="https://x.com/?id=%%SubscriberKey%%">', 'template'],
    ['<a href="{$unsubscribe}">', 'template'],
    ['<a href="https://x.com/%recipient.id%">', 'template'],
    ['<a href="https://x.com/%7B%7Bid%7D%7D">', 'template'],
    ['<a href="mailto:{{support_email}}">', 'template'],
    ['<a href="mailto:hi@x.com">', 'mailto'],
    ['<a href="tel:+15551234">', 'tel'],
    ['<a href="sms:+15551234">', 'sms'],
    ['<a href="#top">', 'anchor'],
    ['<a href="/pricing">', 'relative'],
    ['<a href="javascript:void(0)">', 'scheme'],
    ['<a href="">', 'empty'],
    ['<a href>', 'empty'],
    ['<a href="http://">', 'invalid'],
    ['<a href="https://x.com" data-clickrate="skip">', 'skip-attribute'],
    ['<a clicktracking=off href="https://x.com">', 'skip-attribute'],
  ];
  for (const [html, reason] of table) {
    const links = findHtmlLinks(html);
    assert.equal(links.length, 1, html);
    assert.equal(links[0]?.trackable, false, html);
    assert.equal(links[0]?.reason, reason, html);
    assert.equal(wrapAll(html), html, `${html} unchanged`);
  }
});

test('hrefs that are not clickable links are not touched', () => {
  const table = [
    '<link rel="stylesheet" href="https://x.com/a.css">',
    '<base href="https://x.com/">',
    '<img src="https://x.com/a.png">',
    '<style>a[href="http://x.com"]{}</style><script>var a = \'<a href="http://x.com">\';</script>',
    '<title><a href="http://x.com"></title>',
    '<!-- <a href="http://x.com">old</a> -->',
    '<a name="top">no href</a>',
  ];
  for (const html of table) assert.equal(wrapAll(html), html, html);
});

test('Outlook conditional comments: VML button hrefs inside are wrapped, the comment syntax is kept', () => {
  const html =
    '<!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="http://x.com/buy" style="height:40px"><w:anchorlock/></v:roundrect><![endif]-->' +
    '<!--[if !mso]><!-- --><a href="http://x.com/buy">Buy</a><!--<![endif]-->';
  const links = findHtmlLinks(html);
  assert.deepEqual(
    links.map((l) => [l.index, l.tag, l.url, l.trackable]),
    [
      [0, 'v:roundrect', 'http://x.com/buy', true],
      [1, 'a', 'http://x.com/buy', true],
    ],
  );
  assert.equal(
    wrapAll(html),
    html
      .replace('href="http://x.com/buy" style', 'href="https://t.test/c/0?u=http://x.com/buy" style')
      .replace('<a href="http://x.com/buy">', '<a href="https://t.test/c/1?u=http://x.com/buy">'),
  );
});

test('only the first of duplicate href attributes counts, as in browsers', () => {
  const html = '<a href="http://first.com" href="http://second.com">';
  assert.equal(wrapAll(html), '<a href="https://t.test/c/0?u=http://first.com" href="http://second.com">');
});

test('the open pixel goes just before </body>, else before </html>, else at the end', () => {
  const px = openPixelTag('https://t.test/o/tok');
  const table: Array<[string, string]> = [
    ['<html><body><p>Hi</p></body></html>', `<html><body><p>Hi</p>${px}</body></html>`],
    ['<HTML><BODY>Hi\n</BODY>\n</HTML>', `<HTML><BODY>Hi\n${px}</BODY>\n</HTML>`],
    ['<html><p>Hi</p></html>', `<html><p>Hi</p>${px}</html>`],
    ['<p>Hi</p>', `<p>Hi</p>${px}`],
    ['<body>Hi<!-- </body> --></body>', `<body>Hi<!-- </body> -->${px}</body>`],
  ];
  for (const [input, expected] of table) assert.equal(wrapAll(input, 'https://t.test/o/tok'), expected, input);
  assert.match(px, /^<img src="https:\/\/t\.test\/o\/tok" width="1" height="1" alt="" [^>]*display:block[^>]*\/>$/);
});

test('edits describe exactly what changed', () => {
  const html = '<body><a href="http://x.com">x</a></body>';
  const { edits } = wrapHtml(html, { rewrite: () => 'NEW', pixelUrl: 'P' });
  assert.deepEqual(
    edits.map((e) => [html.slice(e.start, e.end), e.text.startsWith('<img') ? 'PIXEL' : e.text]),
    [
      ['http://x.com', 'NEW'],
      ['', 'PIXEL'],
    ],
  );
});

test('rewrite returning null leaves the link as written', () => {
  const html = '<a href="http://x.com">';
  assert.equal(wrapHtml(html, { rewrite: () => null }).html, html);
});
