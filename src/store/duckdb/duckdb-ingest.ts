// All-or-nothing ingest into DuckDB. Events arrive as packed JSON documents (events/packed-docs.ts);
// DuckDB extracts the columns natively, chunk by chunk, inside one transaction that commits or rolls back whole.
// Fast mode inserts chunks straight into `events` and checks at commit that no id repeats; exact mode
// (objects, and files the fast check refused) stages everything and resolves repeats at commit.
import { stat } from 'node:fs/promises';
import { BIGINT, blobValue, UBIGINT, type DuckDBConnection } from '@duckdb/node-api';
import { identityOf, sameFile, TS_CHECK_MODULUS, type DirectLoadSession, type LoadCheck } from '../../events/direct-load.js';
import type { IdRepeatFilter } from '../../events/id-repeat-filter.js';
import { splitPacked, type PackedDocs, type PackedIngestSession, type PackedMode } from '../../events/packed-docs.js';
import { ClickrateError } from '../../errors.js';
import { ownerConflictError, STRICT_REFUSALS_LISTED, toRefused, type StrictIngestSession } from '../message-owner.js';
import type { IngestCounts, IngestEvent, IngestSession, RefusedEvent } from '../store.js';
import { ChunkRunner, mergeParts, type ChunkParams } from './chunk-runner.js';
import { chunkRows, COLS, exactInsert, fastRows, fileInsert, MAX_PARTS, ownerConflicts } from './ingest-sql.js';

// TRICKY: exactly whole DuckDB row groups (122,880 rows) per statement. DuckDB writes each full row
// group of uncommitted rows straight to the database file, and keeps a partial one in memory, to be
// merged and compressed again later: 131,072-row chunks (one group and a 8,192-row remnant) left a
// file twice the size and a second-long checkpoint at close; smaller chunks spilled to temp files.
const ROW_GROUP = 122_880;
const CHUNK_EVENTS = ROW_GROUP;
// DuckDB's memory_limit while a file streams in (fast mode): this many times the chunk's bytes, at
// least 64 MB (see ChunkRunner.fitMemoryLimit). TRICKY: below about twice the chunk DuckDB fails the
// statement with "Out of Memory" (48 MB did, on 23 MB chunks); three times leaves room to spare.
const STREAMING_LIMIT_PER_CHUNK_BYTE = 3;
const STREAMING_LIMIT_FLOOR = 64 * 2 ** 20;
/** The DuckDB optimizer that would hash the session's rows instead of the candidates (withCandidatesBuilt). */
export const SIDE_SWAP_OPTIMIZER = 'build_side_probe_side';
/** $1, a JSON array of ids, as a one-column table `id` (the commit's lookups bind the ids this way). */
const ID_LIST = `(SELECT unnest(from_json($1, '["VARCHAR"]')) AS id)`;

let stagingCounter = 0;

