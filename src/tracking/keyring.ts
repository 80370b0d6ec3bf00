// Signing keys for tracking tokens: a keyring of secrets by key id, one of them current for signing.
// Old keys stay in the ring after a rotation so links in mail already delivered keep working.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ClickrateError } from '../errors.js';

/** Key ids travel inside every token, so they are short and URL-safe. */
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
/** RFC 2104 §3: a key shorter than the hash output (32 bytes for SHA-256) weakens HMAC; we refuse < 16. */
const MIN_KEY_BYTES = 16;
/** Environment variable holding the keyring JSON itself. */
export const KEYRING_ENV = 'CLICKRATE_KEYRING';
/** Environment variable holding the path of a keyring JSON file. */
export const KEYRING_FILE_ENV = 'CLICKRATE_KEYRING_FILE';

export interface Keyring {
  /** Key id used to sign new tokens. */
  readonly current: string;
  /** Every key that may verify a token, by key id. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** The on-disk / in-env shape: {"current":"k1","keys":{"k1":"<base64 secret>"}}. */
interface KeyringJson {
  current: string;
  keys: Record<string, string>;
}

function configError(message: string, details: Record<string, unknown> = {}): ClickrateError {
  return new ClickrateError('CR_ERR_CONFIG', message, details);
}

function decodeSecret(kid: string, secret: string): Buffer {
  // TRICKY: Buffer.from(…, 'base64') never throws; it silently drops bad characters. Check the alphabet
  // first so a typo'd secret is an error instead of a shorter, different key.
  const compact = secret.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    throw configError(`signing key "${kid}" is not base64`, { kid });
  }
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < MIN_KEY_BYTES) {
    throw configError(`signing key "${kid}" is ${bytes.length} bytes; use at least ${MIN_KEY_BYTES} (32 recommended)`, {
      kid,
    });
  }
  return bytes;
}

/** Builds a keyring from key id → base64 secret (or raw bytes); the current key must be among them. */
export function createKeyring(current: string, keys: Readonly<Record<string, string | Buffer>>): Keyring {
  const map = new Map<string, Buffer>();
  for (const [kid, secret] of Object.entries(keys)) {
    if (!KEY_ID_PATTERN.test(kid)) {
      throw configError(`key id "${kid}" must be 1-16 characters of A-Z a-z 0-9 _ -`, { kid });
    }
    const bytes = typeof secret === 'string' ? decodeSecret(kid, secret) : Buffer.from(secret);
    if (bytes.length < MIN_KEY_BYTES) throw configError(`signing key "${kid}" is too short`, { kid });
    map.set(kid, bytes);
  }
  if (!map.has(current)) {
    throw configError(`current key "${current}" is not in the keyring`, { current, kids: [...map.keys()] });
  }
  return { current, keys: map };
}

/** Parses keyring JSON; `source` names where it came from in error messages (never the secret itself). */
export function parseKeyringJson(json: string, source = 'keyring'): Keyring {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new ClickrateError('CR_ERR_CONFIG', `${source} is not valid JSON`, { source }, { cause: err });
  }
  if (typeof raw !== 'object' || raw === null) throw configError(`${source} must be a JSON object`, { source });
  const { current, keys } = raw as { current?: unknown; keys?: unknown };
  if (typeof current !== 'string') throw configError(`${source} needs "current": a key id`, { source });
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw configError(`${source} needs "keys": {"<kid>": "<base64 secret>"}`, { source });
  }
  const secrets: Record<string, string> = {};
  for (const [kid, secret] of Object.entries(keys)) {
    if (typeof secret !== 'string') throw configError(`${source}: key "${kid}" must be a base64 string`, { source, kid });
    secrets[kid] = secret;
  }
  return createKeyring(current, secrets);
}

/** Reads a keyring JSON file. */
export function loadKeyringFile(path: string): Keyring {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ClickrateError('CR_ERR_CONFIG', `cannot read keyring file ${path}`, { path }, { cause: err });
  }
  return parseKeyringJson(text, `keyring file ${path}`);
}

/**
 * Loads the keyring from CLICKRATE_KEYRING (JSON) or else CLICKRATE_KEYRING_FILE (path).
 * Returns undefined when neither is set so the caller decides whether a fresh key is acceptable.
 */
export function loadKeyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const inline = env[KEYRING_ENV];
  if (inline !== undefined && inline.trim() !== '') return parseKeyringJson(inline, KEYRING_ENV);
  const file = env[KEYRING_FILE_ENV];
  if (file !== undefined && file.trim() !== '') return loadKeyringFile(file.trim());
  return undefined;
}

/** A new random 32-byte secret (the SHA-256 output size), base64-encoded. */
export function generateKey(): string {
  return randomBytes(32).toString('base64');
}

/** Adds a fresh key and makes it current; earlier keys stay so already-sent links still verify. */
export function rotateKeyring(ring: Keyring, newKid?: string): { ring: Keyring; kid: string } {
  const kid = newKid ?? `k${Date.now().toString(36)}`;
  if (ring.keys.has(kid)) throw configError(`key id "${kid}" already exists in the keyring`, { kid });
  const keys: Record<string, Buffer> = Object.fromEntries(ring.keys);
  keys[kid] = Buffer.from(generateKey(), 'base64');
  return { ring: createKeyring(kid, keys), kid };
}

/** The JSON form of a keyring, to write to a file with mode 0600. */
export function serializeKeyring(ring: Keyring): string {
  const keys: Record<string, string> = {};
  for (const [kid, bytes] of ring.keys) keys[kid] = bytes.toString('base64');
  const json: KeyringJson = { current: ring.current, keys };
  return JSON.stringify(json, null, 2) + '\n';
}
