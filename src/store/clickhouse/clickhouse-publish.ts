// The commit of a ClickHouse ingest session in bounded memory: ids resolved and checked against the store
// in hash slices of the received rows, msg_campaign looked up in hash slices of messages, every slice's
// result appended to the session's Log tables; `events` is touched by one INSERT … SELECT at the very end.
import type { BoundParam } from '../dialect.js';
import type { ClickHouseConnection } from './connection.js';

/** The event fields as received, with their staging types (everything but the id). */
export const FIELD_TYPES = {
  type: 'String',
  ts: 'Int64',
  message: 'Nullable(String)',
  campaign: 'Nullable(String)',
  recipient: 'Nullable(String)',
  step: 'Nullable(Int32)',
  variant: 'Nullable(String)',
  segment: 'Nullable(String)',
  ad: 'Nullable(String)',
  url: 'Nullable(String)',
  ip: 'Nullable(String)',
  user_agent: 'Nullable(String)',
  method: 'Nullable(String)',
  value: 'Nullable(Float64)',
} as const;
export const FIELDS = Object.keys(FIELD_TYPES) as Array<keyof typeof FIELD_TYPES>;
const COLS = FIELDS.join(', ');
const TYPED = FIELDS.map((f) => `${f} ${FIELD_TYPES[f]}`).join(', ');
export const STAGE_COLUMNS = `seq UInt64, given_id Nullable(String), digest Nullable(String), ${TYPED}`;

/** The session's tables: generated names, safe in SQL text. */
export interface PublishTables {
  /** Every received row, in order (seq), with its given id or, for id-less events, its content digest. */
  stage: string;
  /** One slice's resolved ids (first seq of each), rebuilt for every slice. */
  ids: string;
  /** The new rows with their ids. */
  fresh: string;
  /** The new rows with their msg_campaign: exactly what reaches `events`. */
  ready: string;
}

type Params = Record<string, BoundParam>;

/** `cond` of slice k of n over `expr` (always true for one slice), with its bound parameters. */
function slice(n: number, k: number): { of: (expr: string) => string; params: Params } {
  if (n === 1) return { of: () => '1', params: {} };
  // TRICKY: UInt64 % Int64 is Int64 in ClickHouse, so half the hashes would give negative remainders
  // and fall in no slice: both sides are cast to UInt64.
  return {
    of: (expr) => `cityHash64(${expr}) % toUInt64({slices:Int64}) = toUInt64({slice:Int64})`,
    params: { slices: { value: n, type: 'Int64' }, slice: { value: k, type: 'Int64' } },
  };
}

/**
 * Resolves, checks and publishes the staged rows; returns how many were new. `slices` hash slices are
 * processed one after the other, each needing memory for its own share of ids and messages only.
 */
export async function publish(conn: ClickHouseConnection, t: PublishTables, slices: number, stamp: number): Promise<number> {
  await conn.command(`CREATE TABLE ${t.fresh} (id String, ${TYPED}) ENGINE = Log`);
  for (let k = 0; k < slices; k++) await freshSlice(conn, t, slice(slices, k));
  const [c] = await conn.query({
    sql: `SELECT count() AS n, countIf(campaign IS NULL AND message IS NOT NULL AND type NOT IN ('sent', 'delivered')) AS unnamed FROM ${t.fresh}`,
    params: {},
  });
  const inserted = Number(c?.n ?? 0);
  if (inserted === 0) return 0;
  await conn.command(`CREATE TABLE ${t.ready} (id String, ${TYPED}, msg_campaign String) ENGINE = Log`);
  const named = Number(c?.unnamed ?? 0) === 0;
  for (let k = 0; k < slices; k++) await readySlice(conn, t, slice(slices, k), named);
  // The only statement that writes to `events`: a plain copy of a prepared table, nothing left to fail on
  // for lack of memory.
  await conn.command(`INSERT INTO events (id, ${COLS}, msg_campaign, ingested_at) SELECT id, ${COLS}, msg_campaign, {stamp:Int64} FROM ${t.ready}`, {
    stamp: { value: stamp, type: 'Int64' },
  });
  return inserted;
}

