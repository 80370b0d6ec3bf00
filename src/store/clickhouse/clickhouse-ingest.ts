// All-or-nothing ingest into ClickHouse, which has no transactions: events are staged in a per-session
// table and reach `events` in one INSERT … SELECT at commit, after ids are resolved and checked (in hash
// slices, clickhouse-publish.ts); abort (or a failure before that statement) drops the staging tables and
// leaves the store as it was.
import { randomBytes } from 'node:crypto';
import { ClickrateError } from '../../errors.js';
import type { StrictIngestSession } from '../message-owner.js';
import type { IngestCounts, IngestEvent, IngestSession } from '../store.js';
import type { ClickHouseConnection } from './connection.js';
import { FIELDS, publish, STAGE_COLUMNS, type PublishTables } from './clickhouse-publish.js';

/** Rows per INSERT into the staging table: few, large inserts (ClickHouse's advice for any table). */
const STAGE_ROWS = 100_000;
export const STAGE_PREFIX = 'clickrate_stage_';

export class ClickHouseIngestSession implements IngestSession, StrictIngestSession {
  private buffer: Array<Record<string, unknown>> = [];
  /** Set by strict(): a refused event fails the commit, and nothing is published. */
  private strictMode = false;
  private seq = 0;
  private created = false;
  private done = false;
  /** The session's tables (generated names), readable for tests and diagnostics. */
  readonly tables: PublishTables;
  /**
   * Received rows per hash slice of the commit (clickhouse-publish.ts): a slice's ids and messages must
   * fit in memory at once. 10M in one fitted the 4 GB limit of our server config; 100M did not. Smaller
   * in tests, to exercise the slicing on a few rows.
   */
  static sliceRows = 8_000_000;

  constructor(
    private readonly conn: ClickHouseConnection,
    /** Serializes commits of one process, so the id check below sees the previous commit's rows. */
    private readonly commitLock: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    // Generated names (time for cleanup of abandoned ones, random for uniqueness): safe in SQL text.
    const base = `${STAGE_PREFIX}${Date.now()}_${randomBytes(6).toString('hex')}`;
    this.tables = { stage: base, ids: `${base}_i`, fresh: `${base}_n`, ready: `${base}_r` };
  }

  strict(): void {
    this.strictMode = true;
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
      const slices = Math.max(1, Math.ceil(received / ClickHouseIngestSession.sliceRows));
      // Under the lock, like the id check: no commit of this process changes an owner meanwhile. (Edges
      // committing sends of one new message at the same instant could each keep theirs, as with one id.)
      const { inserted, refused } = await this.commitLock(() => publish(this.conn, this.tables, slices, Date.now(), this.strictMode));
      const counts: IngestCounts = { received, inserted, duplicates: received - inserted - refused.length };
      if (refused.length > 0) counts.refused = refused;
      return counts;
    } finally {
      await this.cleanup();
    }
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
    for (const t of Object.values(this.tables)) {
      await this.conn.command(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
    }
  }
}
