// The HTTP connection to ClickHouse through the official client: bound queries (server-side parameters
// when the server has them, audited literals otherwise), JSON rows with 64-bit integers as numbers.
import { Readable } from 'node:stream';
import { createClient, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { ClickrateError } from '../../errors.js';
import type { CompiledQuery } from '../dialect.js';
import type { Row } from '../store.js';
import { inlineParams, serverParams } from './literals.js';

interface JsonResult {
  meta: Array<{ name: string; type: string }>;
  data: Array<Record<string, unknown>>;
}

// TRICKY: ClickHouse's JSON output quotes 64-bit integers (output_format_json_quote_64bit_integers) so
// JavaScript loses no digits; counts and epoch milliseconds fit a double exactly, so they become numbers.
const INT64 = /^(Nullable\()?U?Int64\)?$/;

export class ClickHouseConnection {
  /** True when the server binds `{name:Type}` parameters itself (19.11+); probed once at open. */
  serverBinding = false;

  private constructor(
    readonly client: ClickHouseClient,
    private readonly settings: ClickHouseSettings,
  ) {}

  static create(url: string, database: string, username: string, password: string, settings: ClickHouseSettings = {}): ClickHouseConnection {
    // The client sends no settings of its own by default, which is what lets it talk to 18.16 at all.
    const client = createClient({ url, database, username, password, log: { level: ClickHouseLogLevel.OFF }, request_timeout: 600_000 });
    return new ClickHouseConnection(client, settings);
  }

  async probe(): Promise<void> {
    const ok = await this.client.ping();
    if (!ok.success) throw new ClickrateError('CR_ERR_STORE', `ClickHouse is unreachable: ${(ok as { error?: Error }).error?.message ?? 'no answer'}`);
    try {
      const r = await this.client.query({ query: 'SELECT {v:String} AS v', format: 'JSON', query_params: { v: 'x' } });
      this.serverBinding = ((await r.json()) as JsonResult).data[0]?.v === 'x';
    } catch {
      // 18.16: "Unknown setting param_v". Literals are inlined by inlineParams instead.
      this.serverBinding = false;
    }
  }

  /** Runs a compiled query and returns its rows. */
  async query(q: CompiledQuery): Promise<Row[]> {
    const bound = this.serverBinding ? { query: q.sql, query_params: serverParams(q) } : { query: inlineParams(q) };
    try {
      const r = await this.client.query({ ...bound, format: 'JSON', clickhouse_settings: this.settings });
      const json = (await r.json()) as JsonResult;
      const ints = json.meta.filter((m) => INT64.test(m.type)).map((m) => m.name);
      return json.data.map((d) => {
        const row: Row = {};
        for (const [k, v] of Object.entries(d)) row[k] = v === null || v === undefined ? null : (v as Row[string]);
        for (const k of ints) if (typeof row[k] === 'string') row[k] = Number(row[k]);
        return row;
      });
    } catch (err) {
      throw storeError('query failed', err);
    }
  }

  /** A statement with no result (DDL, INSERT … SELECT). Its SQL holds no values, only generated names. */
  async command(sql: string, params: CompiledQuery['params'] = {}): Promise<void> {
    const q = { sql, params };
    const bound = this.serverBinding ? { query: sql, query_params: serverParams(q) } : { query: inlineParams(q) };
    try {
      await this.client.command({ ...bound, clickhouse_settings: this.settings });
    } catch (err) {
      throw storeError('statement failed', err);
    }
  }

  /** Rows as JSONEachRow into a table: one INSERT, one part per partition touched. */
  async insert(table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.client.insert({ table, values: rows as Array<Record<string, unknown>>, format: 'JSONEachRow', clickhouse_settings: this.settings });
    } catch (err) {
      throw storeError(`insert into ${table} failed`, err);
    }
  }

  /**
   * Rows the caller already encoded as CSV into the named columns of a table: one INSERT. For bulk writes
   * (verdicts), where encoding each row as a JSON object here cost more than the insert itself.
   */
  async insertCsv(table: string, columns: [string, ...string[]], csv: readonly Buffer[]): Promise<void> {
    if (csv.length === 0) return;
    try {
      await this.client.insert({ table, columns, values: Readable.from(csv, { objectMode: false }), format: 'CSV', clickhouse_settings: this.settings });
    } catch (err) {
      throw storeError(`insert into ${table} failed`, err);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export function storeError(what: string, err: unknown): ClickrateError {
  if (err instanceof ClickrateError) return err;
  return new ClickrateError('CR_ERR_STORE', `ClickHouse ${what}: ${(err as Error).message}`, {}, { cause: err });
}
