// The process-wide last resort of a long-running command (serve): an error that escaped every per-request
// boundary is logged with its stack and counted, and the process goes on serving instead of dying.
import type { Logger } from 'pino';

export type UncaughtOrigin = 'uncaughtException' | 'unhandledRejection';

export interface UncaughtCounts {
  uncaughtException: number;
  unhandledRejection: number;
}

/**
 * Installs the handlers (once per process; a second call replaces nothing and returns the same counts).
 * `note` is told of each one too (the server's status counts them).
 * TRICKY: with a handler for 'uncaughtException' Node no longer exits, and the state a throw left half
 * done stays half done. The edge answers from the signed token and a spool append, each request on its
 * own, so one broken request or timer is a smaller harm than every redirect failing until a supervisor
 * restarts us; the count and the log are there so that someone looks.
 */
export function installLastResort(log: Logger, note: (err: unknown, origin: UncaughtOrigin) => void = () => undefined): UncaughtCounts {
  if (installed) return installed;
  const counts: UncaughtCounts = { uncaughtException: 0, unhandledRejection: 0 };
  const handle = (err: unknown, origin: UncaughtOrigin) => {
    counts[origin]++;
    try {
      // pino's `err` serializer keeps the stack; a thrown non-Error is logged as it is.
      log.error({ err, origin, count: counts[origin] }, `${origin}: an error escaped every handler; the server keeps running`);
      note(err, origin);
    } catch {
      // A failing logger must not turn the last resort into a crash loop.
    }
  };
  process.on('uncaughtException', (err) => handle(err, 'uncaughtException'));
  process.on('unhandledRejection', (reason) => handle(reason, 'unhandledRejection'));
  installed = counts;
  return counts;
}

let installed: UncaughtCounts | null = null;
