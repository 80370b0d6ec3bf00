// The one narrow interface every store backend implements (DuckDB embedded, ClickHouse scale-out).
// Callers (CLI, metrics engine, HTTP edge) depend on this file only, never on a backend's module.
import type { ParsedEvent } from '../events/parse-event.js';
import type { CompiledQuery, SqlDialect } from './dialect.js';

/** An event on its way in: `digest` (see events/event-id.ts) is set exactly when `id` is null. */
export interface IngestEvent extends ParsedEvent {
  digest: string | null;
  /**
   * The validated source object as JSON text, when the caller already has it (a JSON Lines row). A
   * store may load from it instead of the fields; `ts` and `method` are taken from the fields, since
   * the text keeps them as written (an ISO time, a lower-case method).
   */
  raw?: string;
}

export interface IngestCounts {
  /** Events received in the batch. */
  received: number;
  /** Newly stored. */
  inserted: number;
  /** Skipped because their id was already stored, or repeated within the batch. */
  duplicates: number;
}

/** All-or-nothing ingest: nothing appended is visible until commit, and abort leaves the store as it was. */
export interface IngestSession {
  append(events: readonly IngestEvent[]): Promise<void>;
  commit(): Promise<IngestCounts>;
  abort(): Promise<void>;
}

export type Row = Record<string, string | number | boolean | null>;

/** A verdict to store on one event (every event of a classified message gets one, to mark it done). */
export interface VerdictRow {
  id: string;
  machine: boolean;
  /** JSON array of reason codes, or null for events that are not opens or clicks. */
  reasons: string | null;
}

/** A message template as sent (before wrapping), kept per campaign, step and variant for the click map. */
export interface TemplateRecord {
  campaign: string;
  step: number | null;
  variant: string | null;
  html: string;
  saved_at: number;
}

/** An API key as stored: never the key itself, only its SHA-256 hash and a short prefix to recognise it. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface Store {
  readonly kind: 'duckdb' | 'clickhouse';
  readonly dialect: SqlDialect;
  /**
   * How often and how much a background writer should ingest, when the engine has a preference
   * (ClickHouse: about one large insert per second per table). Absent: the writer's own defaults.
   */
  readonly ingestPacing?: { batchRecords: number; intervalMs: number };
  /** Starts an all-or-nothing ingest (one file, one API batch, one spool drain). */
  beginIngest(): Promise<IngestSession>;
  /** Runs a compiled, parameter-bound query; BIGINTs come back as numbers. */
  query(q: CompiledQuery): Promise<Row[]>;
  /** Stores verdicts and the classifier version that produced them (issue #4: recomputable verdicts). */
  writeVerdicts(rows: readonly VerdictRow[], version: string): Promise<void>;
  /** Keeps the latest template of (campaign, step, variant), replacing an older one. */
  saveTemplate(t: TemplateRecord): Promise<void>;
  /** The campaign's templates without their HTML, to pick one. */
  listTemplates(campaign: string): Promise<Array<Omit<TemplateRecord, 'html'>>>;
  getTemplate(campaign: string, step: number | null, variant: string | null): Promise<TemplateRecord | null>;
  /** API keys live in the store, so every edge sharing a store accepts the same keys. */
  createApiKey(key: ApiKeyRecord): Promise<void>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when no active key has that id. */
  revokeApiKey(id: string, at: number): Promise<boolean>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  close(): Promise<void>;
}
