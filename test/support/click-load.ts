// Test and benchmark support: a click load over real HTTP on loopback, from several keep-alive clients,
// as fast as the server answers or paced to a rate; each request carries a numbered User-Agent, so the
// clicks a store holds can be matched one by one with the clicks that got their 302.
import { Agent, request } from 'node:http';

export interface ClickLoadOptions {
  /** http://127.0.0.1:PORT */
  base: string;
  /** Paths to click (`/c/<token>`), in turn. */
  paths: readonly string[];
  /** Concurrent clients, one keep-alive connection each. */
  clients: number;
  /** Stop after this many requests (default: until stop()). */
  total?: number;
  /** Requests per second for all clients together (default: as fast as answers come). */
  ratePerSec?: number;
  /** The User-Agent of request `seq` (default `load-<seq>`). */
  agentOf?: (seq: number) => string;
  /** Told of each 302, with the request's number. */
  onAnswer?: (seq: number) => void;
}

export interface ClickLoadCounts {
  started: number;
  /** 302s. */
  answered: number;
  /** Other statuses, and requests that got no answer (the connection refused or reset). */
  failed: number;
}

export class ClickLoad {
  private next = 0;
  private stopped = false;
  private readonly counts: ClickLoadCounts = { started: 0, answered: 0, failed: 0 };
  private readonly agent: Agent;
  private readonly t0 = Date.now();
  /** Resolves when every client has stopped (total reached, or stop()). */
  readonly done: Promise<ClickLoadCounts>;

  constructor(private readonly opts: ClickLoadOptions) {
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.clients });
    this.done = Promise.all(Array.from({ length: opts.clients }, () => this.client())).then(() => {
      this.agent.destroy();
      return { ...this.counts };
    });
  }

  /** Starts no new request; those in flight finish (or fail). */
  stop(): Promise<ClickLoadCounts> {
    this.stopped = true;
    return this.done;
  }

  stats(): ClickLoadCounts {
    return { ...this.counts };
  }

  private async client(): Promise<void> {
    const { total, ratePerSec, paths } = this.opts;
    while (!this.stopped && (total === undefined || this.next < total)) {
      const seq = this.next++;
      if (ratePerSec) {
        const due = this.t0 + (seq * 1000) / ratePerSec;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        if (this.stopped) return;
      }
      this.counts.started++;
      const status = await this.get(paths[seq % paths.length]!, seq);
      if (status === 302) {
        this.counts.answered++;
        this.opts.onAnswer?.(seq);
      } else {
        this.counts.failed++;
        // A server that is down refuses at once: do not spin on it.
        if (status === 0) await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  /** One GET; its status, or 0 when no answer came. */
  private get(path: string, seq: number): Promise<number> {
    const ua = this.opts.agentOf?.(seq) ?? `load-${seq}`;
    return new Promise((resolve) => {
      // The answer counts once its status line is in: a 302 has no body to wait for.
      const req = request(`${this.opts.base}${path}`, { agent: this.agent, headers: { 'user-agent': ua } }, (res) => {
        res.resume();
        res.once('error', () => undefined);
        resolve(res.statusCode ?? 0);
      });
      req.once('error', () => resolve(0));
      req.end();
    });
  }
}
