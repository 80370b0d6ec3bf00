// Several edges, one store: two tracking servers (each with its own spool and its own connection, as two
// processes would have) share one ClickHouse store and one signing keyring; the report counts both.
import { waitFor } from '../../../test/support/wait-for.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createApiKey } from '../../http/api-keys.js';
import { ClickrateServer } from '../../server/server.js';
import { runReport } from '../../metrics/run-report.js';
import { createKeyring, generateKey } from '../../tracking/keyring.js';
import { openClickHouseStore, type ClickHouseStore } from './clickhouse-store.js';
import { startLocalClickHouse, type LocalClickHouse } from './local-server.js';

let server: LocalClickHouse;
const dir = mkdtempSync(join(tmpdir(), 'clickrate-edges-'));
const keyring = createKeyring('k1', { k1: generateKey() });
const edges: Array<{ store: ClickHouseStore; http: ClickrateServer; base: string }> = [];

before(async () => {
  server = await startLocalClickHouse();
  for (const name of ['a', 'b']) {
    const store = await openClickHouseStore(server.url('edges'));
    const http = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, `spool-${name}`) });
    edges.push({ store, http, base: `http://127.0.0.1:${await http.listen(0)}` });
  }
});
after(async () => {
  for (const e of edges) {
    await e.http.close();
    await e.store.close();
  }
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('[clickhouse] two edges record clicks of one campaign into one store; the report counts both', async () => {
  const [a, b] = edges as [(typeof edges)[0], (typeof edges)[0]];
  // A key made through edge A's store is accepted by edge B: API keys live in the store.
  const { key } = await createApiKey(a.store, 'edges');
  const links: string[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${b.base}/api/v1/wrap`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ html: '<p><a href="https://shop.example.com/sale">Shop</a></p>', campaign: 'two-edges', recipient: `p${i}@example.com` }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const { html } = (await res.json()) as { html: string };
    links.push(/href="http:\/\/t\.example\.com(\/c\/[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'));
  }
  const ua = { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15' };
  // Messages 0–2 clicked on edge A, 3–5 on edge B (message 5 twice), as a load balancer would spread them.
  for (const [i, link] of links.entries()) {
    const edge = i < 3 ? a : b;
    const res = await fetch(`${edge.base}${link}`, { redirect: 'manual', headers: ua });
    assert.equal(res.status, 302);
  }
  assert.equal((await fetch(`${b.base}${links[5]}`, { redirect: 'manual', headers: ua })).status, 302);
  // Each edge's writer drains its own spool into the shared store; wait (bounded) until both have.
  const report = await waitFor(
    "both edges' clicks in the store",
    async () => {
      // The sent events travel through the spools too: until they land the campaign is unknown.
      const r = await runReport(a.store, { campaign: 'two-edges' }).catch((err: { code?: string }) => {
        if (err.code === 'CR_ERR_NOT_FOUND') return null;
        throw err;
      });
      return r?.kind === 'email' && r.totals.raw.total_clicks >= 7 ? r : null;
    },
    { tries: 300, everyMs: 100 },
  );
  assert.equal(report.totals.sent, 6);
  assert.equal(report.totals.raw.unique_clicks, 6);
  assert.equal(report.totals.raw.total_clicks, 7);
  // TRICKY: the rows are visible in the store a moment before each writer counts its insert (the count
  // follows the server's reply), so under load the counts are awaited too, bounded, not read at once.
  const inserted = (e: typeof a) => (e.http.status() as { writer: { inserted: number } }).writer.inserted;
  await waitFor('both writers to count their inserts', () => inserted(a) >= 3 && inserted(b) >= 4, { tries: 100 }).catch(() => undefined);
  assert.ok(inserted(a) >= 3, `edge A's writer stored its 3 clicks (${inserted(a)})`);
  assert.ok(inserted(b) >= 4, `edge B's writer stored at least its 4 clicks (${inserted(b)})`);
  // Either store connection answers the same.
  assert.deepEqual(await runReport(b.store, { campaign: 'two-edges' }), await runReport(a.store, { campaign: 'two-edges' }));
});