/**
 * One id slice into `fresh`. A given id keeps its first occurrence; id-less events get h:<digest>:<n>,
 * n = 1…k over the k identical events of the batch (identical in every field, so which seq gets which n
 * does not matter). No window functions before 21.x, so the ordinals come from ARRAY JOIN. Given ids are
 * sliced by the id, id-less events by their digest, so each group falls whole into one slice. Ids already
 * stored are dropped: GLOBAL IN ships the slice's ids to every shard when `events` is Distributed (a
 * plain IN would look for the session's table on the shards).
 */
async function freshSlice(conn: ClickHouseConnection, t: PublishTables, s: ReturnType<typeof slice>): Promise<void> {
  await conn.command(`DROP TABLE IF EXISTS ${t.ids}`);
  await conn.command(
    `CREATE TABLE ${t.ids} ENGINE = Log AS
      SELECT first_seq AS k_seq, gid AS id FROM (
        SELECT min(seq) AS first_seq, assumeNotNull(given_id) AS gid FROM ${t.stage}
        WHERE given_id IS NOT NULL AND ${s.of('assumeNotNull(given_id)')} GROUP BY gid)
      UNION ALL
      SELECT s AS k_seq, concat('h:', d, ':', toString(n)) AS id FROM (
        SELECT assumeNotNull(digest) AS d, groupArray(seq) AS seqs FROM ${t.stage}
        WHERE given_id IS NULL AND ${s.of('assumeNotNull(digest)')} GROUP BY d)
      ARRAY JOIN seqs AS s, arrayEnumerate(seqs) AS n`,
    s.params,
  );
  await conn.command(
    `INSERT INTO ${t.fresh} (id, ${COLS})
      SELECT id, ${COLS} FROM (SELECT seq AS k_seq, ${COLS} FROM ${t.stage} WHERE ${s.of('assumeNotNull(coalesce(given_id, digest))')})
      ALL INNER JOIN (SELECT k_seq, id FROM ${t.ids} WHERE id NOT IN (SELECT id FROM events WHERE id GLOBAL IN (SELECT id FROM ${t.ids}))) USING (k_seq)`,
    s.params,
  );
  await conn.command(`DROP TABLE ${t.ids}`);
}

/**
 * One message slice of `fresh` into `ready`, with msg_campaign: sends and ad events carry their own
 * campaign; other events take the campaign of their message's sent/delivered events, stored or in this
 * batch, when exactly one is known ('' if none yet: reports read that range too, so a late send costs
 * speed, never a figure). When every event names a campaign (tracked clicks do), the stored sends are
 * looked up in those campaigns' key ranges only.
 */
async function readySlice(conn: ClickHouseConnection, t: PublishTables, s: ReturnType<typeof slice>, named: boolean): Promise<void> {
  const narrow = named ? `AND msg_campaign GLOBAL IN (SELECT DISTINCT assumeNotNull(campaign) FROM ${t.fresh} WHERE campaign IS NOT NULL)` : '';
  const mine = s.of('assumeNotNull(message)');
  const lookup = `SELECT k, any(lc) AS l_campaign FROM (
      SELECT assumeNotNull(message) AS k, campaign AS lc FROM events
      WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL ${narrow}
        AND message GLOBAL IN (SELECT message FROM ${t.fresh} WHERE message IS NOT NULL AND ${mine})
      UNION ALL
      SELECT assumeNotNull(message) AS k, campaign AS lc FROM ${t.fresh}
      WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ${mine}
    ) GROUP BY k HAVING uniqExact(lc) = 1`;
  await conn.command(
    `INSERT INTO ${t.ready} (id, ${COLS}, msg_campaign)
      SELECT id, ${COLS},
        multiIf(type IN ('sent', 'delivered') AND campaign IS NOT NULL, assumeNotNull(campaign),
                message IS NULL, ifNull(campaign, ''),
                ifNull(l_campaign, '')) AS msg_campaign
      FROM (SELECT *, ifNull(message, '') AS k FROM ${t.fresh} WHERE ${s.of("ifNull(message, '')")}) ANY LEFT JOIN (${lookup}) USING (k)`,
    s.params,
  );
}
