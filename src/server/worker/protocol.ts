// The messages between the edge's thread and the store worker, and how values cross: plain data as it is
// (structured clone), objects with methods as handles, iterables as arrays, errors with their CR_ERR code.
import { ClickrateError, isClickrateError, type ErrorCode } from '../../errors.js';
import type { SegmentRange } from '../../tracking/spool.js';
import type { StoreFlags } from '../../store/open-store.js';
import type { DuckDbStoreOptions } from '../../store/duckdb/duckdb-store.js';
import type { Store } from '../../store/store.js';
import type { ClassifyStats } from './classify-loop.js';

/** What the worker is started with (workerData). */
export interface WorkerSetup {
  store: StoreFlags;
  duck?: DuckDbStoreOptions;
  classifyEveryMs?: number;
  maxLagMs?: number;
  /** Linux: the worker thread's nice value (serve: 10), so the edge's thread wins the cores it needs. */
  nice?: number;
}

/** What the worker's store can do, which the edge's RemoteStore must say (and do) the same. */
export type WorkerStoreCapabilities = Pick<Store, 'kind' | 'capabilities'> & {
  /** Its dialect's reports read per-message facts (DuckDbDialect(facts): not with messageFacts false). */
  messageFacts: boolean;
};

/** Handle 0 is the store itself; others are objects a call returned (an IngestSession, a VerdictPass…). */
export type ToWorker =
  | { t: 'call'; id: number; h: number; m: string; a: unknown[] }
  | { t: 'release'; h: number }
  | { t: 'ingest'; id: number; range: SegmentRange }
  | { t: 'classify'; id: number }
  | { t: 'start' }
  | { t: 'stop'; id: number }
  | { t: 'busy'; busy: boolean }
  | { t: 'close'; id: number };

export type FromWorker =
  /** The store is open and can do this; `stats`: the classifier's figures before its first pass (its everyMs and maxLagMs). */
  | ({ t: 'ready'; stats: ClassifyStats } & WorkerStoreCapabilities)
  | { t: 'fatal'; e: WireError }
  | { t: 'done'; id: number; v: unknown; p?: Record<string, Primitive> }
  | { t: 'fail'; id: number; e: WireError }
  | { t: 'classified'; stats: ClassifyStats }
  | { t: 'log'; msg: string; err: string };

export type Primitive = string | number | boolean | null;

export interface WireError {
  message: string;
  code?: ErrorCode;
  details?: Record<string, unknown>;
}

/** A handle as it crosses: its id, method names, and a copy of its plain fields (e.g. VerdictPass.pending). */
export interface WireHandle {
  __handle: number;
  methods: string[];
  props: Record<string, Primitive>;
}

export function isWireHandle(v: unknown): v is WireHandle {
  return typeof v === 'object' && v !== null && typeof (v as { __handle?: unknown }).__handle === 'number';
}

/** Own enumerable fields with primitive values: what a handle's proxy can show without a round trip. */
export function plainProps(obj: object): Record<string, Primitive> {
  const out: Record<string, Primitive> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** Every method name of obj, own or inherited (classes keep theirs on the prototype). */
function methodNames(obj: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k !== 'constructor' && typeof (obj as Record<string, unknown>)[k] === 'function') names.add(k);
    }
  }
  return [...names];
}

/**
 * The method names of an object whose methods must stay where it lives (it holds connections,
 * appenders), or null for a value that crosses as data. Its prototype chain is walked once.
 */
export function handleMethods(v: unknown): string[] | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Symbol.iterator in v) return null;
  const methods = methodNames(v);
  return methods.length > 0 ? methods : null;
}

/** A generator or other iterable that is not an array: sent as the array it yields. */
export function isLooseIterable(v: unknown): v is Iterable<unknown> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && Symbol.iterator in v && !(v instanceof Map) && !(v instanceof Set)
  );
}

export function toWireError(err: unknown): WireError {
  if (isClickrateError(err)) {
    let details: Record<string, unknown> = {};
    try {
      details = structuredClone({ ...err.details });
    } catch {
      // details that cannot cross (a function, a socket) are left behind; the message says enough
    }
    return { message: err.message, code: err.code, details };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

export function fromWireError(e: WireError): Error {
  return e.code ? new ClickrateError(e.code, e.message, e.details ?? {}) : new ClickrateError('CR_ERR_STORE', e.message);
}
