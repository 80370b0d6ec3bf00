// The ClickHouse side of a bulk verdict pass (store.ts VerdictPass), for 18.16 and current releases: the
// events of stale messages snapshotted into a work table partitioned by part, each chunk read as one row
// per message (JSONEachRow), opens' and clicks' verdicts inserted as CSV, the rest by one INSERT … SELECT;
// every verdict under its event's msg_campaign (campaign_verdicts, migrations.ts v5).
import { randomBytes } from 'node:crypto';
import { ClickrateError } from '../../errors.js';
import type { CompiledQuery } from '../dialect.js';
import type { VerdictChunk, VerdictEvent, VerdictGroup, VerdictPass, VerdictPassOptions, VerdictRow } from '../store.js';
import { planChunks, VERDICT_PARTS, type ChunkRange } from '../verdict-chunks.js';
import { STAGE_PREFIX } from './clickhouse-ingest.js';
import { storeError, type ClickHouseConnection } from './connection.js';
import { inlineParams, serverParams } from './literals.js';

/** An event as the chunk query gives it: id, type, ts, url, ip, user_agent, method, msg_campaign. */
type EventRow = [string, string, number, string | null, string | null, string | null, string | null, string];
/** One row of the chunk query: l (1: the events without a message), delivered, sent, events. */
interface MessageRow {
  l: number;
  d: number | null;
  s: number | null;
  e: EventRow[];
}

/** Verdict rows per INSERT: few, large inserts (ClickHouse's advice), one in flight while classifying. */
const INSERT_ROWS = 200_000;

/** Groups per batch handed to the caller: small, so they die young (see the DuckDB pass). */
const BATCH_GROUPS = 256;

/** 64 partitions: few enough for one insert block (newer servers refuse more than 100), enough to prune. */
const PARTS_PER_PARTITION = VERDICT_PARTS / 64;

/**
 * Latest version per event id, as the verdict columns of the dialect's events() read it. TRICKY: joined
 * GLOBAL: with Distributed tables each event's verdicts live on the shard of its id, not of its message.
 */
const CURRENT = `SELECT id, argMax(classifier_version, written_at) AS cv FROM campaign_verdicts GROUP BY id`;

/**
 * A condition on events: the event kept its address and user agent. TRICKY: one that lost them (address
 * retention, erasure: clickhouse-erase.ts) keeps the verdict made on what it had; passes leave it out
 * and it is never stale (docs/privacy.md).
 */
const NOT_REDACTED = 'id GLOBAL NOT IN (SELECT id FROM redacted_events)';

export class ClickHouseVerdictPass implements VerdictPass {
  private chunks: ChunkRange[] = [];
  private nextChunk = 0;
  private closed = false;
  /** CSV of verdicts not yet sent (off the JavaScript heap, so it costs GC nothing), and its rows. */
  private csv: Buffer[] = [];
  private buffered = 0;
  private inflight: Promise<void> | null = null;
  /**
   * The msg_campaign values of the events handed out; an event's `loc` is its index here, so a verdict
   * finds its campaign without the pass keeping a map of millions of ids.
   */
  private readonly campaigns: string[] = [];
  private readonly campaignIndex = new Map<string, number>();

  private constructor(
    private readonly conn: ClickHouseConnection,
    /** written_at for a write: strictly increasing within the process (see ClickHouseStore.stamp). */
    private readonly stamp: () => number,
    private readonly version: string,
    /** Work tables; generated names with the staging prefix, so abandoned ones are dropped at open. */
    private readonly work: string,
    private readonly staleTable: string,
    readonly pending: number,
    readonly events: number,
  ) {}

