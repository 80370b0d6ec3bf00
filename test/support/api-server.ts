// Test support: one ClickrateServer over real HTTP on loopback for a whole test file, with a real DuckDB
// file, spool and API key, started before its first test and closed after its last.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { createApiKey } from '../../src/http/api-keys.js';
import { ClickrateServer, type ServerOptions } from '../../src/server/server.js';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { createKeyring, generateKey } from '../../src/tracking/keyring.js';

export interface ApiServer {
  /** The file's temporary folder (the store and spool are in it). */
  dir: string;
  store: Store;
  server: ClickrateServer;
  /** http://127.0.0.1:PORT */
  base: string;
  /** An API key the server accepts. */
  key: string;
}

/**
 * Registers the file's hooks; the fields are readable inside tests. `fill` runs on the store before the
 * server starts; `options` adds server options (the provider webhooks it takes).
 */
export function useApiServer(
  name: string,
  fill: (store: Store) => Promise<void> = async () => undefined,
  options: Pick<ServerOptions, 'webhooks' | 'sendgridInboundAuth'> = {},
): ApiServer {
  const s = { dir: mkdtempSync(join(tmpdir(), `clickrate-${name}-`)) } as ApiServer;
  before(async () => {
    s.store = await openDuckDbStore(join(s.dir, `${name}.duckdb`));
    s.key = (await createApiKey(s.store, 'test')).key;
    await fill(s.store);
    s.server = new ClickrateServer({
      store: s.store,
      keyring: createKeyring('k1', { k1: generateKey() }),
      baseUrl: 'http://t.example.com',
      spoolDir: join(s.dir, 'spool'),
      ...options,
    });
    s.base = `http://127.0.0.1:${await s.server.listen(0)}`;
  });
  after(async () => {
    await s.server?.close();
    await s.store?.close();
    rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}
