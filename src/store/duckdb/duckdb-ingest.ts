// All-or-nothing ingest into DuckDB. Events arrive as packed JSON documents (events/packed-docs.ts);
// DuckDB extracts the columns natively, chunk by chunk, inside one transaction that commits or rolls back whole.
// Fast mode inserts chunks straight into `events` and checks at commit that no id repeats; exact mode
// (objects, and files the fast check refused) stages everything and resolves repeats at commit.
import { blobValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { EVENT_FIELDS } from '../../events/event.js';
import type { PackedDocs, PackedIngestSession, PackedMode } from '../../events/packed-docs.js';
import { ClickrateError } from '../../errors.js';
import type { IngestCounts, IngestEvent, IngestSession } from '../store.js';

// TRICKY: why documents and not appender calls. Every appender call crosses into native code; one per
// column capped ingest near 150,000 events/s, while one bound string per chunk costs nothing in JS and
// DuckDB's JSON reader extracts the columns in native code on its own thread, beside the JS parsing.
const DOC_TYPE = JSON.stringify({
  id: 'VARCHAR',
  type: 'VARCHAR',
  message: 'VARCHAR',
  campaign: 'VARCHAR',
  recipient: 'VARCHAR',
  step: 'INTEGER',
  variant: 'VARCHAR',
  segment: 'VARCHAR',
  ad: 'VARCHAR',
  url: 'VARCHAR',
  ip: 'VARCHAR',
  user_agent: 'VARCHAR',
  method: 'VARCHAR',
  value: 'DOUBLE',
});
const COLUMNS = EVENT_FIELDS.filter((f) => f !== 'id');
const PLAIN = COLUMNS.filter((c) => c !== 'ts' && c !== 'method');
/**
 * The rows of one chunk ($1 documents, $2 times, $3 `h:` ids; see PackedDocs) as a subquery `d`.
 * Multiple unnests in one SELECT are zipped by position. `seq` orders rows across chunks. Methods
 * were validated as GET or HEAD in either case.
 */
const chunkRows = (chunk: number) => `(SELECT ${chunk} * ${2 ** 32} + i AS seq, CAST(t AS BIGINT) AS ts, upper(j.method) AS method,
    split_part(k, ':', 2) AS digest, k AS batch_id, j.id AS given_id, ${PLAIN.map((c) => `j.${c} AS ${c}`).join(', ')}
  FROM (SELECT from_json(doc, '${DOC_TYPE}') AS j, t, nullif(k, '') AS k, i
    FROM (SELECT unnest(d) AS doc, unnest(t) AS t, unnest(k) AS k, generate_subscripts(d, 1) AS i
      FROM (SELECT string_split(decode($1), chr(10)) AS d, string_split($2, ',') AS t, string_split($3, ',') AS k)))) d`;
const COLS = COLUMNS.join(', ');
// TRICKY: at least one DuckDB row group (122,880 rows) per statement. DuckDB writes a full row group
// of uncommitted rows straight to the database file; smaller inserts pile up in memory and spill to
// temp files (32k-row chunks spilled ~160 MB of temp per million events and ran 25% slower).
const CHUNK_EVENTS = 131_072;

let stagingCounter = 0;

export class DuckDbIngestSession implements IngestSession, PackedIngestSession {
  private mode: PackedMode | null = null;
  private pending: PackedDocs[] = [];
  private pendingCount = 0;
  private running: Promise<void> | null = null;
  private received = 0;
  private inserted = 0;
  private chunks = 0;
  private staging: string | null = null;
  private done = false;
  conflicted = false;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly stamp: number,
    private readonly release: () => void,
  ) {}

  static async begin(conn: DuckDBConnection, release: () => void): Promise<DuckDbIngestSession> {
    await conn.run('BEGIN TRANSACTION');
    try {
      // TRICKY: the stamp is both ingested_at and the mark of this session's rows: it is above every
      // stored ingested_at, so `ingested_at = stamp` selects exactly the rows this transaction added.
      const r = await conn.runAndReadAll('SELECT coalesce(max(ingested_at), 0) AS m FROM events');
      const stamp = Math.max(Date.now(), Number(r.getRowObjectsJS()[0]?.m ?? 0) + 1);
      return new DuckDbIngestSession(conn, stamp, release);
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  setMode(mode: PackedMode): void {
    if (this.mode !== null && this.mode !== mode) throw new ClickrateError('CR_ERR_STORE', `ingest mode already set to ${this.mode}`);
    this.mode = mode;
  }

  /** Objects (API batches, the spool, CSV rows) are packed here and always take the exact path. */
  async append(events: readonly IngestEvent[]): Promise<void> {
    this.setMode('exact');
    if (events.length === 0) return;
    const docs: string[] = [];
    const ids: string[] = [];
    for (const e of events) {
      const { digest, raw: _r, ...fields } = e;
      docs.push(JSON.stringify(fields));
      // The exact path takes the digest from `h:<digest>:<n>` and numbers n itself.
      ids.push(digest === null ? '' : `h:${digest}:0`);
    }
    await this.appendDocs({ docs: Buffer.from(docs.join('\n')), ts: events.map((e) => e.ts).join(','), ids: ids.join(','), count: events.length });
  }

  async appendDocs(batch: PackedDocs): Promise<void> {
    if (this.done) throw new ClickrateError('CR_ERR_STORE', 'append after commit or abort');
    if (this.mode === null) throw new ClickrateError('CR_ERR_STORE', 'setMode must come before appendDocs');
    if (batch.count === 0) return;
    this.received += batch.count;
    this.pending.push(batch);
    this.pendingCount += batch.count;
    if (this.pendingCount >= CHUNK_EVENTS) await this.flush();
  }

  /** Starts the next chunk once the previous one is done: DuckDB works while the caller parses on. */
  private async flush(): Promise<void> {
    if (this.running) await this.running;
    if (this.pending.length === 0 || this.conflicted) return;
    const join = (key: 'ts' | 'ids') => this.pending.map((p) => p[key]).join(',');
    const params = [blobValue(joinBytes(this.pending.map((p) => p.docs))), join('ts'), join('ids')];
    this.pending = [];
    this.pendingCount = 0;
    const chunk = this.chunks++;
    const run = this.mode === 'fast' ? this.insertChunk(params, chunk) : this.stageChunk(params, chunk);
    // Kept so that a failure surfaces on the next append or at commit, never as an unhandled rejection.
    this.running = run.finally(() => undefined);
    this.running.catch(() => undefined);
  }

  private async insertChunk(params: DuckDBValue[], chunk: number): Promise<void> {
    const res = await this.conn.run(
      `INSERT INTO events (id, ${COLS}, ingested_at) SELECT coalesce(given_id, batch_id), ${COLS}, ${this.stamp} FROM ${chunkRows(chunk)}`,
      params,
    );
    this.inserted += res.rowsChanged;
    // A re-imported file shows itself in its first chunk: hand it to the exact path at once.
    if (chunk === 0 && (await this.repeats())) this.conflicted = true;
  }

  /** True when an id of this session's rows occurs more than once among all stored rows. */
  private async repeats(): Promise<boolean> {
    const r = await this.conn.runAndReadAll(
      `SELECT count(*) - count(DISTINCT id) AS n FROM events WHERE id IN (SELECT id FROM events WHERE ingested_at = ${this.stamp})`,
    );
    return Number(r.getRowObjectsJS()[0]?.n ?? 0) > 0;
  }

  private async stageChunk(params: DuckDBValue[], chunk: number): Promise<void> {
    if (this.staging === null) {
      // The table name is generated here, never taken from input, so it is safe to place in SQL text.
      this.staging = `ingest_staging_${process.pid}_${++stagingCounter}`;
      await this.conn.run(`CREATE TEMP TABLE ${this.staging} AS SELECT * FROM ${chunkRows(0)} LIMIT 0`, [blobValue(Buffer.from('{}')), '0', '']);
    }
    await this.conn.run(`INSERT INTO temp.${this.staging} SELECT * FROM ${chunkRows(chunk)}`, params);
  }

  async commit(): Promise<IngestCounts> {
    if (this.done) throw new ClickrateError('CR_ERR_STORE', 'commit after commit or abort');
    try {
      await this.flush();
      if (this.running) await this.running;
      if (this.mode === 'fast') {
        if (this.conflicted || (await this.repeats())) {
          this.conflicted = true;
          throw new ClickrateError('CR_ERR_STORE', 'ids repeat: import this batch in exact mode');
        }
      } else if (this.staging !== null) {
        this.inserted = (await this.conn.run(exactInsert(this.staging, this.stamp))).rowsChanged;
        await this.conn.run(`DROP TABLE temp.${this.staging}`);
      }
      await this.conn.run('COMMIT');
      return { received: this.received, inserted: this.inserted, duplicates: this.received - this.inserted };
    } catch (err) {
      await this.rollback();
      if (err instanceof ClickrateError) throw err;
      throw new ClickrateError('CR_ERR_STORE', `could not store the batch: ${(err as Error).message}`, {}, { cause: err });
    } finally {
      this.finish();
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    try {
      await this.rollback();
    } finally {
      this.finish();
    }
  }

  private async rollback(): Promise<void> {
    if (this.running) await this.running.catch(() => undefined);
    // The staging table is TEMP and created inside the transaction, so the rollback drops it too.
    await this.conn.run('ROLLBACK').catch(() => undefined);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.pending = [];
    this.release();
  }
}

/** The batches' documents as one newline-joined block. */
function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, -1));
  let at = 0;
  for (const p of parts) {
    if (at > 0) out[at++] = 10;
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The exact path: id-less events get `h:<digest>:<n>`, n numbering identical events across the whole
 * batch in order; then the first occurrence of each id wins and ids already stored are skipped.
 */
function exactInsert(staging: string, stamp: number): string {
  return `
    INSERT INTO events (id, ${COLS}, ingested_at)
    WITH named AS (
      SELECT given_id AS id, * EXCLUDE (given_id, digest, batch_id) FROM temp.${staging} WHERE given_id IS NOT NULL
      UNION ALL
      SELECT 'h:' || digest || ':' || CAST(row_number() OVER (PARTITION BY digest ORDER BY seq) AS VARCHAR) AS id,
        * EXCLUDE (given_id, digest, batch_id)
      FROM temp.${staging} WHERE given_id IS NULL
    ),
    firsts AS (
      -- The first occurrence of each id in the batch (a grouped min is far cheaper than a window).
      SELECT id, min(seq) AS seq FROM named GROUP BY id
    )
    SELECT s.id, ${COLUMNS.map((c) => `s.${c}`).join(', ')}, ${stamp}
    FROM named s SEMI JOIN firsts f ON s.id = f.id AND s.seq = f.seq
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = s.id)`;
}