  static async begin(conn: ClickHouseConnection, stamp: () => number, opts: VerdictPassOptions): Promise<ClickHouseVerdictPass> {
    const base = `${STAGE_PREFIX}${Date.now()}_${randomBytes(6).toString('hex')}`;
    const work = `${base}_vw`;
    const staleTable = `${base}_vs`;
    const v = { v: { value: opts.version, type: 'String' as const } };
    try {
      let scope = '1';
      // Fewer verdict rows than half the events: at least half are stale (after an import). Then every
      // message is read: cheaper than finding the stale ones, and the others' verdicts come out the same.
      const [sizes] = await conn.query({
        sql: 'SELECT (SELECT count() FROM events) AS events, (SELECT count() FROM campaign_verdicts) AS verdicts',
        params: {},
      });
      const everything = opts.all || Number(sizes?.verdicts ?? 0) * 2 < Number(sizes?.events ?? 0);
      if (!everything) {
        // Stale events once, in a table: the scope below needs them twice and 18.16 has no CTEs to share.
        await conn.command(
          `CREATE TABLE ${staleTable} ENGINE = Log AS
          SELECT message, id FROM events GLOBAL ANY LEFT JOIN (${CURRENT}) USING (id) WHERE cv != {v:String} AND ${NOT_REDACTED}`,
          v,
        );
        scope = `(message IS NOT NULL AND message GLOBAL IN (SELECT assumeNotNull(message) FROM ${staleTable} WHERE message IS NOT NULL))
          OR (message IS NULL AND id GLOBAL IN (SELECT id FROM ${staleTable} WHERE message IS NULL))`;
      }
      // Every event of the stale messages, so finish() can mark the others done from here (an event that
      // arrives later is not in it and stays stale). TRICKY: partitioned by runs of parts and not sorted:
      // sorting 10M rows cost 23 s of a 10M pass (loaded machine), partitioning 13 s, and a chunk's query
      // still reads only the partitions of its parts.
      await conn.command(
        `CREATE TABLE ${work} ENGINE = MergeTree PARTITION BY intDiv(part, ${PARTS_PER_PARTITION}) ORDER BY tuple() AS
        SELECT toUInt16(cityHash64(ifNull(message, id)) % ${VERDICT_PARTS}) AS part, ifNull(message, '') AS key,
          id, type, ts, message, url, ip, user_agent, method, msg_campaign
        FROM events WHERE (${scope}) AND (type NOT IN ('open', 'click') OR ${NOT_REDACTED})`,
        everything ? {} : v,
      );
      const parts = await conn.query({ sql: `SELECT part, countIf(type IN ('open', 'click')) AS n, count() AS total FROM ${work} GROUP BY part`, params: {} });
      const chunks = planChunks(
        parts.map((p) => ({ part: Number(p.part), n: Number(p.n) })),
        opts.chunkEvents,
      );
      const pending = chunks.reduce((sum, c) => sum + c.n, 0);
      const events = parts.reduce((sum, p) => sum + Number(p.total), 0);
      const pass = new ClickHouseVerdictPass(conn, stamp, opts.version, work, staleTable, pending, events);
      pass.chunks = chunks;
      return pass;
    } catch (err) {
      await dropTables(conn, [work, staleTable]);
      throw storeError('could not start a classification pass', err);
    }
  }

  async next(): Promise<VerdictChunk | null> {
    const range = this.chunks[this.nextChunk++];
    if (!range || this.closed) return null;
    // key '' is the events without a message (a message is never empty): one group of them, judged one
    // by one. minIf over no row gives 0, not NULL, hence the count guards; times as Float64 so the JSON
    // holds numbers (exact below 2^53), not quoted 64-bit integers.
    const text = await this.text({
      sql: `SELECT key = '' AS l,
          if(countIf(type = 'delivered') > 0, toFloat64(minIf(ts, type = 'delivered')), NULL) AS d,
          if(countIf(type = 'sent') > 0, toFloat64(minIf(ts, type = 'sent')), NULL) AS s,
          groupArrayIf((id, type, toFloat64(ts), url, ip, user_agent, method, msg_campaign), type IN ('open', 'click')) AS e
        FROM ${this.work} WHERE part >= {lo:Int64} AND part <= {hi:Int64}
        GROUP BY key HAVING countIf(type IN ('open', 'click')) > 0`,
      params: { lo: { value: range.lo, type: 'Int64' }, hi: { value: range.hi, type: 'Int64' } },
    });
    return { size: range.n, batches: () => batches(text, (c) => this.indexOf(c)) };
  }

  private indexOf(campaign: string): number {
    let i = this.campaignIndex.get(campaign);
    if (i === undefined) {
      i = this.campaigns.push(campaign) - 1;
      this.campaignIndex.set(campaign, i);
    }
    return i;
  }

  async write(rows: readonly VerdictRow[]): Promise<void> {
    if (this.closed) throw new ClickrateError('CR_ERR_STORE', 'write after the classification pass ended');
    if (rows.length === 0) return;
    const tail = `,${csvString(this.version)},${this.stamp()}`;
    const lines = rows.map((r) => {
      const campaign = r.loc === undefined ? undefined : this.campaigns[r.loc];
      if (campaign === undefined) throw new ClickrateError('CR_ERR_STORE', `verdict for ${r.id} lacks the loc its event came with`);
      return `${csvString(campaign)},${csvString(r.id)},${r.machine ? 1 : 0},${csvString(r.reasons ?? '')}${tail}\n`;
    });
    this.csv.push(Buffer.from(lines.join('')));
    this.buffered += rows.length;
    if (this.buffered >= INSERT_ROWS) await this.flush();
  }

