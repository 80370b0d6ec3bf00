// The dashboard end to end in Debian's Chromium: a real server on loopback over a DuckDB file with the
// demo; sign in, read a campaign, check the figures equal the API's, toggle people/raw, the window, the
// click map's sandbox, the calculator, and a campaign sent through the Nodemailer plugin getting its click
// map; screenshots go to test-artifacts/ for a human to look at.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { ARTIFACTS, metric, num, pct, useDashboard } from '../../test/support/dashboard-e2e.js';
import { fmtDuration } from '../cli/format-table.js';
import type { EmailGroup, EmailReport } from '../metrics/report-types.js';
import { clickrateTracking } from '../tracking/nodemailer-plugin.js';

const dash = useDashboard(chromium, 'e2e');

test('sign in, read a campaign as the API reports it, toggle people/raw and the window, see the click map', async () => {
  const { browser, base, key, api } = dash.get;
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, timezoneId: 'UTC' });
  const page = await context.newPage();
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && r.url() !== 'about:srcdoc') outside.push(r.url());
  });

  // Signed out, a campaign page sends you to /login, which asks for a key with one password field.
  await page.goto(`${base}/campaigns/spring-sale`);
  assert.match(page.url(), /\/login\?next=%2Fcampaigns%2Fspring-sale$/);
  assert.equal(await page.locator('input[type=password]').count(), 1);
  assert.equal(await page.locator('button[type=submit]').count(), 1);
  await page.fill('input[type=password]', 'cr_not-a-real-key');
  await page.click('button[type=submit]');
  assert.match(await page.locator('.error').innerText(), /unknown or revoked/);
  await page.fill('input[type=password]', key);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/campaigns/spring-sale`);
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'cr_session');
  assert.ok(cookie, 'a session cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');

  // The headline figures are the API's.
  const report = await api<EmailReport>('/api/v1/campaigns/spring-sale/report');
  const t = report.totals;
  await metric(page, 'ctr').waitFor();
  assert.equal(await metric(page, 'ctr').innerText(), pct(t.ctr));
  assert.equal(await metric(page, 'ctor').innerText(), pct(t.ctor));
  assert.equal(await metric(page, 'delivered').innerText(), num(t.delivered));
  assert.equal(await metric(page, 'reply_rate').innerText(), pct(t.reply_rate));
  assert.match(await page.locator('[data-funnel="people-clicked"]').innerText(), new RegExp(`^${num(t.unique_clicks)} `));
  assert.match(await page.locator('[data-funnel="raw-clicked"]').innerText(), new RegExp(`^${num(t.raw.unique_clicks)} `));

  // A/B: B's verdict is the report's (B is truly better in the demo).
  const variants = await api<EmailReport>('/api/v1/campaigns/spring-sale/report?by=variant');
  const b = variants.groups.find((g) => g.key === 'B') as EmailGroup;
  assert.equal(b.comparison?.ctr.significant, true);
  await page.locator('[data-testid="ab"] td', { hasText: 'Winner over A' }).waitFor();

  // The click map frame is sandboxed with no scripts, and marks the links with their share.
  // Scripts are allowed only for clickrate's own, hashed one (CLICK_MAP_CSP); never the page's origin.
  const frame = page.locator('iframe.clickmap');
  assert.equal(await frame.getAttribute('sandbox'), 'allow-scripts');
  const badges = page.frameLocator('iframe.clickmap').locator('.cr-badge');
  await badges.first().waitFor();
  assert.ok((await badges.count()) >= 4, 'each of the sale\u2019s links is marked');
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-spring-sale.png'), fullPage: true });
  // TRICKY: a full-page capture leaves the out-of-process (sandboxed) frame blank; capture it on its own.
  await frame.screenshot({ path: join(ARTIFACTS, 'clickmap-spring-sale.png') });

  // Raw shows the unfiltered figures and what filtering removed, by reason.
  await page.click('button:has-text("Raw (unfiltered)")');
  await page.locator('[data-testid="metrics"][data-view="raw"]').waitFor();
  assert.equal(await metric(page, 'ctr').innerText(), pct(t.raw.ctr));
  await page.locator('[data-testid="removed"] td', { hasText: 'burst' }).first().waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-spring-sale-raw.png'), fullPage: true });
  await page.click('button:has-text("People")');

  // The window changes every figure at once.
  const windowed = await api<EmailReport>('/api/v1/campaigns/spring-sale/report?window=1h');
  assert.notEqual(windowed.totals.ctr, t.ctr, 'the demo has clicks later than an hour after the send');
  await page.selectOption('select[aria-label="Reporting window"]', '1h');
  await page.waitForFunction((want) => document.querySelector('[data-metric="ctr"]')?.textContent === want, pct(windowed.totals.ctr));
  assert.equal(await metric(page, 'ctor').innerText(), pct(windowed.totals.ctor));
  assert.match(page.url(), /window=1h/);

  // A sequence: per-step table with reply rates from the API.
  const steps = await api<EmailReport>('/api/v1/campaigns/outreach-q4/report?by=step');
  await page.goto(`${base}/campaigns/outreach-q4`);
  await page.locator('[data-testid="steps"]').waitFor();
  const firstStepReply = await page.locator('[data-testid="steps"] tbody tr').first().locator('td[data-col="reply_rate"]').innerText();
  assert.equal(firstStepReply, pct((steps.groups[0] as EmailGroup).reply_rate));
  const firstStepDelay = (steps.groups[0] as EmailGroup).median_time_to_reply_s;
  assert.notEqual(firstStepDelay, null, 'the demo sequence has replies to time');
  const delayCell = page.locator('[data-testid="steps"] tbody tr').first().locator('td[data-col="median_time_to_reply_s"]');
  assert.equal(await delayCell.innerText(), fmtDuration(firstStepDelay));
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-outreach-q4.png'), fullPage: true });

  // The campaign list, searchable.
  await page.goto(`${base}/`);
  await page.locator('[data-testid="campaigns"] tbody tr').first().waitFor();
  assert.equal(await page.locator('[data-testid="campaigns"] tbody tr').count(), 5);
  await page.screenshot({ path: join(ARTIFACTS, 'campaigns.png'), fullPage: true });
  await page.fill('input[type=search]', 'retarg');
  assert.equal(await page.locator('[data-testid="campaigns"] tbody tr').count(), 1);
  await page.click('a:has-text("retargeting")');
  await metric(page, 'impressions').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-retargeting.png'), fullPage: true });

  // The calculator reproduces SPEC.md's worked figure.
  await page.goto(`${base}/calculator`);
  await page.fill('input[name=clicks]', '1240');
  await page.fill('input[name=opens]', '8200');
  await page.click('button:has-text("Calculate")');
  assert.equal(await metric(page, 'ctor').innerText(), '15.12%');
  await page.fill('input[name=delivered]', '5000');
  await page.click('button:has-text("Calculate")');
  assert.match(await page.locator('.error').innerText(), /opens \(8,200\) cannot exceed delivered/);
  await page.screenshot({ path: join(ARTIFACTS, 'calculator.png'), fullPage: true });

  assert.deepEqual(outside, [], 'no request leaves the machine');
  await context.close();
});

test('a campaign sent through the Nodemailer plugin gets a click map: the plugin posts its template', async () => {
  const { server, base, key, keyring, api } = dash.get;
  const plugin = clickrateTracking({ baseUrl: 'http://t.example.com', keyring, apiUrl: base, apiKey: key, logger: { warn: (m) => assert.fail(m) } });
  const html = '<html><body><p>Hi Ann,</p><a href="https://shop.example.com/z">Our new range</a></body></html>';
  const mail = { data: { from: 'news@example.com', to: 'ann@example.org', subject: 'New', html, clickrate: { campaign: 'mailer', variant: 'A' } } };
  await new Promise<void>((done) => plugin(mail as Parameters<typeof plugin>[0], () => done()));
  await server.writer.drainAll();
  const { templates } = await api<{ templates: Array<{ variant: string | null; links: number }> }>('/api/v1/campaigns/mailer/templates');
  assert.deepEqual(
    templates.map((t) => [t.variant, t.links]),
    [['A', 1]],
  );
  const map = await fetch(`${base}/api/v1/campaigns/mailer/click-map?variant=A`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(map.status, 200);
  assert.match(await map.text(), /class="cr-badge"[^>]*>0\.0%</);
});
