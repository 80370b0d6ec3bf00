// Where the link-signing keyring comes from: CLICKRATE_KEYRING / CLICKRATE_KEYRING_FILE when set (edges
// that share a store must share these), else a file beside the database, created on first use.
import { existsSync, writeFileSync } from 'node:fs';
import { createKeyring, generateKey, loadKeyringFile, loadKeyringFromEnv, serializeKeyring, type Keyring } from '../tracking/keyring.js';

export function keyringPathFor(dbPath: string): string {
  return `${dbPath}.keyring.json`;
}

export function loadOrCreateKeyring(dbPath: string): { keyring: Keyring; source: string } {
  const fromEnv = loadKeyringFromEnv();
  if (fromEnv) return { keyring: fromEnv, source: 'environment' };
  const path = keyringPathFor(dbPath);
  if (existsSync(path)) return { keyring: loadKeyringFile(path), source: path };
  const keyring = createKeyring('k1', { k1: generateKey() });
  // 0600: the file holds the secret that makes tracked links unforgeable.
  writeFileSync(path, serializeKeyring(keyring), { mode: 0o600, flag: 'wx' });
  return { keyring, source: `${path} (new)` };
}
