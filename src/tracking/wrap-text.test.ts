// Tests for plain-text URL wrapping: where a URL ends, what is left alone, and that the rest stays as written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTextLinks, trimUrlEnd, wrapText } from './wrap-text.js';

test('a URL ends before trailing punctuation and unbalanced brackets', () => {
  const table: Array<[string, string[]]> = [
    ['Visit https://x.com/a.', ['https://x.com/a']],
    ['See https://x.com/a, then https://y.com/b; ok', ['https://x.com/a', 'https://y.com/b']],
    ['(more at https://x.com/faq)', ['https://x.com/faq']],
    ['Read https://en.wikipedia.org/wiki/Mars_(planet).', ['https://en.wikipedia.org/wiki/Mars_(planet)']],
    ['<https://x.com/a?b=1&c=2>', ['https://x.com/a?b=1&c=2']],
    ['"https://x.com/q"', ['https://x.com/q']],
    ['Really? https://x.com/!', ['https://x.com/']],
    ['line1 http://x.com\nline2 HTTPS://Y.COM/Z', ['http://x.com', 'HTTPS://Y.COM/Z']],
    ['[link](https://x.com/md)', ['https://x.com/md']],
    ['no links here, not even http:// or www.x.com', []],
  ];
  for (const [text, urls] of table)
    assert.deepEqual(
      findTextLinks(text).map((l) => text.slice(l.start, l.end)),
      urls,
      text,
    );
  assert.equal(trimUrlEnd('https://x.com/a).'), 'https://x.com/a');
});

test('template tags, mailto and the rest of the text are left as written', () => {
  const text = 'Hi *|FNAME|*,\nYour link: https://x.com/u/{{id}}.\nUnsubscribe: *|UNSUB|*\nMail us: mailto:hi@x.com\nBuy: https://x.com/buy!\n';
  const res = wrapText(text, (l) => `https://t.test/c/${l.index}`);
  assert.equal(res.text, 'Hi *|FNAME|*,\nYour link: https://x.com/u/{{id}}.\nUnsubscribe: *|UNSUB|*\nMail us: mailto:hi@x.com\nBuy: https://t.test/c/1!\n');
  assert.deepEqual(
    res.links.map((l) => [l.index, l.url, l.trackable, l.reason]),
    [
      [0, 'https://x.com/u/{{id}}', false, 'template'],
      [1, 'https://x.com/buy', true, undefined],
    ],
  );
});

test('a rewrite returning null leaves that URL alone', () => {
  const text = 'a https://x.com b https://y.com c';
  const res = wrapText(text, (l) => (l.index === 0 ? null : 'NEW'));
  assert.equal(res.text, 'a https://x.com b NEW c');
});

test('every byte outside the rewritten URLs is kept, including unusual whitespace and unicode', () => {
  const text = 'Héllo —\r\n\thttps://x.com/a\u00a0next\r\n  (https://y.com/b?q=ü)…';
  const res = wrapText(text, (l) => `<${l.index}>`);
  assert.equal(res.text, 'Héllo —\r\n\t<0>\u00a0next\r\n  (<1>)…');
  assert.deepEqual(
    res.links.map((l) => text.slice(l.start, l.end)),
    ['https://x.com/a', 'https://y.com/b?q=ü'],
  );
});
