// The honeypot link in a real browser (Chromium): a person can neither see it, nor reach it with the
// keyboard, nor hear it from a screen reader, while every ordinary link of the message stays reachable.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createKeyring, generateKey } from './keyring.js';
import { wrapMessage } from './wrap-message.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
after(async () => browser?.close());

const keyring = createKeyring('k1', { k1: generateKey() });
const html = '<html><body><p>Hello</p><a href="https://shop.example.com/a">Shop</a> <a href="https://shop.example.com/b">Blog</a></body></html>';

test('the honeypot link is invisible, never focused by Tab, and absent from the accessibility tree', async () => {
  const wrapped = wrapMessage(
    { html, campaign: 'c', recipient: 'r', message: 'm' },
    { baseUrl: 'https://t.example.com', keyring, honeypot: true, pixel: false },
  );
  const page = await browser.newPage();
  await page.setContent(wrapped.html ?? '');
  const trap = page.locator(`a[href="${wrapped.honeypot}"]`);
  assert.equal(await trap.count(), 1);
  assert.equal(await trap.isVisible(), false);
  assert.equal(await trap.boundingBox(), null);
  const focused: string[] = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    focused.push(await page.evaluate(() => document.activeElement?.getAttribute('href') ?? ''));
  }
  assert.ok(!focused.includes(wrapped.honeypot ?? ''), focused.join(' '));
  assert.equal(focused.filter((h) => h.startsWith('https://t.example.com/c/')).length >= 2, true, 'the real links stay reachable');
  const tree = await page.locator('body').ariaSnapshot();
  assert.equal((tree.match(/- link/g) ?? []).length, 2, tree);
  await page.close();
});
