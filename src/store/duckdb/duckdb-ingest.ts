// All-or-nothing ingest into DuckDB: rows are appended in columnar chunks to a TEMP staging table and
// moved into `events` in one transaction at commit, skipping ids already stored or repeated in the batch.
import { BIGINT, DOUBLE, INTEGER, VARCHAR, DuckDBDataChunk, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ClickrateError } from '../../errors.js';
import type { IngestCounts, IngestEvent, IngestSession } from '../store.js';

const STAGING_COLUMNS = [
  ['seq', 'BIGINT', BIGINT],
  ['id', 'VARCHAR', VARCHAR],
  ['digest', 'VARCHAR', VARCHAR],
  ['type', 'VARCHAR', VARCHAR],
  ['ts', 'BIGINT', BIGINT],
  ['message', 'VARCHAR', VARCHAR],
  ['campaign', 'VARCHAR', VARCHAR],
  ['recipient', 'VARCHAR', VARCHAR],
  ['step', 'INTEGER', INTEGER],
  ['variant', 'VARCHAR', VARCHAR],
  ['segment', 'VARCHAR', VARCHAR],
  ['ad', 'VARCHAR', VARCHAR],
  ['url', 'VARCHAR', VARCHAR],
  ['ip', 'VARCHAR', VARCHAR],
  ['user_agent', 'VARCHAR', VARCHAR],
  ['method', 'VARCHAR', VARCHAR],
  ['value', 'DOUBLE', DOUBLE],
] as const;
const EVENT_COLUMNS = STAGING_COLUMNS.slice(3).map(([name]) => name);
const CHUNK_ROWS = 2048; // DuckDB's standard vector size: one data chunk per 2,048 rows.

let stagingCounter = 0;

export class DuckDbIngestSession implements IngestSession {
  private appender: DuckDBAppender | null = null;
  private received = 0;
  private done = false;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly table: string,
    private readonly release: () => void,
  ) {}

  static async begin(conn: DuckDBConnection, release: () => void): Promise<DuckDbIngestSession> {
    // The table name is generated here, never taken from input, so it is safe to place in SQL text.
    const table = `ingest_staging_${process.pid}_${++stagingCounter}`;
    const cols = STAGING_COLUMNS.map(([name, sqlType]) => `${name} ${sqlType}`).join(', ');
    await conn.run(`CREATE TEMP TABLE ${table} (${cols})`);
    const session = new DuckDbIngestSession(conn, table, release);
    session.appender = await conn.createAppender(table, 'main', 'temp');
    return session;
  }

  async append(events: readonly IngestEvent[]): Promise<void> {
    if (this.done || !this.appender) throw new ClickrateError('CR_ERR_STORE', 'append after commit or abort');
    for (let start = 0; start < events.length; start += CHUNK_ROWS) {
      const slice = events.slice(start, start + CHUNK_ROWS);
      const columns: DuckDBValue[][] = STAGING_COLUMNS.map(() => new Array<DuckDBValue>(slice.length));
      for (let i = 0; i < slice.length; i++) {
        const e = slice[i]!;
        const c = columns;
        c[0]![i] = BigInt(this.received + i);
        c[1]![i] = e.id;
        c[2]![i] = e.digest;
        c[3]![i] = e.type;
        c[4]![i] = BigInt(e.ts);
        c[5]![i] = e.message;
        c[6]![i] = e.campaign;
        c[7]![i] = e.recipient;
        c[8]![i] = e.step;
        c[9]![i] = e.variant;
        c[10]![i] = e.segment;
        c[11]![i] = e.ad;
        c[12]![i] = e.url;
        c[13]![i] = e.ip;
        c[14]![i] = e.user_agent;
        c[15]![i] = e.method;
        c[16]![i] = e.value;
      }
      const chunk = DuckDBDataChunk.create(STAGING_COLUMNS.map(([, , t]) => t), slice.length);
      chunk.setColumns(columns);
      this.appender.appendDataChunk(chunk);
      this.received += slice.length;
    }
  }

  async commit(): Promise<IngestCounts> {
    if (this.done || !this.appender) throw new ClickrateError('CR_ERR_STORE', 'commit after commit or abort');
    this.appender.closeSync();
    this.appender = null;
    const cols = EVENT_COLUMNS.join(', ');
    // Id-less events get `h:<digest>:<n>`, n numbering identical events in the batch (events/event-id.ts).
    // Then the first occurrence of each id in the batch wins, and ids already stored are skipped.
    const sql = `
      INSERT INTO events (id, ${cols}, ingested_at)
      SELECT id, ${cols}, epoch_ms(now()) FROM (
        SELECT id, seq, ${cols} FROM ${this.table} WHERE id IS NOT NULL
        UNION ALL
        SELECT 'h:' || digest || ':' || CAST(row_number() OVER (PARTITION BY digest ORDER BY seq) AS VARCHAR), seq, ${cols}
        FROM ${this.table} WHERE id IS NULL
      ) s
      WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = s.id)
      QUALIFY row_number() OVER (PARTITION BY s.id ORDER BY s.seq) = 1`;
    try {
      await this.conn.run('BEGIN TRANSACTION');
      const res = await this.conn.run(sql);
      await this.conn.run('COMMIT');
      const inserted = res.rowsChanged;
      return { received: this.received, inserted, duplicates: this.received - inserted };
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw new ClickrateError('CR_ERR_STORE', `could not store the batch: ${(err as Error).message}`, {}, { cause: err });
    } finally {
      await this.finish();
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    try {
      this.appender?.closeSync();
    } catch {
      // The appender may already be invalid after a failed append; the staging table is dropped anyway.
    }
    this.appender = null;
    await this.finish();
  }

  private async finish(): Promise<void> {
    this.done = true;
    try {
      await this.conn.run(`DROP TABLE IF EXISTS temp.${this.table}`);
    } finally {
      this.release();
    }
  }
}
