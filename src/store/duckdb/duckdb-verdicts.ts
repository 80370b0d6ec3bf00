// The DuckDB side of a bulk verdict pass (store.ts VerdictPass): the stale opens and clicks snapshotted
// into a temp table sorted by part, read back a chunk at a time as one JSON document per message, and
// verdicts written back slice by slice of the table's row positions, with the other events marked in bulk;
// the messages whose verdicts changed are marked for message_facts, which the pass refreshes at the end.
import {
  BIGINT,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBInstance,
  type DuckDBMaterializedResult,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { ClickrateError } from '../../errors.js';
import type { VerdictChunk, VerdictEvent, VerdictGroup, VerdictPass, VerdictPassOptions, VerdictRow } from '../store.js';
import { planChunks, VERDICT_PARTS, type ChunkRange } from '../verdict-chunks.js';
import { memoryLimitBytes } from './chunk-runner.js';
import { markDirty, refreshFacts } from './message-facts.js';

/**
 * Row positions per write transaction, at most. TRICKY: verdicts are written by position range, never
 * scattered over the table. DuckDB keeps updated values in memory until a checkpoint, which then rewrites
 * every row group an update touched: verdicts of hash-chosen messages touch every row group, so each batch
 * cost a rewrite of the whole table (at 10M events and 256 MB, 7–19 s per 250,000 verdicts; that was most
 * of the old 302 s). One range touches only its own row groups, and its update must fit in memory_limit
 * (updated values cannot spill): 2^19 rows fit 256 MB at 10M events, so 256 B of the limit per row.
 */
const MAX_SLICE_ROWS = 1 << 20;
const MIN_SLICE_ROWS = 1 << 16;

/** Rows per slice for a memory_limit as DuckDB shows it ('244.1 MiB', '18.8 GiB'). */
export function sliceRowsFor(memoryLimit: string): number {
  const bytes = memoryLimitBytes(memoryLimit);
  if (bytes === null) return MAX_SLICE_ROWS;
  let rows = MAX_SLICE_ROWS;
  while (rows > MIN_SLICE_ROWS && rows * 256 > bytes) rows /= 2;
  return rows;
}

/**
 * The stale test on the event columns of `alias`; `$v` is the version. TRICKY: an event that lost its
 * address or user agent (redacted_at, duckdb-erase.ts) is never stale: its verdict, made on what it had,
 * is kept, and the pass leaves it out (docs/privacy.md).
 */
const stale = (alias: string) => `(${alias}redacted_at IS NULL AND (${alias}classifier_version IS NULL OR ${alias}classifier_version <> $v))`;

/** What the chunk query's JSON holds per message (l: the group of events without a message). */
interface MessageDoc {
  l: boolean;
  d: number | null;
  s: number | null;
  e: VerdictEvent[];
}

type Params = Record<string, DuckDBValue>;
type Types = Record<string, DuckDBType>;

export class DuckDbVerdictPass implements VerdictPass {
  private chunks: ChunkRange[] = [];
  private nextChunk = 0;
  private closed = false;
  private appenderClosed = false;
  /** Slices (row position ÷ sliceRows) holding a stale event at the snapshot. */
  private staleSlices: number[] = [];

  private constructor(
    /** Holds the snapshot (temp tables are per connection) and serves the chunk queries. */
    private readonly read: DuckDBConnection,
    /** Collects verdicts and writes them, so a chunk can be read while the previous one is written. */
    private readonly write_: DuckDBConnection,
    /** Open for the whole pass: appending is synchronous, so write() costs only the values. */
    private readonly appender: DuckDBAppender,
    /** Waits for the store's ingest queue and holds it until the returned function is called. */
    private readonly turn: () => Promise<() => void>,
    private readonly version: string,
    /** Highest ingested_at in the snapshot. */
    private readonly watermark: number,
    readonly pending: number,
    readonly events: number,
    private readonly sliceRows: number,
  ) {}

  static async begin(instance: DuckDBInstance, turn: () => Promise<() => void>, opts: VerdictPassOptions): Promise<DuckDbVerdictPass> {
    let read: DuckDBConnection | null = null;
    let write: DuckDBConnection;
    try {
      read = await instance.connect();
      write = await instance.connect();
    } catch (err) {
      // A closed store lands here: its instance gives no more connections.
      read?.closeSync();
      throw storeError('could not start a classification pass (connecting)', err);
    }
    let step = 'snapshot';
    try {
      const v: Params = { v: opts.version };
      const t: Types = { v: VARCHAR };
      // TRICKY: one transaction, so the watermark and the work are the same snapshot. Ingest sessions run one
      // at a time and stamp ingested_at above every stored value (duckdb-ingest.ts), so every event with
      // ingested_at <= watermark is in this snapshot and every later one is above it: finish() marks done
      // only events this pass saw.
      const [limit] = (await read.runAndReadAll("SELECT current_setting('memory_limit') AS m")).getRowObjectsJS();
      const sliceRows = opts.sliceRows ?? sliceRowsFor(String(limit?.m ?? ''));
      await read.run('BEGIN TRANSACTION');
      // Slices with stale events: finish() visits those and the ones with verdicts, not the whole table
      // (the serve edge's pass every second touches only the newest rows).
      const [top] = (
        await read.runAndReadAll(
          `SELECT coalesce(max(ingested_at), 0) AS w, count(*) AS total, count(*) FILTER (WHERE ${stale('')}) AS stale,
            to_json(coalesce(list(DISTINCT rowid // $slice) FILTER (WHERE ${stale('')}), [])) AS slices
          FROM events`,
          { ...v, slice: sliceRows },
          { ...t, slice: BIGINT },
        )
      ).getRowObjectsJS();
      // When most events are stale (after an import), every message is read: cheaper than finding the
      // stale ones (a semi-join over millions of messages), and the others' verdicts come out the same.
      const everything = opts.all || Number(top?.stale ?? 0) * 2 >= Number(top?.total ?? 0);
      let scope = 'true';
      let anchorScope = 'message IS NOT NULL';
      if (!everything) {
        step = 'finding stale messages';
        await read.run(`CREATE OR REPLACE TEMP TABLE cr_vp_msgs AS SELECT DISTINCT message FROM events WHERE message IS NOT NULL AND ${stale('')}`, v, t);
        anchorScope = 'message IN (SELECT message FROM cr_vp_msgs)';
        scope = `(e.message IN (SELECT message FROM cr_vp_msgs) OR (e.message IS NULL AND ${stale('e.')}))`;
      }
      // Only opens and clicks are moved: the classifier reads nothing else of a message but its earliest
      // delivery and send, joined onto each row here. Sorted by part, so a chunk reads one range of blocks.
      step = 'copying opens and clicks';
      await read.run(
        `CREATE OR REPLACE TEMP TABLE cr_vp_work AS
        WITH anchors AS (
          SELECT message, min(ts) FILTER (WHERE type = 'delivered') AS d, min(ts) FILTER (WHERE type = 'sent') AS s
          FROM events WHERE type IN ('sent', 'delivered') AND ${anchorScope} GROUP BY message)
        SELECT CAST(hash(coalesce(e.message, e.id)) % ${VERDICT_PARTS} AS INTEGER) AS part, e.rowid AS loc, e.id, e.type, e.ts, e.message,
          e.url, e.ip, e.user_agent, CASE WHEN e.method IN ('GET', 'HEAD') THEN e.method END AS method, a.d, a.s
        FROM events e LEFT JOIN anchors a ON a.message = e.message
        WHERE e.type IN ('open', 'click') AND e.redacted_at IS NULL AND ${scope}
        ORDER BY part`,
        everything ? {} : v,
        everything ? {} : t,
      );
      const [covered] = everything
        ? [{ n: top?.total ?? 0 }]
        : (await read.runAndReadAll(`SELECT count(*) AS n FROM events e WHERE ${scope}`, v, t)).getRowObjectsJS();
      step = 'planning chunks';
      await read.run('COMMIT');
      const parts = (await read.runAndReadAll('SELECT part, count(*) AS n FROM cr_vp_work GROUP BY part')).getRowObjectsJS();
      const chunks = planChunks(
        parts.map((p) => ({ part: Number(p.part), n: Number(p.n) })),
        opts.chunkEvents,
      );
      await write.run('CREATE OR REPLACE TEMP TABLE cr_vp_verdicts (loc BIGINT, id VARCHAR, machine BOOLEAN, reasons VARCHAR)');
      const appender = await write.createAppender('cr_vp_verdicts', 'main', 'temp');
      const pending = chunks.reduce((sum, c) => sum + c.n, 0);
      const pass = new DuckDbVerdictPass(read, write, appender, turn, opts.version, Number(top?.w ?? 0), pending, Number(covered?.n ?? 0), sliceRows);
      pass.chunks = chunks;
      pass.staleSlices = JSON.parse(String(top?.slices ?? '[]')) as number[];
      return pass;
    } catch (err) {
      await read.run('ROLLBACK').catch(() => undefined);
      read.closeSync();
      write.closeSync();
      throw storeError(`could not start a classification pass (${step})`, err);
    }
  }

  async next(): Promise<VerdictChunk | null> {
    const range = this.chunks[this.nextChunk++];
    if (!range || this.closed) return null;
    // One JSON text per message: converting DuckDB values to JavaScript costs ~0.5 µs each, so one string
    // and JSON.parse beat seven columns per event (measured 2.5× on a 250,000-event chunk). The result
    // stays in DuckDB's memory; batches() converts it one DuckDB vector (2,048 messages) at a time.
    const result = await this.read
      .run(
        `SELECT to_json({l: message IS NULL, d: any_value(d), s: any_value(s),
          e: list({id: id, type: type, ts: ts, url: url, ip: ip, user_agent: user_agent, method: method, loc: loc})}) AS j
        FROM cr_vp_work WHERE part BETWEEN $lo AND $hi GROUP BY message`,
        { lo: range.lo, hi: range.hi },
        { lo: BIGINT, hi: BIGINT },
      )
      .catch((err: unknown) => {
        throw storeError('could not read events to classify', err);
      });
    return { size: range.n, batches: () => decode(result) };
  }

  async write(rows: readonly VerdictRow[]): Promise<void> {
    if (this.closed) throw new ClickrateError('CR_ERR_STORE', 'write after the classification pass ended');
    const a = this.appender;
    try {
      for (const r of rows) {
        if (r.loc === undefined) throw new ClickrateError('CR_ERR_STORE', `verdict for ${r.id} lacks the loc its event came with`);
        a.appendBigInt(BigInt(r.loc));
        a.appendVarchar(r.id);
        a.appendBoolean(r.machine);
        if (r.reasons === null) a.appendNull();
        else a.appendVarchar(r.reasons);
        a.endRow();
      }
    } catch (err) {
      throw storeError('could not store verdicts', err);
    }
  }

  async finish(): Promise<void> {
    if (this.closed) throw new ClickrateError('CR_ERR_STORE', 'finish after the classification pass ended');
    let step = 'closing the appender';
    const conn = this.write_;
    try {
      this.closeAppender();
      // Read in full: its memory is better spent on the sort and the updates below.
      step = 'dropping the snapshot';
      await this.read.run('DROP TABLE cr_vp_work');
      // Sorted once, so each slice below reads its verdicts as one range of blocks.
      step = 'sorting verdicts';
      await conn.run('CREATE OR REPLACE TEMP TABLE cr_vp_sorted AS SELECT * FROM cr_vp_verdicts ORDER BY loc');
      await conn.run('DROP TABLE cr_vp_verdicts');
      step = 'updating events';
      const withVerdicts = (
        await conn.runAndReadAll('SELECT DISTINCT loc // $slice AS s FROM cr_vp_sorted', { slice: this.sliceRows }, { slice: BIGINT })
      ).getRowObjectsJS();
      const slices = new Set([...this.staleSlices, ...withVerdicts.map((r) => Number(r.s))]);
      for (const k of [...slices].sort((a, b) => a - b)) await this.writeSlice(k * this.sliceRows, (k + 1) * this.sliceRows);
      // Its memory goes to the facts below: kept, it failed them at 256 MB over 10M events (pinned blocks).
      await conn.run('DROP TABLE cr_vp_sorted');
      // The facts of the messages this pass or the ingests before it touched (message-facts.ts).
      step = 'refreshing message facts';
      const release = await this.turn();
      try {
        await refreshFacts(conn);
      } finally {
        release();
      }
    } catch (err) {
      await this.close();
      throw storeError(`could not store verdicts (${step})`, err);
    }
    await this.close();
  }

  /**
   * The verdicts of rows lo…hi−1 and the marks of that range's other events, in one transaction.
   * TRICKY: a column is only ever set where its value changes. DuckDB copies every string longer than 12
   * bytes written by an UPDATE into memory it reclaims only when the value really changed (duckdb#14983,
   * #17129): rewriting identical reasons (`classify --all`, a version bump that changes few verdicts)
   * grew memory by ~30 B a row until it failed under 256 MB at 10M events. The join on id as well as
   * position means a row can only ever get its own event's verdict (positions are stable: events are
   * never deleted).
   */
  private async writeSlice(lo: number, hi: number): Promise<void> {
    const conn = this.write_;
    const p: Params = { lo, hi, v: this.version };
    const t: Types = { lo: BIGINT, hi: BIGINT, v: VARCHAR };
    const joined = `FROM (SELECT loc, id, machine, reasons FROM cr_vp_sorted WHERE loc >= $lo AND loc < $hi) AS x
      WHERE events.rowid >= $lo AND events.rowid < $hi AND events.rowid = x.loc AND events.id = x.id`;
    // Held per slice only: ingest waits for one slice, never for the whole pass.
    const release = await this.turn();
    try {
      await conn.run('BEGIN TRANSACTION');
      // Before the updates: afterwards the changed verdicts no longer differ from the new ones.
      await conn.run(
        markDirty(`FROM events, (SELECT loc, id, machine, reasons FROM cr_vp_sorted WHERE loc >= $lo AND loc < $hi) AS x
          WHERE events.rowid >= $lo AND events.rowid < $hi AND events.rowid = x.loc AND events.id = x.id
          AND (events.machine <> x.machine OR events.reasons IS DISTINCT FROM x.reasons)`),
        { lo, hi },
        { lo: BIGINT, hi: BIGINT },
      );
      await conn.run(
        `UPDATE events SET machine = x.machine, reasons = x.reasons, classifier_version = $v ${joined} AND events.reasons IS DISTINCT FROM x.reasons`,
        p,
        t,
      );
      await conn.run(
        `UPDATE events SET machine = x.machine, classifier_version = $v ${joined}
          AND events.reasons IS NOT DISTINCT FROM x.reasons AND (events.machine <> x.machine OR events.classifier_version IS DISTINCT FROM $v)`,
        p,
        t,
      );
      // Everything else the snapshot saw: events that are not opens or clicks never get a verdict
      // (machine false, reasons NULL from ingest on), so marking them is setting the version.
      await conn.run(
        `UPDATE events SET classifier_version = $v
        WHERE rowid >= $lo AND rowid < $hi AND ingested_at <= $w AND type NOT IN ('open', 'click') AND classifier_version IS DISTINCT FROM $v`,
        { ...p, w: this.watermark },
        { ...t, w: BIGINT },
      );
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      release();
    }
  }

  private closeAppender(): void {
    if (this.appenderClosed) return;
    this.appenderClosed = true;
    this.appender.closeSync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.closeAppender();
    } catch {
      // Nothing of it is kept: its table goes with the connection.
    }
    // Temp tables go with their connection.
    this.read.closeSync();
    this.write_.closeSync();
  }
}

/**
 * Groups per batch. Small on purpose: a batch's objects live until its verdicts are appended, and each
 * young-generation GC copies whatever is live; at 2,048 groups GC took a fifth of the pass.
 */
const BATCH_GROUPS = 256;

/** A chunk query's groups, BATCH_GROUPS at a time. */
function* decode(result: DuckDBMaterializedResult): Generator<VerdictGroup[]> {
  for (let c = 0; c < result.chunkCount; c++) {
    const vector = result.getChunk(c).getColumnVector(0);
    for (let from = 0; from < vector.itemCount; from += BATCH_GROUPS) {
      const groups: VerdictGroup[] = [];
      for (let i = from; i < Math.min(from + BATCH_GROUPS, vector.itemCount); i++) {
        // The shape is the query's own (next()); nothing else writes this text.
        const doc = JSON.parse(String(vector.getItem(i))) as MessageDoc;
        groups.push({ message: !doc.l, delivered: doc.d, sent: doc.s, events: doc.e });
      }
      yield groups;
    }
  }
}

function storeError(what: string, err: unknown): ClickrateError {
  if (err instanceof ClickrateError) return err;
  return new ClickrateError('CR_ERR_STORE', `${what}: ${(err as Error).message}`, {}, { cause: err });
}
