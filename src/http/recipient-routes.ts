// The privacy and backup routes of the API (docs/privacy.md): DELETE /api/v1/recipients/<id> erases a
// recipient, GET /api/v1/recipients/<id>/events.jsonl exports its events (a subject access request), and
// POST /api/v1/backup answers a consistent copy of a DuckDB store (what `clickrate backup` asks a running
// `serve` for, since DuckDB lets one process hold the file). All need an API key (server.ts checks it first).
import { once } from 'node:events';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ClickrateError } from '../errors.js';
import { recipientEvents } from '../store/recipient-events.js';
import type { Store } from '../store/store.js';
import { sendJson } from './reply.js';

const RECIPIENT_PATH = /^\/api\/v1\/recipients\/([^/]+)(\/events\.jsonl)?$/;

/** The recipient id's longest form: ids are opaque, but a path is no place for a document. */
const MAX_RECIPIENT = 1024;

/** True when `path` is one of these routes (server.ts dispatches on it). */
export function isRecipientRoute(path: string): boolean {
  return path === '/api/v1/backup' || RECIPIENT_PATH.test(path);
}

/** Answers a request to one of these routes (isRecipientRoute), already authenticated. */
export async function routeRecipients(req: IncomingMessage, res: ServerResponse, store: Store, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/api/v1/backup') return method === 'POST' ? postBackup(res, store) : notAllowed(res, 'POST');
  const m = RECIPIENT_PATH.exec(path)!;
  const recipient = decodeRecipient(m[1]!);
  if (m[2]) return method === 'GET' ? getEvents(res, store, recipient) : notAllowed(res, 'GET');
  if (method !== 'DELETE') return notAllowed(res, 'DELETE');
  sendJson(res, 200, await store.forgetRecipient(recipient));
}

function decodeRecipient(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `the recipient in the path is not valid percent-encoded UTF-8: ${JSON.stringify(segment.slice(0, 200))}`);
  }
  if (id.length > MAX_RECIPIENT) throw new ClickrateError('CR_ERR_BAD_INPUT', `the recipient id is longer than ${MAX_RECIPIENT} characters`);
  return id;
}

function notAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  sendJson(res, 405, { error: { code: 'CR_ERR_BAD_INPUT', message: `method not allowed; use ${allow}` } });
}

/** Every stored event of the recipient as JSON Lines; an unknown recipient is an empty answer, not a 404. */
async function getEvents(res: ServerResponse, store: Store, recipient: string): Promise<void> {
  const pages = recipientEvents(store, recipient);
  // The first page before the head: a store failure is still an error answer, not a cut-off body.
  let page = await pages.next();
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  while (!page.done) {
    if (res.destroyed) return void (await pages.return(undefined));
    // TRICKY: wait for 'close' too: a client that hangs up never drains, and the export would hang forever.
    if (!res.write(page.value.map((e) => `${JSON.stringify(e)}\n`).join(''))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    page = await pages.next();
  }
  res.end();
}

/**
 * A copy of the whole store, made by the store itself (Store.backupTo; a ClickHouse store refuses) into a
 * private temporary folder and streamed as the DuckDB file it is; the folder goes when the answer ends.
 */
async function postBackup(res: ServerResponse, store: Store): Promise<void> {
  // mkdtemp makes the folder 0700; the file is made 0600 by the store.
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-backup-'));
  try {
    const file = join(dir, 'clickrate.duckdb');
    const copied = await store.backupTo(file);
    res.writeHead(200, {
      'content-type': 'application/vnd.duckdb',
      'cache-control': 'no-store',
      'x-clickrate-schema-version': String(copied.schemaVersion),
      'x-clickrate-events': String(copied.events),
      'x-clickrate-store': encodeURIComponent(copied.source),
    });
    await pipeline(createReadStream(file), res);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
