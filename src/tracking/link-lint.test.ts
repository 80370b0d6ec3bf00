// Tests for deliverability warnings: each one fires when it should, stays quiet otherwise, and thresholds bend.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LINK_LINT_OPTIONS, lintLinks, registrableDomain, type LintLink } from './link-lint.js';

const links = (...urls: string[]): LintLink[] => urls.map((url) => ({ url, tracked: false }));
const tracked = (...urls: string[]): LintLink[] => urls.map((url) => ({ url, tracked: true }));

test('registrableDomain keeps a third label under multi-label suffixes like co.uk', () => {
  const table: Array<[string, string]> = [
    ['example.com', 'example.com'],
    ['click.mail.example.com', 'example.com'],
    ['mail.example.co.uk', 'example.co.uk'],
    ['tracker.other.co.uk', 'other.co.uk'],
    ['shop.example.com.au', 'example.com.au'],
    ['EXAMPLE.COM.', 'example.com'],
    ['localhost', 'localhost'],
    ['192.168.1.10', '192.168.1.10'],
  ];
  for (const [host, expected] of table) assert.equal(registrableDomain(host), expected, host);
});

test('a simple message with one link raises no warning', () => {
  assert.deepEqual(lintLinks({ links: tracked('https://example.com/buy'), trackingHost: 'click.example.com', senderDomain: 'example.com' }), []);
});

test('each warning fires on its own trigger and says why', () => {
  const many = Array.from({ length: 11 }, (_, i) => `https://example.com/p${i % 2}`);
  const table: Array<[string, Parameters<typeof lintLinks>[0], RegExp]> = [
    ['too many links', { links: links(...many) }, /11 links \(more than 10\).*promotional/],
    ['many domains', { links: links('https://a.com', 'https://b.com', 'https://c.com', 'https://d.com', 'https://e.com') }, /5 different domains.*link farm/],
    ['shortener', { links: links('https://bit.ly/3xyz') }, /shorteners \(bit\.ly\).*blocklisted/],
    ['shortener subdomain', { links: links('https://www.tinyurl.com/abc') }, /www\.tinyurl\.com/],
    [
      'competing calls to action',
      { links: links('https://x.com/a', 'https://x.com/b', 'https://x.com/c', 'https://x.com/d') },
      /4 different link destinations.*competing calls to action/,
    ],
    [
      'tracking domain differs from sender',
      { links: tracked('https://x.com/a'), trackingHost: 'trk.clickvendor.net', senderDomain: 'example.com' },
      /go through trk\.clickvendor\.net but the mail is sent from example\.com.*click\.example\.com/,
    ],
    [
      'co.uk trap: same suffix is not the same domain',
      { links: tracked('https://x.com/a'), trackingHost: 'click.other.co.uk', senderDomain: 'example.co.uk' },
      /sent from example\.co\.uk/,
    ],
    [
      'sender given as an address',
      { links: tracked('https://x.com/a'), trackingHost: 'trk.vendor.net', senderDomain: 'news@example.com' },
      /click\.example\.com/,
    ],
    ['localhost tracking', { links: tracked('https://x.com/a'), trackingHost: 'localhost' }, /cannot reach.*--base-url/],
    ['cold step', { links: tracked('https://x.com/a'), step: 1 }, /Step 1 of a sequence has 1 tracked link;.*cold outreach/],
  ];
  for (const [label, input, message] of table) {
    const warnings = lintLinks(input);
    assert.ok(
      warnings.some((w) => message.test(w)),
      `${label}: ${JSON.stringify(warnings)}`,
    );
  }
});

test('warnings stay quiet just below their thresholds', () => {
  const quiet: Array<[string, Parameters<typeof lintLinks>[0]]> = [
    ['10 links of one page', { links: links(...Array.from({ length: 10 }, () => 'https://example.com/')) }],
    [
      '3 destinations, UTM and fragments ignored',
      { links: links('https://x.com/a?utm_content=1', 'https://x.com/a#f', 'https://x.com/b', 'https://x.com/c/') },
    ],
    ['tracking on a sender subdomain', { links: tracked('https://x.com'), trackingHost: 'click.example.co.uk', senderDomain: 'news.example.co.uk' }],
    ['step 3 is past the cold steps', { links: tracked('https://x.com'), step: 3 }],
    ['cold step without tracked links', { links: links('https://x.com'), step: 1 }],
    ['mailto and templates are not destinations', { links: links('mailto:a@b.c', '*|UNSUB|*', '{{x}}', '#top') }],
  ];
  for (const [label, input] of quiet) assert.deepEqual(lintLinks(input), [], label);
});

test('thresholds are configurable and default as documented', () => {
  assert.equal(DEFAULT_LINK_LINT_OPTIONS.maxLinks, 10);
  assert.equal(DEFAULT_LINK_LINT_OPTIONS.maxDestinations, 3);
  assert.equal(DEFAULT_LINK_LINT_OPTIONS.coldSteps, 2);
  const input = { links: tracked('https://x.com/a', 'https://x.com/b'), step: 1 };
  assert.equal(lintLinks(input, { maxLinks: 1 }).filter((w) => /2 links/.test(w)).length, 1);
  assert.equal(lintLinks(input, { coldSteps: 0 }).filter((w) => /Step 1/.test(w)).length, 0, 'cold check off');
  assert.equal(lintLinks({ links: links('https://sho.rt/x') }, { shorteners: ['sho.rt'] }).length, 1);
});
