// Tests for UTM tagging: appended without disturbing the query or fragment, never overriding existing values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addUtm, defaultUtm } from './utm.js';

test('UTM parameters are appended in the right place', () => {
  const utm = { source: 'news', medium: 'email', campaign: 'spring' };
  const table: Array<[string, string, string]> = [
    ['no query', 'https://x.com/p', 'https://x.com/p?utm_source=news&utm_medium=email&utm_campaign=spring'],
    ['existing query', 'https://x.com/p?a=1', 'https://x.com/p?a=1&utm_source=news&utm_medium=email&utm_campaign=spring'],
    ['fragment stays last', 'https://x.com/p?a=1#buy', 'https://x.com/p?a=1&utm_source=news&utm_medium=email&utm_campaign=spring#buy'],
    ['fragment, no query', 'https://x.com/p#buy', 'https://x.com/p?utm_source=news&utm_medium=email&utm_campaign=spring#buy'],
    [
      '"?" inside the fragment is not a query',
      'https://x.com/#/cart?step=2',
      'https://x.com/?utm_source=news&utm_medium=email&utm_campaign=spring#/cart?step=2',
    ],
    ['empty query', 'https://x.com/p?', 'https://x.com/p?utm_source=news&utm_medium=email&utm_campaign=spring'],
    ['trailing &', 'https://x.com/p?a=1&', 'https://x.com/p?a=1&utm_source=news&utm_medium=email&utm_campaign=spring'],
    [
      'odd existing encoding kept byte for byte',
      'https://x.com/s?q=a+b%20c&x',
      'https://x.com/s?q=a+b%20c&x&utm_source=news&utm_medium=email&utm_campaign=spring',
    ],
  ];
  for (const [label, url, expected] of table) assert.equal(addUtm(url, utm), expected, label);
});

test('UTM values the URL already has are kept, the missing ones added', () => {
  assert.equal(
    addUtm('https://x.com/?utm_source=partner&utm_campaign=own', { source: 'news', medium: 'email', campaign: 'spring' }),
    'https://x.com/?utm_source=partner&utm_campaign=own&utm_medium=email',
  );
  const full = 'https://x.com/?utm_source=a&utm_medium=b';
  assert.equal(addUtm(full, { source: 'news', medium: 'email' }), full, 'nothing to add: unchanged');
});

test('values are percent-encoded', () => {
  assert.equal(addUtm('https://x.com', { campaign: 'Spring sale & more/2025' }), 'https://x.com?utm_campaign=Spring%20sale%20%26%20more%2F2025');
});

test('URLs that are not http(s) or hold template tags come back unchanged', () => {
  for (const url of ['mailto:a@x.com', '#top', '/relative', '{{action_url}}', 'https://x.com/?e=*|EMAIL|*', 'https://x.com/%%id%%']) {
    assert.equal(addUtm(url, { source: 's' }), url, url);
  }
  assert.equal(addUtm('https://x.com', {}), 'https://x.com', 'no params: unchanged');
  assert.equal(addUtm('https://x.com', { source: '' }), 'https://x.com', 'empty value skipped');
});

test('defaultUtm names the source, medium and campaign', () => {
  assert.deepEqual(defaultUtm('c1'), { source: 'clickrate', medium: 'email', campaign: 'c1' });
  assert.deepEqual(defaultUtm('c1', 'B'), { source: 'clickrate', medium: 'email', campaign: 'c1', content: 'B' });
});

test('an existing UTM name is recognised even when percent-encoded', () => {
  const url = 'https://x.com/?utm%5Fsource=partner';
  assert.equal(addUtm(url, { source: 'news', medium: 'email' }), `${url}&utm_medium=email`);
});
