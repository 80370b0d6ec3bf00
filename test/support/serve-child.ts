// Test support: `clickrate serve` as a real child process on loopback, for the tests that kill it, run two
// of them, or watch one fail to start. Resolves once it prints its dashboard address.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './paths.js';

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
export function spawnClickrate(
  args: readonly string[],
  env: Record<string, string> = {},
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const collect = (d: Buffer) => {
    text += d.toString();
  };
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

/** SIGTERM (a clean stop: the spool drained into the store) and wait for the exit. */
export async function stopServe(s: { child: ChildProcess; exited: Promise<number | null> }): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  await s.exited;
}
