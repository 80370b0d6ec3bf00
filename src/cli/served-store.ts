// A Store answered by the running server (server/local-store-route.ts): the command's own code runs here
// unchanged, and each Store call crosses to the server over loopback with the local credential. The
// calls of one command go one at a time and in order, as they would on an embedded connection.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { deserialize, serialize } from 'node:v8';
import { ClickrateError, type ErrorCode } from '../errors.js';
import type { LocalServerInfo } from '../http/local-credential.js';
import { LOCAL_CALL_TYPE, type LocalCall } from '../server/local-store-route.js';
import { fromWireError, isWireHandle, type WireError, type WireHandle, type WorkerStoreCapabilities } from '../server/worker/protocol.js';
import { RemoteStore } from '../server/worker/remote-store.js';

interface Answer {
  status: number;
  type: string;
  body: Buffer;
}

/** The server is not there (a killed server's file, a port now closed): the caller opens the file itself. */
export class ServerGone extends Error {}

/** One HTTP exchange with the server, with its credential. */
function send(info: LocalServerInfo, agent: Agent | undefined, method: 'GET' | 'POST', path: string, body?: { type: string; bytes: Buffer }): Promise<Answer> {
  const url = new URL(path, info.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: { authorization: `Bearer ${info.token}`, ...(body ? { 'content-type': body.type, 'content-length': body.bytes.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ECONNREFUSED' ? new ServerGone(`nothing listens at ${info.url}`) : serverError(info, err.message)),
    );
    req.end(body?.bytes);
  });
}

/**
 * POSTs JSON to one of the server's API routes as the local credential's holder and returns its answer
 * (`clickrate wrap` through POST /api/v1/wrap); an error answer is thrown as the ClickrateError it names.
 */
export async function postToServer(info: LocalServerInfo, path: string, json: unknown): Promise<unknown> {
  const a = await send(info, undefined, 'POST', path, { type: 'application/json', bytes: Buffer.from(JSON.stringify(json)) });
  let body: { error?: { code?: ErrorCode; message?: string; details?: Record<string, unknown> } };
  try {
    body = JSON.parse(a.body.toString('utf8')) as typeof body;
  } catch {
    throw serverError(info, `HTTP ${a.status}`);
  }
  if (a.status === 200) return body;
  const e = body.error;
  throw e?.code ? new ClickrateError(e.code, e.message ?? '', e.details ?? {}) : serverError(info, `HTTP ${a.status}`);
}

/** One command's connection to the server: its lease, its handles, its order of calls. */
class LocalCaller {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly lease = randomBytes(16).toString('base64url');
  private turn: Promise<unknown> = Promise.resolve();
  private readonly proxies = new Map<number, Record<string, unknown>>();

  constructor(private readonly info: LocalServerInfo) {}

  private send(method: 'GET' | 'POST', path: string, body?: Buffer): Promise<Answer> {
    return send(this.info, this.agent, method, path, body && { type: LOCAL_CALL_TYPE, bytes: body });
  }

  /** What the server's store is (kind, capabilities); a server that does not know this credential is gone. */
  async hello(): Promise<WorkerStoreCapabilities & { pid: number }> {
    const a = await this.send('GET', '/api/v1/local/hello');
    if (a.status === 401) throw new ServerGone('the server there does not know this credential');
    if (a.status !== 200) throw serverError(this.info, jsonMessage(a));
    return JSON.parse(a.body.toString('utf8')) as WorkerStoreCapabilities & { pid: number };
  }

  /** Calls method `m` of handle `h` (0: the store) after every earlier call of this command. */
  call(h: number, m: string, a: unknown[]): Promise<unknown> {
    const run = this.turn.then(() => this.callNow(h, m, a));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async callNow(h: number, m: string, a: unknown[]): Promise<unknown> {
    const call: LocalCall = { lease: this.lease, h, m, a };
    const answer = await this.send('POST', '/api/v1/local/call', serialize(call)).catch((err: unknown) => {
      // Gone in the middle of the command (stopped, killed): what it had begun there is not kept.
      throw err instanceof ServerGone ? serverError(this.info, `it stopped (${err.message}); run the command again`) : err;
    });
    if (answer.status !== 200 || answer.type !== LOCAL_CALL_TYPE) throw serverError(this.info, jsonMessage(answer));
    const reply = deserialize(answer.body) as { v?: unknown; p?: Record<string, unknown>; e?: WireError };
    if (reply.e) throw fromWireError(reply.e);
    if (reply.p) Object.assign(this.proxies.get(h) ?? {}, reply.p);
    return isWireHandle(reply.v) ? this.proxy(reply.v) : reply.v;
  }

  private proxy(w: WireHandle): Record<string, unknown> {
    const proxy: Record<string, unknown> = { ...w.props };
    for (const m of w.methods) proxy[m] = (...a: unknown[]) => this.call(w.__handle, m, a);
    this.proxies.set(w.__handle, proxy);
    return proxy;
  }

  /** Ends the lease (anything left open is aborted on the server) and closes the connection. */
  async close(): Promise<void> {
    try {
      await this.turn;
      await this.send('POST', '/api/v1/local/release', serialize({ lease: this.lease }));
    } catch {
      // The server went away meanwhile: its lease ends with it.
    } finally {
      this.agent.destroy();
    }
  }
}

function jsonMessage(a: Answer): string {
  try {
    const body = JSON.parse(a.body.toString('utf8')) as { error?: { message?: string } };
    return body.error?.message ?? `HTTP ${a.status}`;
  } catch {
    return `HTTP ${a.status}`;
  }
}

function serverError(info: LocalServerInfo, message: string): ClickrateError {
  return new ClickrateError('CR_ERR_STORE', `the running server (${info.url}, pid ${info.pid}) could not answer: ${message}`, { url: info.url });
}

/** The server's store as a Store; throws ServerGone when no server answers there. */
export async function connectServedStore(info: LocalServerInfo): Promise<RemoteStore> {
  const caller = new LocalCaller(info);
  let caps: WorkerStoreCapabilities;
  try {
    caps = await caller.hello();
  } catch (err) {
    await caller.close();
    throw err;
  }
  // close() ends this command's use of the store; the server's store stays open.
  return new RemoteStore(
    caps,
    (h, m, a) => caller.call(h, m, a),
    () => caller.close(),
  );
}
