// Starts a real clickhouse-server as a child process on loopback, without systemd: a minimal config in a
// temp dir (data there too), free ports, wait for /ping, kill at the end. For tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickrateError } from '../../errors.js';

const CLICKHOUSE_SERVER_BIN = process.env.CLICKHOUSE_SERVER_BIN ?? '/usr/sbin/clickhouse-server';

export interface LocalClickHouse {
  httpPort: number;
  tcpPort: number;
  dir: string;
  /** clickhouse://127.0.0.1:HTTP/DB */
  url(database: string): string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface LocalServerOptions {
  httpPort?: number;
  tcpPort?: number;
  /** XML placed inside <remote_servers> (clusters of shards for Distributed tables). */
  remoteServers?: string;
}

export async function startLocalClickHouse(opts: LocalServerOptions = {}): Promise<LocalClickHouse> {
  if (!existsSync(CLICKHOUSE_SERVER_BIN))
    throw new ClickrateError('CR_ERR_CONFIG', `no ClickHouse server at ${CLICKHOUSE_SERVER_BIN} (apt-get install clickhouse-server)`);
  const httpPort = opts.httpPort ?? (await freePort());
  const tcpPort = opts.tcpPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-ch-'));
  for (const d of ['data', 'tmp', 'user_files', 'log']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort, opts.remoteServers ?? ''));
  writeFileSync(join(dir, 'users.xml'), USERS_XML);
  const child = spawn(CLICKHOUSE_SERVER_BIN, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const stop = () => stopChild(child, dir);
  try {
    await waitForPing(httpPort, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { httpPort, tcpPort, dir, url: (db) => `clickhouse://127.0.0.1:${httpPort}/${db}`, stop };
}

async function waitForPing(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new ClickrateError('CR_ERR_STORE', `clickhouse-server exited with ${child.exitCode}: ${stderr()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/ping`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ClickrateError('CR_ERR_STORE', `clickhouse-server did not answer /ping on ${port} within 60 s: ${stderr()}`);
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}

function configXml(dir: string, http: number, tcp: number, remoteServers: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <remote_servers>${remoteServers}</remote_servers>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
