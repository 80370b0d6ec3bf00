// Logout holds beyond one process: a session logged out stays refused after the server restarts (its
// DuckDB file reopened behind the store worker, as under `serve`), and by every server sharing a
// ClickHouse store, at once. Real servers on loopback, a real DuckDB file, a real clickhouse-server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { StoreWorker } from '../server/worker/store-client.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { createApiKey } from './api-keys.js';
import { ClickrateServer } from '../server/server.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-sessions-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local = useLocalClickHouse();
// Every server shares the keyring, as edges sharing a store must: each accepts the others' cookies.
const keyring = createKeyring('k1', { k1: generateKey() });
let spools = 0;

async function serve(store: Store): Promise<{ server: ClickrateServer; base: string }> {
  const server = new ClickrateServer({ store, keyring, baseUrl: 'http://t.example.com', spoolDir: join(dir, `spool${++spools}`) });
  return { server, base: `http://127.0.0.1:${await server.listen(0)}` };
}

async function login(base: string, key: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key, next: '/' }).toString(),
  });
  assert.equal(res.status, 303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function logout(base: string, cookie: string): Promise<void> {
  const res = await fetch(`${base}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: base } });
  assert.equal(res.status, 303);
}

const apiStatus = async (base: string, cookie: string): Promise<number> => (await fetch(`${base}/api/v1/campaigns`, { headers: { cookie } })).status;

test('a logout survives a restart: the same DuckDB file, reopened behind the store worker as under serve', async () => {
  const db = join(dir, 'restart.duckdb');
  const first = await openDuckDbStore(db);
  const { key } = await createApiKey(first, 'k');
  const a = await serve(first);
  const gone = await login(a.base, key);
  const kept = await login(a.base, key);
  await logout(a.base, gone);
  await a.server.close();
  await first.close();

  const worker = await StoreWorker.start({ store: { db } });
  const b = await serve(worker.store);
  try {
    assert.equal(await apiStatus(b.base, kept), 200, 'sessions outlive a restart');
    assert.equal(await apiStatus(b.base, gone), 401, 'a logged-out one stays out');
  } finally {
    await b.server.close();
    await worker.store.close();
  }
});

test('servers sharing a ClickHouse store: a logout on one is refused by the other at once', async () => {
  const url = local.server.url('sessions');
  const [storeA, storeB] = [await openClickHouseStore(url), await openClickHouseStore(url)];
  const { key } = await createApiKey(storeA, 'k');
  const a = await serve(storeA);
  const b = await serve(storeB);
  try {
    const cookie = await login(a.base, key);
    assert.equal(await apiStatus(b.base, cookie), 200, 'B accepts A’s session');
    await logout(a.base, cookie);
    assert.equal(await apiStatus(b.base, cookie), 401);
    assert.equal(await apiStatus(a.base, cookie), 401);
  } finally {
    await a.server.close();
    await b.server.close();
    await storeA.close();
    await storeB.close();
  }
});
