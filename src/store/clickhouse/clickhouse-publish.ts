// The commit of a ClickHouse ingest session in bounded memory: ids resolved and checked against the store
// in hash slices of the received rows, each message's owner (msg_campaign) looked up and foreign sents
// flagged in hash slices of messages, every slice's result appended to the session's Log tables;
// `events` is touched by one INSERT … SELECT at the very end.
import type { BoundParam } from '../dialect.js';
import { CLAIM, ownerConflictError, STRICT_REFUSALS_LISTED, toRefused } from '../message-owner.js';
import type { RefusedEvent } from '../store.js';
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

/** What a commit stored and what it refused. */
export interface Published {
  inserted: number;
  refused: RefusedEvent[];
}

/**
 * Resolves, checks and publishes the staged rows. `slices` hash slices are processed one after the
 * other, each needing memory for its own share of ids and messages only. A sent naming a campaign other
 * than its message's owner (store/message-owner.ts) is left out and listed; `strict`: nothing is
 * published then, and ownerConflictError is thrown (the caller drops the session's tables).
 */
export async function publish(conn: ClickHouseConnection, t: PublishTables, slices: number, stamp: number, strict: boolean): Promise<Published> {
  await conn.command(`CREATE TABLE ${t.fresh} (id String, ${TYPED}) ENGINE = Log`);
  for (let k = 0; k < slices; k++) await freshSlice(conn, t, slice(slices, k));
  const [c] = await conn.query({
    sql: `SELECT count() AS n, countIf(message IS NOT NULL AND (campaign IS NULL OR type IN ('sent', 'delivered'))) AS wide FROM ${t.fresh}`,
    params: {},
  });
  if (Number(c?.n ?? 0) === 0) return { inserted: 0, refused: [] };
  await conn.command(`CREATE TABLE ${t.ready} (id String, ${TYPED}, msg_campaign String, refused UInt8) ENGINE = Log`);
  const narrow = Number(c?.wide ?? 0) === 0;
  for (let k = 0; k < slices; k++) await readySlice(conn, t, slice(slices, k), narrow);
  const [r] = await conn.query({ sql: `SELECT countIf(refused = 0) AS n, countIf(refused = 1) AS n_refused FROM ${t.ready}`, params: {} });
  const refused = Number(r?.n_refused ?? 0) > 0 ? await refusedRows(conn, t, strict, Number(r?.n_refused)) : [];
  // The only statement that writes to `events`: a plain copy of a prepared table, nothing left to fail on
  // for lack of memory.
  await conn.command(
    `INSERT INTO events (id, ${COLS}, msg_campaign, ingested_at) SELECT id, ${COLS}, msg_campaign, {stamp:Int64} FROM ${t.ready} WHERE refused = 0`,
    {
      stamp: { value: stamp, type: 'Int64' },
    },
  );
  return { inserted: Number(r?.n ?? 0), refused };
}

/** The `count` refused rows of `ready`, first by (ts, id); in a strict session, their error instead. */
async function refusedRows(conn: ClickHouseConnection, t: PublishTables, strict: boolean, count: number): Promise<RefusedEvent[]> {
  const rows = await conn.query({
    sql: `SELECT id, assumeNotNull(message) AS message, assumeNotNull(campaign) AS named, msg_campaign AS owner FROM ${t.ready}
      WHERE refused = 1 ORDER BY ts, id ${strict ? `LIMIT ${STRICT_REFUSALS_LISTED}` : ''}`,
    params: {},
  });
  const refused = toRefused(rows.map((row) => ({ id: String(row.id), message: String(row.message), owner: String(row.owner), named: String(row.named) })));
  if (strict) throw ownerConflictError(refused, count);
  return refused;
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
 * One message slice of `fresh` into `ready`, with msg_campaign and the refused flag. An event with a
 * message takes its message's owner (store/message-owner.ts): from the stored claims when there are
 * any, else from this batch's (the tuple's leading 0 puts stored claims first); '' when no claim is
 * known yet (reports read that range too, so a late send costs speed, never a figure). A sent naming
 * another campaign than the owner is flagged refused. Ad events carry their own campaign. `narrow`
 * (no claim in the batch, and every other event names a campaign, as tracked clicks do): the stored
 * claims are looked up in those campaigns' key ranges only, since a campaign's claims are stored under
 * its own key; a message owned elsewhere then gets '', which is still right.
 */
async function readySlice(conn: ClickHouseConnection, t: PublishTables, s: ReturnType<typeof slice>, narrow: boolean): Promise<void> {
  const range = narrow ? `AND msg_campaign GLOBAL IN (SELECT DISTINCT assumeNotNull(campaign) FROM ${t.fresh} WHERE campaign IS NOT NULL)` : '';
  const mine = s.of('assumeNotNull(message)');
  // TRICKY: on the sort key's expression (ifNull), so the primary index skips granules of other messages.
  const lookup = `SELECT k, argMin(lc, (later, lk, lts, lid)) AS owner FROM (
      SELECT assumeNotNull(message) AS k, assumeNotNull(campaign) AS lc, toUInt8(0) AS later, toUInt8(type != 'sent') AS lk, ts AS lts, id AS lid FROM events
      WHERE ${CLAIM} ${range}
        AND ifNull(message, '') GLOBAL IN (SELECT assumeNotNull(message) FROM ${t.fresh} WHERE message IS NOT NULL AND ${mine})
      UNION ALL
      SELECT assumeNotNull(message) AS k, assumeNotNull(campaign) AS lc, toUInt8(1) AS later, toUInt8(type != 'sent') AS lk, ts AS lts, id AS lid FROM ${t.fresh}
      WHERE ${CLAIM} AND ${mine}
    ) GROUP BY k`;
  await conn.command(
    `INSERT INTO ${t.ready} (id, ${COLS}, msg_campaign, refused)
      SELECT id, ${COLS}, if(message IS NULL, ifNull(campaign, ''), owner) AS msg_campaign,
        toUInt8(type = 'sent' AND assumeNotNull(campaign) != owner) AS refused
      FROM (SELECT *, ifNull(message, '') AS k FROM ${t.fresh} WHERE ${s.of("ifNull(message, '')")}) ANY LEFT JOIN (${lookup}) USING (k)`,
    s.params,
  );
}
