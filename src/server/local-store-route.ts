// The running server's store, lent to commands on the same machine (`/api/v1/local/…`): a command that
// finds the DuckDB file locked by `serve` calls the Store's methods here instead, so its code and output
// are the ones it has on an unlocked file (cli/store-access.ts). Calls cross as in the store worker's
// protocol (structured clone, via v8.serialize), objects with methods as handles held per caller (a
// lease). Only the local credential opens it: it can run any query, as whoever can read the file can.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deserialize, serialize } from 'node:v8';
import { ClickrateError } from '../errors.js';
import type { LocalCredential } from '../http/local-credential.js';
import { readBytes } from '../http/read-body.js';
import { sendJson } from '../http/reply.js';
import type { Store } from '../store/store.js';
import { handleMethods, isLooseIterable, plainProps, toWireError, type WorkerStoreCapabilities } from './worker/protocol.js';

/** The media type of a call and its answer (v8.serialize: Dates, BigInts and nested data cross as they are). */
export const LOCAL_CALL_TYPE = 'application/x-clickrate-call';

/** One call: the caller's lease, the handle (0: the store), the method and its arguments. */
export interface LocalCall {
  lease: string;
  h: number;
  m: string;
  a: unknown[];
}

type StoreMethod = Exclude<keyof Store, 'kind' | 'dialect' | 'capabilities' | 'close'>;
/** Every Store method but close (the server's store is not the caller's to close). */
const STORE_METHODS = [
  'beginIngest',
  'query',
  'writeVerdicts',
  'beginVerdictPass',
  'saveTemplate',
  'listTemplates',
  'getTemplate',
  'createApiKey',
  'listApiKeys',
  'revokeApiKey',
  'findApiKeyByHash',
  'revokeSession',
  'isSessionRevoked',
  'setCampaignSettings',
  'getCampaignSettings',
  'recordMailLinks',
  'cutAddresses',
  'forgetRecipient',
  'backupTo',
] as const satisfies readonly StoreMethod[];
// TRICKY: a Store method added later fails to compile here until it is listed (or deliberately not).
const listedAll: Exclude<StoreMethod, (typeof STORE_METHODS)[number]> extends never ? true : never = true;
void listedAll;

/**
 * Methods of the objects calls return: an IngestSession (and `strict`, which file imports ask for), a
 * VerdictPass and its chunks. The packed and direct-load lanes are left out: their buffers are the
 * caller's memory, so files stream through append.
 */
const HANDLE_METHODS = new Set(['append', 'commit', 'abort', 'strict', 'next', 'write', 'finish', 'close', 'batches']);

/** A caller that has made no call for this long has gone (killed): its open sessions are aborted. */
const LEASE_IDLE_MS = 10 * 60_000;
/** A call's body: an import's batch of events fits well within it. */
const MAX_CALL_BYTES = 64 * 1024 * 1024;

interface Lease {
  handles: Map<number, object>;
  /** Handles of verdict passes still open (the server's own passes wait for them). */
  passes: Set<number>;
  next: number;
  timer: NodeJS.Timeout | null;
}

export interface LocalStoreHooks {
  /** After a call that revoked an API key: forget what the server remembers of keys, at once. */
  keysChanged(): void;
  /** Before a caller's verdict pass begins, and after the last one ends: the server's own passes wait. */
  pausePasses(): Promise<void>;
  resumePasses(): void;
}

