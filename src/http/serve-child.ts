// Test support: `clickrate serve` as a real child process on loopback, for the tests that kill it, run two
// of them, or watch one fail to start. Resolves once it prints its dashboard address.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLICKRATE_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/clickrate');

export interface ServeChild {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  port: number;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  /** Resolves with the exit code (null after a signal) once it has exited. */
  exited: Promise<number | null>;
}

/** Spawns `clickrate ...args`; its output is collected, its env is this process's plus `env`. */
export function spawnClickrate(args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLICKRATE_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const collect = (d: Buffer) => void (text += d.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => text, exited };
}

/** Starts `clickrate serve --port 0 ...args` and waits until it listens; rejects if it exits first. */
export function startServe(args: readonly string[], env: Record<string, string> = {}): Promise<ServeChild> {
  const run = spawnClickrate(['serve', '--port', '0', ...args], env);
  return new Promise((resolvePromise, reject) => {
    const look = () => {
      const m = /Dashboard: http:\/\/localhost:(\d+)\//.exec(run.output());
      if (!m) return;
      run.child.stdout!.off('data', look);
      const port = Number(m[1]);
      resolvePromise({ ...run, base: `http://127.0.0.1:${port}`, port });
    };
    run.child.stdout!.on('data', look);
    void run.exited.then((code) => reject(new Error(`serve exited early (${code}): ${run.output()}`)));
  });
}

/** Waits (bounded: a guard against hanging, not a timing assertion) until `cond` holds. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** SIGTERM (a clean stop: the spool drained into the store) and wait for the exit. */
export async function stopServe(s: { child: ChildProcess; exited: Promise<number | null> }): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  await s.exited;
}
