// All-or-nothing ingest into ClickHouse, which has no transactions: events are staged in a per-session
// table and reach `events` in one INSERT … SELECT at commit, after ids are resolved and checked; abort
// (or a failure before that statement) drops the staging tables and leaves the store as it was.
import { randomBytes } from 'node:crypto';
import { ClickrateError } from '../../errors.js';
import type { IngestCounts, IngestEvent, IngestSession } from '../store.js';
import type { ClickHouseConnection } from './connection.js';

const FIELDS = ['type', 'ts', 'message', 'campaign', 'recipient', 'step', 'variant', 'segment', 'ad', 'url', 'ip', 'user_agent', 'method', 'value'] as const;
const STAGE_COLUMNS = `seq UInt64, given_id Nullable(String), digest Nullable(String), type String, ts Int64,
  message Nullable(String), campaign Nullable(String), recipient Nullable(String), step Nullable(Int32),
  variant Nullable(String), segment Nullable(String), ad Nullable(String), url Nullable(String), ip Nullable(String),
  user_agent Nullable(String), method Nullable(String), value Nullable(Float64)`;
/** Rows per INSERT into the staging table: few, large inserts (ClickHouse's advice for any table). */
const STAGE_ROWS = 100_000;
export const STAGE_PREFIX = 'clickrate_stage_';

const COLS = FIELDS.join(', ');

export class ClickHouseIngestSession implements IngestSession {
  private buffer: Array<Record<string, unknown>> = [];
  private seq = 0;
  private created = false;
  private done = false;
  private readonly tables: { stage: string; resolved: string; fresh: string };

  constructor(
    private readonly conn: ClickHouseConnection,
    /** Serializes commits of one process, so the id check below sees the previous commit's rows. */
    private readonly commitLock: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    // Generated names (time for cleanup of abandoned ones, random for uniqueness): safe in SQL text.
    const base = `${STAGE_PREFIX}${Date.now()}_${randomBytes(6).toString('hex')}`;
    this.tables = { stage: base, resolved: `${base}_r`, fresh: `${base}_n` };
  }

  async append(events: readonly IngestEvent[]): Promise<void> {
    if (this.done) throw new ClickrateError('CR_ERR_STORE', 'append after commit or abort');
    for (const e of events) {
      const row: Record<string, unknown> = { seq: this.seq++, given_id: e.id, digest: e.id === null ? e.digest : null };
      for (const f of FIELDS) row[f] = e[f];
      this.buffer.push(row);
    }
    if (this.buffer.length >= STAGE_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.created) {
      await this.conn.command(`CREATE TABLE ${this.tables.stage} (${STAGE_COLUMNS}) ENGINE = Log`);
      this.created = true;
    }
    const rows = this.buffer;
    this.buffer = [];
    await this.conn.insert(this.tables.stage, rows);
  }

  async commit(): Promise<IngestCounts> {
    if (this.done) throw new ClickrateError('CR_ERR_STORE', 'commit after commit or abort');
    try {
      const received = this.seq;
      if (received === 0) return { received: 0, inserted: 0, duplicates: 0 };
      await this.flush();
      const inserted = await this.commitLock(() => this.publish());
      return { received, inserted, duplicates: received - inserted };
    } finally {
      await this.cleanup();
    }
  }

  /** Resolves ids, keeps what is new, fills msg_campaign, and inserts: the only step that touches `events`. */
  private async publish(): Promise<number> {
    const { stage, resolved, fresh } = this.tables;
    // 1. Ids: a given id keeps its first occurrence; id-less events get h:<digest>:<n>, n = 1…k over the k
    //    identical events of the batch (identical in every field, so any() of each is each). No window
    //    functions before 21.x, so the ordinals come from ARRAY JOIN over a count.
    const agg = FIELDS.map((f) => `any(${f}) AS a_${f}`).join(', ');
    await this.conn.command(`CREATE TABLE ${resolved} ENGINE = Log AS
      SELECT assumeNotNull(given_id) AS id, ${COLS} FROM ${stage}
      WHERE given_id IS NOT NULL AND seq IN (SELECT min(seq) FROM ${stage} WHERE given_id IS NOT NULL GROUP BY given_id)
      UNION ALL
      SELECT concat('h:', d, ':', toString(n)) AS id, ${FIELDS.map((f) => `a_${f} AS ${f}`).join(', ')}
      FROM (SELECT assumeNotNull(digest) AS d, count() AS k, ${agg} FROM ${stage} WHERE given_id IS NULL GROUP BY digest)
      ARRAY JOIN arrayEnumerate(range(k)) AS n`);
    // 2. Idempotency: drop ids already stored. GLOBAL IN ships the batch's ids to every shard when
    //    `events` is Distributed (a plain IN would look for the staging table on the shards).
    await this.conn.command(`CREATE TABLE ${fresh} ENGINE = Log AS
      SELECT * FROM ${resolved} WHERE id NOT IN (SELECT id FROM events WHERE id GLOBAL IN (SELECT id FROM ${resolved}))`);
    const [c] = await this.conn.query({ sql: `SELECT count() AS n, countIf(campaign IS NULL AND message IS NOT NULL AND type NOT IN ('sent', 'delivered')) AS unnamed FROM ${fresh}`, params: {} });
    const inserted = Number(c?.n ?? 0);
    if (inserted === 0) return 0;
    // 3. msg_campaign: sends and ad events carry their own campaign; other events take the campaign of
    //    their message's sent/delivered events, stored or in this batch, when exactly one is known ('' if
    //    none yet: reports read that range too, so a late send costs speed, never a figure). When every
    //    event names a campaign (tracked clicks do), the stored sends are looked up in those ranges only.
    const narrow = Number(c?.unnamed ?? 0) === 0 ? `AND msg_campaign GLOBAL IN (SELECT DISTINCT assumeNotNull(campaign) FROM ${fresh} WHERE campaign IS NOT NULL)` : '';
    const lookup = `SELECT k, any(lc) AS l_campaign FROM (
        SELECT assumeNotNull(message) AS k, campaign AS lc FROM events
        WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL ${narrow}
          AND message GLOBAL IN (SELECT message FROM ${fresh} WHERE message IS NOT NULL)
        UNION ALL
        SELECT assumeNotNull(message) AS k, campaign AS lc FROM ${fresh}
        WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL
      ) GROUP BY k HAVING uniqExact(lc) = 1`;
    const stamp = Date.now();
    await this.conn.command(`INSERT INTO events (id, ${COLS}, msg_campaign, ingested_at)
      SELECT id, ${COLS},
        multiIf(type IN ('sent', 'delivered') AND campaign IS NOT NULL, assumeNotNull(campaign),
                message IS NULL, ifNull(campaign, ''),
                ifNull(l_campaign, '')) AS msg_campaign,
        ${stamp} AS ingested_at
      FROM (SELECT *, ifNull(message, '') AS k FROM ${fresh}) ANY LEFT JOIN (${lookup}) USING (k)`);
    return inserted;
  }

  async abort(): Promise<void> {
    if (this.done) return;
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.buffer = [];
    if (!this.created) return;
    for (const t of [this.tables.stage, this.tables.resolved, this.tables.fresh]) {
      await this.conn.command(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    }
  }
}
