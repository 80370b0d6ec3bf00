// /readyz on a ClickHouse store: ready while clickhouse-server answers, 503 naming the store once the
// server is really stopped, while /healthz and the redirects go on. A real clickhouse-server on loopback.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { waitFor } from '../../test/support/wait-for.js';
import { ClickrateServer } from '../server/server.js';
import { openClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';

const local = useLocalClickHouse();
const dir = mkdtempSync(join(tmpdir(), 'clickrate-ready-ch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('readyz on ClickHouse: 200 while the server answers, 503 naming the store once it is stopped', async () => {
  const store = await openClickHouseStore(local.server.url('ready'));
  const server = new ClickrateServer({
    store,
    keyring: createKeyring('k1', { k1: generateKey() }),
    baseUrl: 'http://t.example.com',
    spoolDir: join(dir, 'spool'),
  });
  const base = `http://127.0.0.1:${await server.listen(0)}`;
  try {
    const ok = await fetch(`${base}/readyz`);
    assert.equal(ok.status, 200, await ok.clone().text());
    await local.server.stop();
    const down = await waitFor('a check after the server stopped', async () => {
      const r = await fetch(`${base}/readyz`);
      return r.status === 503 ? r : null;
    });
    const body = (await down.json()) as { checks: { store: { ok: boolean; error?: string }; spool: { ok: boolean } } };
    assert.equal(body.checks.store.ok, false);
    assert.match(body.checks.store.error ?? '', /^store unreachable: /);
    assert.equal(body.checks.spool.ok, true);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  } finally {
    await server.close().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
});
