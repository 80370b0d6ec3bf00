// One dashboard for a browser test file: a server on loopback over a DuckDB file with the demo loaded,
// an API key, and Debian's Chromium, started before the file's first test and stopped after its last.
// TRICKY: each test file imports playwright-core's `chromium` itself and passes it in: test/tiers.mjs
// reads a built test file's own imports to leave browser tests out of the unit tier.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserType, Page } from 'playwright-core';
import { DEFAULT_WEB_ROOT } from '../../src/dashboard/dashboard-pages.js';
import { DEMO_DEFAULT_NOW } from '../../src/demo/demo-dataset.js';
import { loadDemo } from '../../src/demo/load-demo.js';
import { createApiKey } from '../../src/http/api-keys.js';
import { ClickrateServer } from '../../src/server/server.js';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { createKeyring, generateKey, type Keyring } from '../../src/tracking/keyring.js';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots for a human to look at. */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface Dashboard {
  store: Store;
  server: ClickrateServer;
  browser: Browser;
  base: string;
  key: string;
  keyring: Keyring;
  /** GET an API path with the key; asserts 200. */
  api<T>(path: string): Promise<T>;
}

/** The dashboard's formatting of a rate and a count (src/dashboard/web/src/format.ts). */
export const pct = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(2)}%`);
export const num = (v: number): string => v.toLocaleString('en-US');
export const metric = (page: Page, name: string) => page.locator(`[data-metric="${name}"]`).first();

export function useDashboard(chromium: BrowserType, name: string): { readonly get: Dashboard } {
  const dir = mkdtempSync(join(tmpdir(), `clickrate-${name}-`));
  let d: Dashboard | undefined;
  before(async () => {
    assert.ok(existsSync(join(DEFAULT_WEB_ROOT, 'index.html')), 'the frontend is built (npm run build:web) before the tests run');
    const store = await openDuckDbStore(join(dir, 'e2e.duckdb'));
    await loadDemo(store, { now: DEMO_DEFAULT_NOW });
    const key = (await createApiKey(store, 'e2e')).key;
    const keyring = createKeyring('k1', { k1: generateKey() });
    const server = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, 'spool') });
    const base = `http://127.0.0.1:${await server.listen(0)}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    const api = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 200, path);
      return (await res.json()) as T;
    };
    d = { store, server, browser, base, key, keyring, api };
  });
  after(async () => {
    await d?.browser.close();
    await d?.server.close();
    await d?.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get get(): Dashboard {
      assert.ok(d, 'the dashboard is read before the file started it');
      return d;
    },
  };
}
