// Table of user agents and what they say: Apple's proxy, human image proxies (despite isbot), scripted
// clients, crawlers, ordinary browsers and mail clients, empty and unknown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uaSignal } from './user-agent.js';

const cases: [string | null, string, string?][] = [
  ['Mozilla/5.0', 'apple-mpp'],
  [' Mozilla/5.0 ', 'apple-mpp'],
  ['Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', 'image-proxy', 'Gmail'],
  ['YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', 'image-proxy', 'Yahoo'],
  ['curl/8.4.0', 'scripted', 'curl'],
  ['python-requests/2.31.0', 'scripted', 'python'],
  ['Go-http-client/1.1', 'scripted', 'go'],
  ['Java/1.8.0_292', 'scripted', 'java'],
  ['Apache-HttpClient/4.5.13 (Java/11.0.16)', 'scripted', 'java'],
  ['okhttp/4.12.0', 'scripted', 'okhttp'],
  ['axios/1.6.7', 'scripted', 'axios'],
  ['node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'scripted', 'node'],
  ['Wget/1.21.4', 'scripted', 'wget'],
  ['libwww-perl/6.72', 'scripted', 'perl'],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'crawler'],
  ['AdsBot-Google (+http://www.google.com/adsbot.html)', 'crawler'],
  ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'crawler'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36', 'crawler'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'client'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1', 'client'],
  ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', 'client'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', 'client'], // Apple Mail, MPP off
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.10.1', 'client'],
  ['', 'empty'],
  ['   ', 'empty'],
  [null, 'unknown'],
];

describe('uaSignal', () => {
  for (const [ua, kind, name] of cases) {
    it(`${JSON.stringify(ua)?.slice(0, 70)} → ${kind}${name ? ` (${name})` : ''}`, () => {
      const s = uaSignal(ua);
      assert.equal(s.kind, kind);
      if (name) assert.equal(s.name, name);
    });
  }
  it('answers the same from its cache', () => {
    assert.deepEqual(uaSignal('curl/8.4.0'), uaSignal('curl/8.4.0'));
  });
});
