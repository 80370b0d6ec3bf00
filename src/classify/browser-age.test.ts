// The release table: which browser and major a user agent names, and how old that major was at an event
// (listed dates, interpolation between them, projection at the cadence past the table).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserVersion, defaultBrowserReleases, parseReleaseTable } from './browser-age.js';

const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('browserVersion', () => {
  const table: [string, { browser: string; major: number } | null][] = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', { browser: 'Chrome', major: 124 }],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
      { browser: 'Edge', major: 124 },
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0', { browser: 'Firefox', major: 125 }],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
      { browser: 'Safari', major: 17 },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
      { browser: 'Chrome', major: 124 },
    ],
    ['Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', { browser: 'Internet Explorer', major: 11 }],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0', null],
    ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', null],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', null],
  ];
  for (const [ua, want] of table) it(ua.slice(0, 90), () => assert.deepEqual(browserVersion(ua), want));
});

describe('BrowserReleases.age', () => {
  const r = defaultBrowserReleases();
  it('a listed major: days since its stable date', () => assert.equal(r.age('Chrome/124.0.0.0 Safari/537.36', at('2024-05-16'))?.ageDays, 30));
  it('between listed majors: interpolated', () => {
    const a = r.age('Chrome/122.0.0.0 Safari/537.36', at('2024-04-16'))?.ageDays ?? -1;
    assert.ok(a > 40 && a < 80, String(a));
  });
  it('past the table: projected at the cadence, so a newer version is young, not refused', () => {
    assert.equal(
      r.age('Chrome/150.0.0.0 Safari/537.36', at('2026-06-16'))?.ageDays,
      Math.floor((at('2026-06-16') - at('2025-10-28') - 8 * 28 * 86_400_000) / 86_400_000),
    );
  });
  // How long a version had been out of date: from the next major's release. Safari skipped 19–25, so 18
  // was superseded by 26; a year-old Safari is current until its successor has shipped.
  const safari = (major: number) =>
    `Mozilla/5.0 (iPhone; CPU iPhone OS ${major}_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${major}.1 Mobile/15E148 Safari/604.1`;
  const cases: Array<[string, string, string, number]> = [
    ['Safari 26 in November 2026: released 14 months earlier, superseded 2 months earlier (27, projected)', safari(26), '2026-11-15', 61],
    ['Safari 18 in November 2026: superseded by 26, not by a 19 that never shipped', safari(18), '2026-11-15', 426],
    ['Safari 26 before 27: still current (negative)', safari(26), '2026-05-01', -137],
  ];
  for (const [name, ua, when, days] of cases) it(name, () => assert.equal(r.age(ua, at(when))?.outdatedDays, days));
  it('Chrome: out of date from the next major on, within weeks of its own release', () => {
    const a = r.age('Chrome/142.0.0.0 Safari/537.36', at('2026-11-15'))!;
    assert.equal(a.ageDays - a.outdatedDays, 28, 'the cadence after the last listed major');
  });
  it('unknown browsers and no agent: no age', () => {
    assert.equal(r.age('Microsoft Office/16.0', at('2026-01-01')), null);
    assert.equal(r.age(null, at('2026-01-01')), null);
  });
  it('a bad table is a typed configuration error naming the file', () => {
    assert.throws(() => parseReleaseTable({ date: 'x', browsers: {} }, 'b.json'), /CR_ERR_CONFIG|b\.json/);
  });
});
