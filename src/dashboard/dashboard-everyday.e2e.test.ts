// The dashboard as a new user meets it, in Debian's Chromium over the demo and a short campaign of its
// own: time axes that span the data and hourly bars that stay readable, campaign kinds and their
// benchmarks, "last event", click maps (each variant's own shares, sized to the message, badges clear of
// their buttons, an outreach sequence opening on a step with links), raw tables, search, keyboard
// sorting, not-found pages, the calculator's refusals, and CSV exports in `report --csv`'s convention.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { chromium, type Page } from 'playwright-core';
import { ARTIFACTS, metric, num, useDashboard } from '../../test/support/dashboard-e2e.js';
import { waitFor } from '../../test/support/wait-for.js';
import { reportToCsv } from '../cli/report-csv.js';
import { DEMO_DEFAULT_NOW } from '../demo/demo-dataset.js';
import type { EmailReport, LinkGroup } from '../metrics/report-types.js';

const dash = useDashboard(chromium, 'everyday');

/** A short campaign of its own: two variants, all within 20 minutes of one send, known clicks per link. */
const FLASH_T0 = DEMO_DEFAULT_NOW - 86_400_000;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const FLASH_CLICKS = ['x', 'x', 'y', 'y', 'x', 'x', 'x', 'y']; // m0–m3 are variant A, m4–m7 variant B
const flashEvents = () =>
  FLASH_CLICKS.flatMap((link, i) => [
    {
      id: `flash-sent-${i}`,
      type: 'sent',
      ts: new Date(FLASH_T0).toISOString(),
      message: `flash-m${i}`,
      campaign: 'flash',
      recipient: `f${i}@example.org`,
      variant: i < 4 ? 'A' : 'B',
    },
    {
      id: `flash-click-${i}`,
      type: 'click',
      ts: new Date(FLASH_T0 + (10 + i) * 60_000).toISOString(),
      message: `flash-m${i}`,
      url: `https://shop.example.com/${link}`,
      ip: `81.2.69.${160 + i}`,
      user_agent: CHROME,
    },
  ]);
const flashHtml = (variant: string) =>
  `<!doctype html><html><head><title>${variant}</title></head><body style="margin:0">` +
  '<table role="presentation"><tr><td style="background:#d9480f;border-radius:6px"><a href="https://shop.example.com/x" style="display:inline-block;padding:12px 28px;color:#fff">Shop now</a></td></tr></table>' +
  '<p>Or <a href="https://shop.example.com/y">read more</a>.</p></body></html>';

async function downloadCsv(page: Page, testId: string): Promise<Array<Record<string, string>>> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${testId}"] button:has-text("Export CSV")`).click()]);
  return parseCsv(readFileSync((await dl.path())!, 'utf8'), { columns: true }) as Array<Record<string, string>>;
}

