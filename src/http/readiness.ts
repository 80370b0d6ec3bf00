// GET /readyz: whether this server can take traffic now. Three checks, each named in the JSON answer
// with what failed: the store answers a cheap query within a timeout, the spool folder takes a write,
// and the writer is not too far behind the spool. 200 when all pass, else 503 (a load balancer or
// Kubernetes readiness probe takes the server out of rotation). /healthz stays the liveness probe: it
// never touches the store, so a slow store does not get a live process restarted.
import { randomUUID } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import type { SpoolStats } from '../tracking/spool.js';
import type { SpoolWriterStats } from '../tracking/spool-writer.js';

/** A store that takes longer than this for `SELECT 1` is as good as down for a probe (probes time out at 1–10 s). */
const STORE_TIMEOUT_MS = 2000;
/**
 * Past this lag, events answered now will not show in reports for minutes: not ready. Well above the
 * writer's own hold-back while the edge is busy (SpoolWriter maxLagMs, 10 s by default).
 */
export const DEFAULT_READY_MAX_LAG_MS = 60_000;

export interface ReadinessDeps {
  store: Store;
  spoolDir: string;
  spool: () => SpoolStats;
  writer: () => SpoolWriterStats;
  maxLagMs: number;
}

interface Check {
  ok: boolean;
  /** What failed, in words (absent when ok). */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: { store: Check; spool: Check; writer: Check };
}

async function checkStore(store: Store): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to SELECT 1 within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS);
  });
  try {
    await Promise.race([store.query({ sql: 'SELECT 1 AS ok', params: {} }), timeout]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: `store unreachable: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** A real write in the spool folder (create, write, fsync, remove): a folder gone, read-only or full fails it. */
async function checkSpool(dir: string, stats: SpoolStats): Promise<Check> {
  if (stats.bytesPending >= stats.maxBytes)
    return { ok: false, error: `spool full: ${stats.bytesPending} of ${stats.maxBytes} bytes pending; new events are refused` };
  const probe = join(dir, `.ready-${randomUUID()}`);
  try {
    const fh = await open(probe, 'wx', 0o600);
    try {
      await fh.write('ready\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await unlink(probe);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: `spool folder not writable: ${(err as Error).message}` };
  }
}

function checkWriter(stats: SpoolWriterStats, maxLagMs: number): Check {
  if (stats.lagMs <= maxLagMs) return { ok: true };
  const why = stats.lastError === null ? '' : ` (last store error: ${stats.lastError})`;
  return { ok: false, error: `writer lag ${Math.round(stats.lagMs / 1000)} s is over ${Math.round(maxLagMs / 1000)} s${why}` };
}

/**
 * A check's answer serves the probes of the next second too: /readyz needs no key, and a flood of it
 * must not turn into a flood of store queries and fsyncs. Probers ask every few seconds.
 */
const REUSE_MS = 1000;

export class ReadinessProbe {
  /** The check running or finished last, and when it started. */
  private last: { at: number; result: Promise<Readiness> } | null = null;

  constructor(private readonly deps: ReadinessDeps) {}

  check(): Promise<Readiness> {
    const now = Date.now();
    if (this.last === null || now - this.last.at >= REUSE_MS) this.last = { at: now, result: this.run() };
    return this.last.result;
  }

  private async run(): Promise<Readiness> {
    const [store, spool] = await Promise.all([checkStore(this.deps.store), checkSpool(this.deps.spoolDir, this.deps.spool())]);
    const writer = checkWriter(this.deps.writer(), this.deps.maxLagMs);
    return { ready: store.ok && spool.ok && writer.ok, checks: { store, spool, writer } };
  }
}