  /** Sends the buffered verdicts as one INSERT, after the previous one has landed (one in flight). */
  private async flush(): Promise<void> {
    await this.inflight;
    this.inflight = null;
    if (this.buffered === 0) return;
    const csv = this.csv;
    this.csv = [];
    this.buffered = 0;
    this.inflight = this.conn.insertCsv('campaign_verdicts', ['msg_campaign', 'id', 'machine', 'reasons', 'classifier_version', 'written_at'], csv);
    // Awaited by the next flush (or finish); a failure surfaces there, never as an unhandled rejection.
    this.inflight.catch(() => undefined);
  }

  async finish(): Promise<void> {
    if (this.closed) throw new ClickrateError('CR_ERR_STORE', 'finish after the classification pass ended');
    try {
      await this.flush();
      await this.inflight;
      // Written last: until then these events are stale, so a pass that fails part way is redone whole.
      // TRICKY: a reply or bounce read from a mailbox carries its own verdict (src/replies/), which no
      // pass can recompute (the mail is not kept): it is written again as it is, under this version.
      const kept = `SELECT id FROM campaign_verdicts WHERE reasons != '' AND id GLOBAL IN (SELECT id FROM ${this.work} WHERE type IN ('reply', 'bounced'))`;
      const p = { v: { value: this.version, type: 'String' as const }, at: { value: this.stamp(), type: 'Int64' as const } };
      await this.conn.command(
        `INSERT INTO campaign_verdicts (msg_campaign, id, machine, reasons, classifier_version, written_at)
        SELECT msg_campaign, id, argMax(machine, written_at), argMax(reasons, written_at), {v:String}, toUInt64({at:Int64})
        FROM campaign_verdicts WHERE id GLOBAL IN (${kept}) GROUP BY msg_campaign, id`,
        p,
      );
      await this.conn.command(
        `INSERT INTO campaign_verdicts (msg_campaign, id, machine, reasons, classifier_version, written_at)
        SELECT msg_campaign, id, toUInt8(0), '', {v:String}, toUInt64({at:Int64}) FROM ${this.work}
        WHERE type NOT IN ('open', 'click') AND id GLOBAL NOT IN (${kept})`,
        p,
      );
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inflight?.catch(() => undefined);
    await dropTables(this.conn, [this.work, this.staleTable]);
  }

  /**
   * A query's rows as JSONEachRow text, one row a line: parsed a line at a time as the caller iterates, so
   * the rows' objects die young (parsing a whole chunk at once spent a third of the pass in GC).
   */
  private async text(q: CompiledQuery): Promise<string> {
    const bound = this.conn.serverBinding ? { query: q.sql, query_params: serverParams(q) } : { query: inlineParams(q) };
    try {
      const r = await this.conn.client.query({ ...bound, format: 'JSONEachRow' });
      return await r.text();
    } catch (err) {
      throw storeError('query failed', err);
    }
  }
}

/** The chunk query's rows as groups, BATCH_GROUPS at a time. */
function* batches(text: string, campaignIndex: (campaign: string) => number): Generator<VerdictGroup[]> {
  let groups: VerdictGroup[] = [];
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (end > at) {
      // The shape is the query's own (next()).
      const row = JSON.parse(text.slice(at, end)) as MessageRow;
      groups.push({ message: !row.l, delivered: row.d, sent: row.s, events: row.e.map((e) => toEvent(e, campaignIndex(e[7]))) });
      if (groups.length === BATCH_GROUPS) {
        yield groups;
        groups = [];
      }
    }
    at = end + 1;
  }
  if (groups.length > 0) yield groups;
}

/**
 * A CSV field as ClickHouse reads it: double-quoted, a quote doubled, nothing else escaped (newlines and
 * backslashes are literal inside quotes: https://clickhouse.com/docs/en/interfaces/formats#csv).
 */
function csvString(s: string): string {
  return `"${s.includes('"') ? s.replaceAll('"', '""') : s}"`;
}

function toEvent([id, type, ts, url, ip, user_agent, method]: EventRow, loc: number): VerdictEvent {
  return { id, type: type === 'open' ? 'open' : 'click', ts, url, ip, user_agent, method: method === 'HEAD' ? 'HEAD' : method === 'GET' ? 'GET' : null, loc };
}

async function dropTables(conn: ClickHouseConnection, tables: string[]): Promise<void> {
  for (const t of tables) await conn.command(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
}
