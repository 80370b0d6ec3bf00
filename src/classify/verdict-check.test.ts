// verdict_check over a real DuckDB file: honeypot hits (and whether the other signals alone caught
// them), the last click before a conversion or reply, and machine opens per provider class.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ingestEvents } from '../ingest/ingest-events.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { reclassify } from './reclassify.js';
import { verdictCheck } from './verdict-check.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-vcheck-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.parse('2026-06-01T09:00:00Z');
const S = 1000;
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36';
const OLD = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const TRAP = 'https://t.example.com/clickrate-honeypot';
const SHOP = 'https://shop.example.com/a';

let n = 0;
const e = (m: string, type: string, at: number, extra: Record<string, unknown> = {}) => ({ id: `e${++n}`, type, ts: iso(T + at), message: m, ...extra });
const send = (m: string) => [e(m, 'sent', 0, { campaign: 'check', recipient: `${m}@example.com` }), e(m, 'delivered', S)];

test('verdict_check: honeypot, converting clicks and opens per provider class', async () => {
  const store = await openDuckDbStore(join(dir, 'v.duckdb'));
  try {
    await ingestEvents(store, [
      // A scanner from Azure with a years-old browser, seconds after delivery: the other signals catch it too.
      ...send('a'),
      e('a', 'click', 5 * S, { url: TRAP, ip: '40.94.12.7', user_agent: OLD }),
      // A scanner with a current browser from an unlisted address: only the honeypot catches it.
      ...send('b'),
      e('b', 'click', 3 * H, { url: TRAP, ip: '73.1.2.3', user_agent: CHROME }),
      // A scanner click at delivery, then the person's click and a purchase: the last click is human.
      ...send('c'),
      e('c', 'click', 2 * S, { url: SHOP, ip: '148.163.140.2', user_agent: 'python-requests/2.31.0' }),
      e('c', 'click', 2 * H, { url: SHOP, ip: '73.9.9.9', user_agent: CHROME }),
      e('c', 'conversion', 2 * H + 60 * S, { value: 20 }),
      e('c', 'open', 2 * H - 30 * S, { ip: '66.249.84.10', user_agent: GMAIL }),
      // A reply after a click: human; a second reply closes nothing new.
      ...send('d'),
      e('d', 'click', 4 * H, { url: SHOP, ip: '73.5.5.5', user_agent: CHROME }),
      e('d', 'reply', 5 * H),
      e('d', 'reply', 6 * H),
      e('d', 'open', 20 * 60 * S, { ip: '17.58.1.1', user_agent: 'Mozilla/5.0' }),
      e('d', 'open', 3 * H, { ip: '40.97.10.20', user_agent: CHROME }), // Outlook on the web, late: a person
    ]);
    await reclassify(store, { all: true });
    const v = await verdictCheck(store, 'check');
    assert.deepEqual(v.honeypot, { n: 2, k: 2, share: 1, by_other_signals: { n: 2, k: 1, share: 0.5 } });
    assert.deepEqual(v.converting_clicks_human, { n: 2, k: 2, share: 1 });
    assert.deepEqual(v.opens_machine_by_provider['gmail-proxy'], { n: 1, k: 0, share: 0 });
    assert.deepEqual(v.opens_machine_by_provider['apple-mpp'], { n: 1, k: 1, share: 1 });
    assert.deepEqual(v.opens_machine_by_provider['exchange-or-vendor'], { n: 1, k: 0, share: 0 });
    assert.deepEqual(v.opens_machine_by_provider.other, { n: 0, k: 0, share: null });
  } finally {
    await store.close();
  }
});