export class DuckDbIngestSession implements IngestSession, PackedIngestSession, DirectLoadSession, StrictIngestSession {
  /** Ids per slice of the full repeat check (see repeatsWithin): 10M in one passed at 64 MB. Smaller in tests. */
  static repeatCheckIds = 8_000_000;
  private mode: PackedMode | null = null;
  private pending: PackedDocs[] = [];
  private pendingCount = 0;
  private running: Promise<void> | null = null;
  private received = 0;
  private inserted = 0;
  private chunks = 0;
  private staging: string | null = null;
  private done = false;
  /** Fast mode: every id seen, to find the few that may repeat within this session. */
  private repeatFilter: IdRepeatFilter | null = null;
  private readonly runner: ChunkRunner;
  /** Set by strict(): a refused event fails the commit instead of being left out. */
  private strictMode = false;
  conflicted = false;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly stamp: number,
    /** False when the table was empty at the start: no stored id can then repeat, nothing to check. */
    private readonly hadRows: boolean,
    private readonly release: () => void,
  ) {
    this.runner = new ChunkRunner(conn);
  }

  static async begin(conn: DuckDBConnection, release: () => void): Promise<DuckDbIngestSession> {
    await conn.run('BEGIN TRANSACTION');
    try {
      // TRICKY: the stamp is both ingested_at and the mark of this session's rows: it is above every
      // stored ingested_at, so `ingested_at = stamp` selects exactly the rows this transaction added.
      const r = await conn.runAndReadAll('SELECT max(ingested_at) AS m FROM events');
      const last = r.getRowObjectsJS()[0]?.m ?? null;
      const stamp = Math.max(Date.now(), Number(last ?? 0) + 1);
      return new DuckDbIngestSession(conn, stamp, last !== null, release);
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  strict(): void {
    this.strictMode = true;
  }

  setMode(mode: PackedMode, ids?: IdRepeatFilter): void {
    if (this.mode !== null && this.mode !== mode) throw new ClickrateError('CR_ERR_STORE', `ingest mode already set to ${this.mode}`);
    if (this.mode === null && mode === 'fast') this.repeatFilter = ids ?? null;
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
    if (this.repeatFilter) this.watchIds(this.repeatFilter, batch);
    // `repeats` was only for the filter; the rows wait without it.
    this.pending.push({ docs: batch.docs, ts: batch.ts, ids: batch.ids, count: batch.count });
    this.pendingCount += batch.count;
    while (this.pendingCount >= CHUNK_EVENTS && !this.conflicted) await this.flush(CHUNK_EVENTS);
  }

  /**
   * The direct lane (events/direct-load.ts): DuckDB reads the validated file on every thread. The rows
   * stay only when they are the rows validated: the sampled ones equal column for column (checked inside
   * the insert, see fileInsert), as many, the same sum of instants, the file unchanged.
   */
  async loadJsonLines(path: string, check: LoadCheck, filter: IdRepeatFilter): Promise<boolean> {
    if (this.done) throw new ClickrateError('CR_ERR_STORE', 'load after commit or abort');
    if (this.mode !== null || this.received > 0) throw new ClickrateError('CR_ERR_STORE', 'a direct load must be the whole session');
    // Fast mode, with the filter the scan filled: commit looks up its candidates (repeatsWithin).
    this.mode = 'fast';
    this.repeatFilter = filter;
    // A re-imported file shows itself in its sample: loading it all only for commit to refuse it cost the
    // whole load (~13 s at 10M events). The caller sends it to the exact path (`conflicted`).
    if (await this.storesAnyOf(check.sample.map((e) => e.id))) {
      this.conflicted = true;
      return false;
    }
    await this.runner.flushFreedMemory();
    let rows: number;
    try {
      const sample = check.sample.map(({ id, ...columns }) => ({ sample_id: id, ...columns }));
      rows = (await this.conn.run(fileInsert(this.stamp), [path, JSON.stringify(sample)])).rowsChanged;
    } catch {
      // The reader refused something the workers accepted (a line past its 16 MB object limit, say), or
      // read a sampled row otherwise (SAMPLE_MISMATCH): the caller streams the file instead, and that
      // path names any row at fault.
      return false;
    }
    this.received = rows;
    this.inserted = rows;
    if (rows !== check.rows) return false;
    const r = await this.conn.runAndReadAll(
      'SELECT sum(ts % $m) AS s FROM events WHERE ingested_at = $stamp',
      { m: TS_CHECK_MODULUS, stamp: this.stamp },
      { m: BIGINT, stamp: BIGINT },
    );
    // A HUGEINT (bigint), NULL over no rows.
    if (((r.getRowObjectsJS()[0]?.s ?? 0n) as bigint) !== check.tsSum) return false;
    return sameFile(identityOf(await stat(path)), check.file);
  }

  private watchIds(filter: IdRepeatFilter, batch: PackedDocs): void {
    // Rows whose ids were not marked: the filter cannot vouch for this session, and every id is checked at commit.
    if (batch.repeats === undefined) this.repeatFilter = null;
    else filter.suspect(batch.repeats);
  }

  /** The first `rows` pending rows (all of them when undefined), cut at a row boundary. */
  private takePending(rows?: number): PackedDocs[] {
    if (rows === undefined || rows >= this.pendingCount) {
      const all = this.pending;
      this.pending = [];
      this.pendingCount = 0;
      return all;
    }
    const taken: PackedDocs[] = [];
    let left = rows;
    while (left > 0) {
      const p = this.pending.shift() as PackedDocs;
      if (p.count <= left) {
        taken.push(p);
        left -= p.count;
      } else {
        const [head, tail] = splitPacked(p, left);
        taken.push(head);
        this.pending.unshift(tail);
        left = 0;
      }
    }
    this.pendingCount -= rows;
    return taken;
  }

  /** Starts the next chunk once the previous one is done: DuckDB works while the caller parses on. */
  private async flush(rows?: number): Promise<void> {
    if (this.running) await this.running;
    if (this.pending.length === 0 || this.conflicted) return;
    const parts = mergeParts(this.takePending(rows), MAX_PARTS);
    const chunk = this.chunks++;
    const run = this.mode === 'fast' ? this.insertChunk(parts, chunk) : this.stageChunk(parts, chunk);
    // Kept so that a failure surfaces on the next append or at commit, never as an unhandled rejection.
    this.running = run.finally(() => undefined);
    this.running.catch(() => undefined);
  }

  private async insertChunk(parts: ChunkParams[], chunk: number): Promise<void> {
    await this.runner.fitMemoryLimit(
      parts.reduce((n, p) => n + p.docs.length, 0),
      STREAMING_LIMIT_PER_CHUNK_BYTE,
      STREAMING_LIMIT_FLOOR,
    );
    this.inserted += await this.runner.run(
      `INSERT INTO events (id, ${COLS}, ingested_at) SELECT id, ${COLS}, ${this.stamp} FROM ${fastRows(parts.length)}`,
      parts,
    );
    // A re-imported file shows itself in its first chunk: hand it to the exact path at once.
    if (chunk === 0 && (await this.repeatsStored())) this.conflicted = true;
  }

  /** True when one of `ids` is stored already (the session's own rows aside, since it holds none yet). */
  private async storesAnyOf(ids: readonly (string | null)[]): Promise<boolean> {
    if (!this.hadRows || ids.length === 0) return false;
    const r = await this.conn.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM events WHERE id IN (SELECT id FROM ${ID_LIST} c)) AS x`, [JSON.stringify(ids)]);
    return r.getRowObjectsJS()[0]?.x === true;
  }

  /** True when an id of this session's rows was stored before it. */
  private async repeatsStored(): Promise<boolean> {
    if (!this.hadRows) return false;
    const r = await this.conn.runAndReadAll(
      `SELECT EXISTS (SELECT 1 FROM events WHERE ingested_at < ${this.stamp} AND id IN (SELECT id FROM events WHERE ingested_at = ${this.stamp})) AS x`,
    );
    return r.getRowObjectsJS()[0]?.x === true;
  }

  /**
   * True when an id occurs twice among this session's rows. Only the filter's candidates are looked
   * up; without a filter (or past its limit) every id of the session is counted.
   */
  private async repeatsWithin(): Promise<boolean> {
    const filter = this.repeatFilter;
    if (filter && !filter.overflowed) {
      const candidates = filter.candidates;
      if (candidates.length === 0) return false;
      const r = await this.withCandidatesBuilt(() =>
        this.conn.runAndReadAll(
          `SELECT count(*) AS n FROM (SELECT e.id FROM events e SEMI JOIN ${ID_LIST} c ON e.id = c.id
            WHERE e.ingested_at = ${this.stamp} GROUP BY e.id HAVING count(*) > 1)`,
          [JSON.stringify(candidates)],
        ),
      );
      return Number(r.getRowObjectsJS()[0]?.n ?? 0) > 0;
    }
    // TRICKY: files of more than ~15M events overflow the filter and land here. One aggregate over all of
    // their ids failed at 100M ("failed to pin block", at 64 MB and at 256 MB): DuckDB spills an aggregate
    // in partitions, and each must fit in memory to finish. So the ids are split by hash into slices of
    // at most repeatCheckIds, each grouped on its own, as a 10M-event file is whole (which passed).
    // Grouping 8-byte hashes instead of the ids was tried and dropped: DuckDB's hash() of short strings
    // collides often (`ads-0022:1097370` and `ads-0025:1097375` share one; at least a thousand pairs in
    // a tenth of the 100M-event file), so every colliding pair would need its ids compared anyway.
    const slices = Math.max(1, Math.ceil(this.inserted / DuckDbIngestSession.repeatCheckIds));
    for (let k = 0; k < slices; k++) {
      const r = await this.conn.runAndReadAll(
        'SELECT EXISTS (SELECT id FROM events WHERE ingested_at = $stamp AND hash(id) % $slices = $k GROUP BY id HAVING count(*) > 1) AS x',
        { stamp: this.stamp, slices, k },
        { stamp: BIGINT, slices: UBIGINT, k: UBIGINT },
      );
      if (r.getRowObjectsJS()[0]?.x === true) return true;
    }
    return false;
  }

  /**
   * Runs the candidate lookup with the join's sides as written: the candidates are hashed, the session's
   * rows probe them. TRICKY: DuckDB estimates rows not yet committed at ~0, so it chose to hash the
   * session's 10M ids and probe them with the 36,000 candidates: 2.0 s of the commit, against 0.44 s as
   * written (docs/performance-history.md). The optimizer that swaps the sides is off for the lookup only; if
   * the lookup fails, the aborted transaction refuses the SET back, and finish() restores it after the
   * ROLLBACK (the lookup's own error is the one reported).
   */
  private async withCandidatesBuilt<T>(run: () => Promise<T>): Promise<T> {
    await this.runner.disableOptimizer(SIDE_SWAP_OPTIMIZER);
    try {
      return await run();
    } finally {
      await this.runner.restoreOptimizers().catch(() => undefined);
    }
  }

  private async stageChunk(parts: ChunkParams[], chunk: number): Promise<void> {
    if (this.staging === null) {
      // The table name is generated here, never taken from input, so it is safe to place in SQL text.
      this.staging = `ingest_staging_${process.pid}_${++stagingCounter}`;
      await this.conn.run(`CREATE TEMP TABLE ${this.staging} AS SELECT * FROM ${chunkRows(1)} LIMIT 0`, [blobValue(Buffer.from('{}')), '0', '', 0]);
    }
    await this.runner.run(`INSERT INTO temp.${this.staging} SELECT * FROM ${chunkRows(parts.length)}`, parts, chunk);
  }

  async commit(): Promise<IngestCounts> {
    if (this.done) throw new ClickrateError('CR_ERR_STORE', 'commit after commit or abort');
    let step = 'storing the last rows';
    try {
      await this.flush();
      if (this.running) await this.running;
      // The rows are in: the streaming memory limit (ChunkRunner.fitMemoryLimit) has done its work, and
      // the checks and the commit below get the limit the session began with (a 100M-event file failed
      // its commit under the streaming 64 MB). The allocator setting stays until finish(): the checks and
      // the commit free as much as streaming did.
      await this.runner.restoreLimit();
      step = 'checking for repeated ids';
      if (this.mode === 'fast') {
        if (this.conflicted || (await this.repeatsWithin()) || (await this.repeatsStored())) {
          this.conflicted = true;
          throw new ClickrateError('CR_ERR_STORE', 'ids repeat: import this batch in exact mode');
        }
      } else if (this.staging !== null) {
        step = 'moving the staged rows';
        this.inserted = (await this.conn.run(exactInsert(this.staging, this.stamp))).rowsChanged;
        await this.conn.run(`DROP TABLE temp.${this.staging}`);
      }
      step = 'checking which campaign each message belongs to';
      const refused = await this.refuseForeignSends();
      step = 'committing';
      await this.conn.run('COMMIT');
      const counts: IngestCounts = { received: this.received, inserted: this.inserted, duplicates: this.received - this.inserted - refused.length };
      if (refused.length > 0) counts.refused = refused;
      return counts;
    } catch (err) {
      await this.rollback();
      if (err instanceof ClickrateError) throw err;
      throw new ClickrateError('CR_ERR_STORE', `could not store the batch (${step}): ${(err as Error).message}`, { step }, { cause: err });
    } finally {
      await this.finish();
    }
  }

  /**
   * Takes out of the session the sents that name a campaign other than their message's owner
   * (store/message-owner.ts) and says which; in a strict session, throws instead (the caller rolls back).
   * Every lane's rows are in `events` by now, under this session's stamp, so one statement finds them all.
   */
  private async refuseForeignSends(): Promise<RefusedEvent[]> {
    if (this.inserted === 0) return [];
    const limit = this.strictMode ? STRICT_REFUSALS_LISTED : Number.MAX_SAFE_INTEGER;
    const r = await this.conn.runAndReadAll(ownerConflicts(this.stamp, this.hadRows), { limit }, { limit: BIGINT });
    const rows = r.getRowObjectsJS();
    if (rows.length === 0) return [];
    const refused = toRefused(rows.map((row) => ({ id: String(row.id), message: String(row.message), owner: String(row.owner), named: String(row.named) })));
    if (this.strictMode) throw ownerConflictError(refused, Number(rows[0]?.total ?? refused.length));
    await this.conn.run(`DELETE FROM events WHERE ingested_at = ${this.stamp} AND id IN (SELECT id FROM ${ID_LIST} c)`, [
      JSON.stringify(refused.map((e) => e.id)),
    ]);
    this.inserted -= refused.length;
    return refused;
  }

  async abort(): Promise<void> {
    if (this.done) return;
    try {
      await this.rollback();
    } finally {
      await this.finish();
    }
  }

  private async rollback(): Promise<void> {
    if (this.running) await this.running.catch(() => undefined);
    // The staging table is TEMP and created inside the transaction, so the rollback drops it too.
    await this.conn.run('ROLLBACK').catch(() => undefined);
  }

  private async finish(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.pending = [];
    try {
      // After COMMIT or ROLLBACK: the memory limit is an instance setting, outside the transaction.
      await this.runner.restore();
    } finally {
      this.release();
    }
  }
}
