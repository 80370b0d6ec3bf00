// The running server's local credential: `serve` on a DuckDB file holds the file's lock, so it publishes
// where it listens and a random token beside the database (`DB.serve.json`, mode 0600); commands on the
// same machine read it and reach the locked file through the server. The server keeps only the token's
// SHA-256, and accepts it only from a connection that starts on this machine.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { ClickrateError } from '../errors.js';
import { pidAlive } from '../tracking/spool-files.js';

const TOKEN_PREFIX = 'crl_';

/** What the file says: how to reach the server and prove the caller may read the file. */
export interface LocalServerInfo {
  /** http://127.0.0.1:PORT (or the address serve was told to listen on). */
  url: string;
  /** The public origin its tracked links point at (--base-url). */
  baseUrl: string;
  token: string;
  pid: number;
}

function localCredentialPath(dbPath: string): string {
  return `${dbPath}.serve.json`;
}

/** Where a command on this machine reaches a server listening on `host`:`port`. */
export function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '' || host === 'localhost') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return isIP(host) === 6 ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The server's side: a fresh token per start, compared in constant time, published and withdrawn. */
export class LocalCredential {
  readonly token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  private readonly hash = createHash('sha256').update(this.token).digest();
  private published: string | null = null;

  /**
   * True when the request carries this token and comes from this machine: over loopback, or to the
   * same address it comes from (a server told to listen on one interface's address). TRICKY: a proxy on
   * this machine forwards from loopback too, so the token alone is the proof; the address check only
   * keeps the token useless to anyone who copied it off the machine.
   */
  matches(req: IncomingMessage): boolean {
    const m = /^Bearer\s+(crl_\S+)\s*$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const got = createHash('sha256').update(m[1]!).digest();
    if (!timingSafeEqual(got, this.hash)) return false;
    const { remoteAddress, localAddress } = req.socket;
    return isLoopback(remoteAddress) || (remoteAddress !== undefined && remoteAddress === localAddress);
  }

  /** Writes `DB.serve.json` (0600, atomically: a reader never sees half a file). */
  publish(dbPath: string, info: Omit<LocalServerInfo, 'token' | 'pid'>): void {
    const path = localCredentialPath(dbPath);
    const tmp = `${path}.${process.pid}.tmp`;
    const body: LocalServerInfo = { ...info, token: this.token, pid: process.pid };
    writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    renameSync(tmp, path);
    this.published = path;
  }

  /** Removes the file on a clean stop, unless another server has written its own there since. */
  withdraw(): void {
    if (this.published === null) return;
    const path = this.published;
    this.published = null;
    if (readLocalServer(path)?.token === this.token) rmSync(path, { force: true });
  }
}

function readLocalServer(path: string): LocalServerInfo | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as Partial<LocalServerInfo>;
    if (typeof v.url === 'string' && typeof v.token === 'string' && typeof v.pid === 'number' && typeof v.baseUrl === 'string') return v as LocalServerInfo;
  } catch {
    // a half-written or foreign file: no server is described there
  }
  return null;
}

/**
 * The server a command should go through for this DuckDB file, or null when none holds it. A file left
 * by a server that was killed (its process gone) is stale: removed, and null. A file others may read is
 * refused: the token in it opens the whole database.
 */
export function findLocalServer(dbPath: string): LocalServerInfo | null {
  const path = localCredentialPath(dbPath);
  const info = readLocalServer(path);
  if (info === null) return null;
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new ClickrateError(
      'CR_ERR_CONFIG',
      `${path} is readable by other users; it holds the running server's credential (chmod 600 it, or stop the server and remove it)`,
      {
        path,
      },
    );
  }
  if (!pidAlive(info.pid)) {
    forgetStale(dbPath, info);
    return null;
  }
  return info;
}

/** Removes a credential file whose server is gone (unless a new server has replaced it meanwhile). */
export function forgetStale(dbPath: string, info: LocalServerInfo): void {
  const path = localCredentialPath(dbPath);
  if (readLocalServer(path)?.token === info.token) rmSync(path, { force: true });
}
