// What address retention keeps of an address and a user agent, and the erased recipient's placeholder:
// tables of real forms, and properties over generated ones (a cut of a cut is the cut; no host part survives).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cutIp, cutUserAgent, erasedRecipient } from './privacy-cut.js';

const ADDRESSES: Array<[string, string]> = [
  ['198.51.100.77', '198.51.100.0'],
  ['10.0.0.255', '10.0.0.0'],
  ['2001:db8:1:2:3:4:5:6', '2001:db8:1::'],
  ['2001:db8:7:42::99', '2001:db8:7::'],
  ['2001:db8::1', '2001:db8::'],
  ['1::2:3:4:5:6:7', '1:0:2::'],
  ['[2001:db8:1:2::1]', '2001:db8:1::'],
  ['fe80::1%eth0', 'fe80::'],
  ['::1', '::'],
  ['::ffff:192.0.2.130', '::ffff:192.0.2.0'],
  ['2001:DB8:AB:CD::', '2001:db8:ab::'],
  ['not an address', ''],
  ['', ''],
];

for (const [ip, want] of ADDRESSES) {
  test(`cutIp(${JSON.stringify(ip)}) = ${JSON.stringify(want)}`, () => assert.equal(cutIp(ip), want));
}

const AGENTS: Array<[string, string]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36', 'Chrome/124'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67', 'Edge/124'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 'Safari/17'],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox/128'],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
    'Chrome/124',
  ],
  ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', 'Outlook/16'],
  ['Mozilla/5.0', 'Mozilla/5'],
  ['curl/8.5.0', 'curl/8'],
  ['python-requests/2.31.0', 'python-requests/2'],
  ['YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', 'YahooMailProxy'],
  ['', ''],
  ['   ', ''],
];

for (const [ua, want] of AGENTS) {
  test(`cutUserAgent keeps ${JSON.stringify(want)} of ${JSON.stringify(ua.slice(0, 40))}`, () => assert.equal(cutUserAgent(ua), want));
}

test('a cut of a cut is the cut (a retention run stopped half way can run again)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), (ip) => assert.equal(cutIp(cutIp(ip)), cutIp(ip))),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.oneof(fc.constantFrom(...AGENTS.map(([ua]) => ua)), fc.string({ maxLength: 80 })), (ua) =>
      assert.equal(cutUserAgent(cutUserAgent(ua)), cutUserAgent(ua)),
    ),
    { numRuns: 2000 },
  );
});

test('no host part survives: every address of one /24 or /48 cuts to the same text', () => {
  fc.assert(
    fc.property(fc.ipV4(), fc.integer({ min: 0, max: 255 }), (ip, last) => {
      const other = `${ip.split('.').slice(0, 3).join('.')}.${last}`;
      assert.equal(cutIp(other), cutIp(ip));
    }),
  );
});

test('the placeholder keeps the domain and nothing else, and differs each time', () => {
  const a = erasedRecipient('alice@example.org');
  assert.match(a, /^erased-[0-9a-f]{24}@example\.org$/);
  assert.notEqual(erasedRecipient('alice@example.org'), a);
  assert.match(erasedRecipient('crm-4711'), /^erased-[0-9a-f]{24}$/);
});
