// Parses a ClickHouse store address: clickhouse://[user[:password]@]HOST:PORT/DB[?cluster=NAME&shards=H:P,H:P]
// (HTTP ports). Without `cluster` one server holds everything; with it, see migrations.ts.
import { ClickrateError } from '../../errors.js';

export interface ClickHouseConfig {
  /** http://HOST:PORT of the server clickrate talks to (the coordinator when sharded). */
  url: string;
  database: string;
  username: string;
  password: string;
  /** A cluster of the servers' <remote_servers>: events and verdicts become Distributed tables over it. */
  cluster: string | null;
  /** HTTP addresses (http://HOST:PORT) of every shard, to create the shard-local tables on each. */
  shards: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isClickHouseUrl(s: string): boolean {
  return /^clickhouse:\/\//i.test(s);
}

export function parseClickHouseUrl(s: string): ClickHouseConfig {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw bad(s, 'not a URL');
  }
  if (u.protocol !== 'clickhouse:') throw bad(s, 'the scheme must be clickhouse://');
  if (!u.hostname) throw bad(s, 'no host');
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw bad(s, `the ${what} is not valid percent-encoding`);
    }
  };
  const database = decode(u.pathname.replace(/^\//, ''), 'database name') || 'clickrate';
  // Names are placed in DDL text, so only plain identifiers are accepted.
  if (!NAME.test(database)) throw bad(s, `database name '${database}' must be letters, digits and _`);
  const cluster = u.searchParams.get('cluster');
  if (cluster !== null && !NAME.test(cluster)) throw bad(s, `cluster name '${cluster}' must be letters, digits and _`);
  const shards = (u.searchParams.get('shards') ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((hp) => {
      if (!/^[A-Za-z0-9.\-[\]:]+:\d+$/.test(hp)) throw bad(s, `shard '${hp}' must be HOST:PORT (its HTTP port)`);
      return `http://${hp}`;
    });
  if (cluster !== null && shards.length === 0) throw bad(s, 'with cluster=NAME, list every shard as shards=HOST:PORT,HOST:PORT (HTTP ports)');
  return {
    url: `http://${u.host.includes(':') ? u.host : `${u.hostname}:8123`}`,
    database,
    username: decode(u.username, 'user name') || 'default',
    password: decode(u.password, 'password'),
    cluster,
    shards,
  };
}

function bad(url: string, why: string): ClickrateError {
  return new ClickrateError('CR_ERR_CONFIG', `bad ClickHouse store address '${url.replace(/\/\/[^@/]*@/, '//…@')}': ${why}`);
}