test('the dashboard as a new user meets it: axes, kinds, last event, click maps, raw tables, not-found, calculator, exports', async () => {
  const { store, browser, base, key, api } = dash.get;
  const posted = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(flashEvents()) });
  assert.equal(posted.status, 200, await posted.text());
  for (const v of ['A', 'B']) await store.saveTemplate({ campaign: 'flash', step: null, variant: v, html: flashHtml(v), saved_at: FLASH_T0 });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, timezoneId: 'UTC', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[type=password]', key);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);

  // "Last event" is the last click (17 minutes after the send), not the send.
  const flashRow = page.locator('[data-testid="campaigns"] tbody tr', { hasText: 'flash' });
  assert.equal(await flashRow.locator('td[data-col="last_ts"]').innerText(), new Date(FLASH_T0 + 17 * 60_000).toISOString().slice(0, 16).replace('T', ' '));

  // A search with no match says so.
  await page.fill('input[type=search]', 'no-such-campaign');
  assert.match(await page.locator('[data-testid="campaigns"] [role="status"]').innerText(), /No campaign matches “no-such-campaign”/);
  await page.fill('input[type=search]', '');

  // Sort headers are buttons a keyboard reaches and works, and say their order.
  const ctrHeader = page.locator('[data-testid="campaigns"] th', { has: page.locator('button[data-sort="ctr"]') });
  assert.equal(await ctrHeader.getAttribute('aria-sort'), 'none');
  await page.locator('button[data-sort="ctr"]').focus();
  await page.keyboard.press('Enter');
  assert.equal(await ctrHeader.getAttribute('aria-sort'), 'descending');
  await page.keyboard.press('Space');
  assert.equal(await ctrHeader.getAttribute('aria-sort'), 'ascending');

  // One hour of data is drawn on an axis spanning it (one day bucket), not years.
  await page.goto(`${base}/campaigns/flash`);
  const chart = page.locator('[data-testid="over-time"] .chart').first();
  await chart.waitFor();
  const span = async () => Number(await chart.getAttribute('data-to')) - Number(await chart.getAttribute('data-from'));
  assert.equal(await span(), 86_400_000, 'by day: one bucket wide');
  await page.click('button:has-text("By hour")');
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="over-time"] .chart')?.getAttribute('data-to') !== null &&
      Number(document.querySelector('[data-testid="over-time"] .chart')?.getAttribute('data-to')) -
        Number(document.querySelector('[data-testid="over-time"] .chart')?.getAttribute('data-from')) ===
        3_600_000,
  );
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-flash-by-hour.png'), fullPage: true });

  // Variant B's map shows B's own shares (x 3 of 4, y 1 of 4), not the campaign's (x 5 of 8).
  const shares = async () => {
    const badges = page.frameLocator('iframe.clickmap').locator('.cr-badge');
    await badges.first().waitFor();
    return badges.evaluateAll((bs) => bs.map((b) => Number(b.getAttribute('data-share'))));
  };
  assert.deepEqual(await shares(), [0.5, 0.5], 'variant A, the first template');
  await page.selectOption('select[aria-label="Template"]', { label: 'variant B' });
  await page.waitForFunction(() => document.querySelector('iframe.clickmap')?.getAttribute('title')?.endsWith('variant B'));
  await page.waitForFunction(() => document.querySelector('iframe.clickmap')?.getAttribute('data-sized') === 'yes');
  assert.deepEqual(await shares(), [0.75, 0.25]);
  // The badge sits outside the button it labels, and the frame is as tall as its content, no blank below.
  // Read once the frame has settled: its script places the badges and posts the height on load.
  await waitFor('the click map frame sized to its content, badges clear of their links', async () => {
    const mapFrame = page.frames().find((f) => f.url().includes('/click-map') && f.url().includes('variant=B'));
    if (!mapFrame) return null;
    const geometry = await mapFrame.evaluate(() => {
      const overlaps: string[] = [];
      for (const b of document.querySelectorAll('.cr-badge')) {
        const a = document.querySelector(`a[href="#cr-link-${b.getAttribute('data-link')}"]`)!;
        const [r, s] = [b.getBoundingClientRect(), a.getBoundingClientRect()];
        if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom) overlaps.push(a.textContent ?? '');
      }
      return { overlaps, content: document.documentElement.scrollHeight };
    });
    const frameHeight = await page.locator('iframe.clickmap').evaluate((f) => f.getBoundingClientRect().height);
    const fits = frameHeight >= geometry.content && frameHeight <= geometry.content + 10;
    return geometry.overlaps.length === 0 && fits ? true : null;
  });
  await page.locator('iframe.clickmap').screenshot({ path: join(ARTIFACTS, 'clickmap-flash-b.png') });

  // The campaign's kind: inferred and said so; set it, and the benchmarks follow.
  assert.match(await page.locator('[data-testid="kind-source"]').innerText(), /^Inferred: promotional, because no sequence steps and no replies\./);
  assert.match(await page.locator('.bench').first().innerText(), /promotional email/);
  await page.selectOption('select[aria-label="Campaign kind"]', 'transactional');
  await page.locator('[data-testid="kind-source"]', { hasText: 'Set: transactional.' }).waitFor();
  await page.locator('.bench', { hasText: 'transactional email' }).first().waitFor();
  await page.selectOption('select[aria-label="Campaign kind"]', '');
  await page.locator('[data-testid="kind-source"]', { hasText: 'Inferred: promotional' }).waitFor();

  // An outreach sequence: inferred from its steps, and its map opens on step 2 (step 1 has no link).
  await page.goto(`${base}/campaigns/outreach-q4`);
  await page.locator('[data-testid="kind-source"]', { hasText: 'Inferred: outreach, because 4 sequence steps were sent.' }).waitFor();
  assert.match(await page.locator('.bench').first().innerText(), /cold outreach/);
  assert.match((await page.locator('iframe.clickmap').getAttribute('title')) ?? '', /step 2$/);

  // Raw switches the A/B and link tables too, and each table says what it counts.
  const links = await api<EmailReport>('/api/v1/campaigns/spring-sale/report?by=link');
  await page.goto(`${base}/campaigns/spring-sale`);
  await page.locator('[data-testid="links"] tbody tr').first().waitFor();
  assert.match(await page.locator('[data-testid="ab-note"]').innerText(), /^People only/);
  assert.match(await page.locator('[data-testid="links-note"]').innerText(), /^People only/);
  // Revenue has a currency; a p-value below 0.0001 stays on one line.
  assert.match(await metric(page, 'revenue_per_recipient').innerText(), /^\$\d/);
  const tiny = page.locator('[data-testid="ab"] td[data-col="ctor_lift"]', { hasText: '< 0.0001' }).first();
  if (await tiny.count()) assert.equal(await tiny.evaluate((td) => getComputedStyle(td).whiteSpace), 'nowrap');
  assert.equal(
    await page
      .locator('[data-testid="ab"] td[data-col="p"]')
      .last()
      .evaluate((td) => getComputedStyle(td).whiteSpace),
    'nowrap',
  );

  // The dashboard's CSV is `report --csv`'s convention: the same columns hold the same numbers.
  const cli = parseCsv(reportToCsv(links), { columns: true }) as Array<Record<string, string>>;
  const web = await downloadCsv(page, 'links');
  assert.equal(web.length, cli.length);
  for (const row of web) {
    const same = cli.find((r) => r.key === row.key)!;
    for (const [col, v] of Object.entries(row)) assert.equal(v, same[col], `links.csv ${row.key} ${col}`);
  }
  assert.ok(
    ['click_share', 'ctr_ci_low', 'ctr_ci_high'].every((c) => c in web[0]!),
    Object.keys(web[0]!).join(),
  );
  const variantsCli = parseCsv(reportToCsv(await api<EmailReport>('/api/v1/campaigns/spring-sale/report?by=variant')), { columns: true }) as Array<
    Record<string, string>
  >;
  const variantsWeb = await downloadCsv(page, 'ab');
  for (const row of variantsWeb) {
    const same = variantsCli.find((r) => r.key === row.key)!;
    for (const [col, v] of Object.entries(row)) if (col !== 'verdict' && col !== 'currency') assert.equal(v, same[col], `variants.csv ${row.key} ${col}`);
  }
  assert.ok('comparison_ctor_p_value' in variantsWeb[0]!, 'the CTOR p-value is exported');

  await page.click('button:has-text("Raw (unfiltered)")');
  await page.locator('[data-testid="links-note"]', { hasText: /^Raw/ }).waitFor();
  assert.match(await page.locator('[data-testid="ab-note"]').innerText(), /^Raw/);
  assert.equal(await page.locator('[data-testid="ab"] button[data-sort="raw_ctr"]').count(), 1);
  const top = (links.groups as LinkGroup[]).find((g) => g.key === (links.groups as LinkGroup[])[0]!.key)!;
  const rawRow = page.locator('[data-testid="links"] tbody tr', { has: page.locator(`td[data-col="url"] span[title="${top.key}"]`) });
  assert.equal(await rawRow.locator('td[data-col="raw_unique_clicks"]').innerText(), num(top.raw.unique_clicks));
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-spring-sale-raw-tables.png'), fullPage: true });

  // By hour over the demo's days: each bar keeps a readable width, the chart scrolls, a note says so.
  await page.click('button:has-text("By hour")');
  await page.locator('[data-testid="scroll-note"]').waitFor();
  const hourly = page.locator('[data-testid="over-time"] .chart').first();
  const buckets = Number(await hourly.getAttribute('data-buckets'));
  assert.ok(buckets > 200, `${buckets} hours`);
  const width = await hourly
    .locator('canvas')
    .first()
    .evaluate((c) => c.getBoundingClientRect().width);
  assert.ok(width >= buckets * 6, `${width}px for ${buckets} bars`);

  // Unknown campaign: a not-found page; an unknown path: the server's HTML not-found page.
  await page.goto(`${base}/campaigns/no-such-campaign`);
  assert.match(await page.locator('[data-testid="not-found"]').innerText(), /Campaign not found[\s\S]*no-such-campaign/);
  const nope = await page.goto(`${base}/nope`);
  assert.equal(nope?.status(), 404);
  assert.match(await page.locator('h1').innerText(), /Page not found/);

  // Calculator: a bad entry replaces the result with what is wrong; separators are read; both limits refuse alike.
  await page.goto(`${base}/calculator`);
  await page.fill('input[name=clicks]', '1,240');
  await page.fill('input[name=opens]', '8200');
  await page.click('button:has-text("Calculate")');
  assert.equal(await metric(page, 'ctor').innerText(), '15.12%');
  await page.fill('input[name=clicks]', '12.5');
  await page.click('button:has-text("Calculate")');
  assert.match(await page.locator('.error').innerText(), /Unique clicks must be a whole number.*12\.5/);
  assert.equal(await page.locator('[data-testid="calc-result"]').count(), 0, 'the previous result is gone');
  await page.fill('input[name=clicks]', '1240.0');
  await page.click('button:has-text("Calculate")');
  assert.equal(await metric(page, 'ctor').innerText(), '15.12%');
  await page.fill('input[name=clicks]', '9000');
  await page.click('button:has-text("Calculate")');
  assert.match(await page.locator('.error').innerText(), /clicks \(9,000\) cannot exceed opens \(8,200\): a click implies an open/);
  assert.equal(await page.locator('[data-testid="calc-result"]').count(), 0);
  await page.fill('input[name=opens]', '');
  await page.fill('input[name=delivered]', '5000');
  await page.click('button:has-text("Calculate")');
  await page.locator('.error', { hasText: /clicks \(9,000\) cannot exceed delivered \(5,000\): unique clicks count each delivered message once/ }).waitFor();
  await context.close();
});