export class LocalStoreRoute {
  private readonly leases = new Map<string, Lease>();
  private openPasses = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    readonly credential: LocalCredential,
    private readonly hooks: LocalStoreHooks,
  ) {}

  /** Answers `/api/v1/local/hello` and `/api/v1/local/call`; refuses anyone without the credential. */
  async route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!this.credential.matches(req)) throw new ClickrateError('CR_ERR_UNAUTHORIZED', 'the local routes need the credential of this server (DB.serve.json)');
    if (path === '/api/v1/local/hello') return sendJson(res, 200, this.hello());
    if (path === '/api/v1/local/release' && req.method === 'POST') return this.release(req, res);
    if (path !== '/api/v1/local/call' || req.method !== 'POST') throw new ClickrateError('CR_ERR_NOT_FOUND', `no local route ${req.method} ${path}`);
    const call = deserialize(await readBytes(req, MAX_CALL_BYTES)) as LocalCall;
    let answer: unknown;
    try {
      answer = await this.call(call);
    } catch (err) {
      answer = { e: toWireError(err) };
    }
    const body = serialize(answer);
    res.writeHead(200, { 'content-type': LOCAL_CALL_TYPE, 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  }

  private hello(): WorkerStoreCapabilities & { pid: number } {
    // A dialect that keeps no facts says so with a null factsStale() (SqlDialect), as the worker says.
    return { kind: this.store.kind, capabilities: this.store.capabilities, messageFacts: this.store.dialect.factsStale() !== null, pid: process.pid };
  }

  private async call(c: LocalCall): Promise<{ v: unknown; p?: Record<string, unknown> }> {
    if (typeof c?.lease !== 'string' || typeof c.h !== 'number' || typeof c.m !== 'string' || !Array.isArray(c.a)) {
      throw new ClickrateError('CR_ERR_BAD_INPUT', 'a local call is {lease, h, m, a}');
    }
    const lease = this.lease(c.lease);
    const target = c.h === 0 ? this.store : lease.handles.get(c.h);
    const allowed = c.h === 0 ? (STORE_METHODS as readonly string[]).includes(c.m) : HANDLE_METHODS.has(c.m);
    const fn = target === undefined ? undefined : (target as Record<string, unknown>)[c.m];
    if (!allowed || typeof fn !== 'function') throw new ClickrateError('CR_ERR_BAD_INPUT', `no method ${c.m} on handle ${c.h}`);
    if (c.m === 'beginVerdictPass') await this.pause();
    let result: unknown;
    try {
      result = await (fn as (...a: unknown[]) => unknown).apply(target, c.a);
    } catch (err) {
      if (c.m === 'beginVerdictPass') this.resume();
      throw err;
    }
    if (c.m === 'revokeApiKey') this.hooks.keysChanged();
    if (lease.passes.has(c.h) && c.m === 'close') {
      lease.passes.delete(c.h);
      this.resume();
    }
    const v = this.encode(lease, result);
    if (c.m === 'beginVerdictPass') lease.passes.add((v as { __handle: number }).__handle);
    return c.h === 0 || target === undefined ? { v } : { v, p: plainProps(target) };
  }

  private encode(lease: Lease, v: unknown): unknown {
    const methods = handleMethods(v);
    if (methods) {
      const h = lease.next++;
      lease.handles.set(h, v as object);
      return { __handle: h, methods: methods.filter((m) => HANDLE_METHODS.has(m)), props: plainProps(v as object) };
    }
    return isLooseIterable(v) ? Array.from(v) : v;
  }

  private lease(id: string): Lease {
    let lease = this.leases.get(id);
    if (!lease) {
      lease = { handles: new Map(), passes: new Set(), next: 1, timer: null };
      this.leases.set(id, lease);
    }
    if (lease.timer) clearTimeout(lease.timer);
    lease.timer = setTimeout(() => void this.end(id, true), LEASE_IDLE_MS).unref();
    return lease;
  }

  private async release(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { lease } = deserialize(await readBytes(req, 4096)) as { lease?: unknown };
    if (typeof lease === 'string') await this.end(lease, true);
    sendJson(res, 200, { released: true });
  }

  /** Ends a lease: sessions and passes left open (a caller that died or failed) are aborted or closed. */
  private async end(id: string, abandon: boolean): Promise<void> {
    const lease = this.leases.get(id);
    if (!lease) return;
    this.leases.delete(id);
    if (lease.timer) clearTimeout(lease.timer);
    for (const [h, obj] of lease.handles) {
      const o = obj as { abort?: () => Promise<void>; close?: () => Promise<void> };
      // TRICKY: abort after a commit, or close after close, are harmless (sessions and passes are idempotent there).
      if (abandon) await (o.abort?.() ?? o.close?.())?.catch(() => undefined);
      if (lease.passes.has(h)) this.resume();
    }
  }

  private async pause(): Promise<void> {
    if (this.openPasses++ === 0 && !this.closed) await this.hooks.pausePasses();
  }

  private resume(): void {
    if (--this.openPasses === 0 && !this.closed) this.hooks.resumePasses();
  }

  /** Server shutdown: every lease's open work is aborted; the server's passes are not resumed. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.leases.keys()]) await this.end(id, true);
  }
}
