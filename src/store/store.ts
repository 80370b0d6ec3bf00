// The one narrow interface every store backend implements (DuckDB embedded, ClickHouse scale-out).
// Callers (CLI, metrics engine, HTTP edge) depend on this file only, never on a backend's module.
import type { CampaignSettings } from './campaign-settings.js';
import type { MailLink } from './mail-links.js';
import type { ParsedEvent } from '../events/parse-event.js';
import type { CompiledQuery, SqlDialect } from './dialect.js';
import type { ErasureReport } from './privacy-cut.js';

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
  /**
   * Events the store would not hold and did not store, each with the reason (e.g. a `sent` naming a
   * message that belongs to another campaign). Absent or empty: every event was stored or a duplicate.
   * An all-or-nothing caller (a file import) fails on any; a spool drain sets them aside (dead letters).
   */
  refused?: RefusedEvent[];
}

/** One event a store refused at commit, named by its id (or digest, for id-less events). */
export interface RefusedEvent {
  id: string;
  reason: string;
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
  /** VerdictEvent.loc of the event, when it came from a VerdictPass: hand it back unchanged. */
  loc?: number;
}

/** An open or click as a verdict pass hands it out: what the classifier reads of it. */
export interface VerdictEvent {
  id: string;
  type: 'open' | 'click';
  /** Epoch ms. */
  ts: number;
  url: string | null;
  ip: string | null;
  user_agent: string | null;
  method: 'GET' | 'HEAD' | null;
  /** Where the store keeps the event (opaque; DuckDB: its row position), to write its verdict fast. */
  loc?: number;
}

/**
 * Opens and clicks judged together: one message's, with its earliest delivered and sent times (all the
 * classifier reads of a message besides its opens and clicks, so nothing else is moved), or a set of
 * opens and clicks without a message (ads), each judged alone.
 */
export interface VerdictGroup {
  /** False: the events have no message. */
  message: boolean;
  /** Epoch ms of the message's earliest delivered event, or null. */
  delivered: number | null;
  /** Epoch ms of its earliest sent event, or null. */
  sent: number | null;
  events: VerdictEvent[];
}

/** One bounded piece of a verdict pass: whole messages, and opens/clicks without a message. */
export interface VerdictChunk {
  /** Opens and clicks in it. */
  readonly size: number;
  /**
   * Its groups, a batch at a time, decoded as they are iterated (iterate once): a chunk never exists as
   * objects all at once, so they die young instead of filling the old generation (GC was 30% of a pass).
   */
  batches(): Iterable<readonly VerdictGroup[]>;
}

export interface VerdictPassOptions {
  /** The classifier version verdicts are written with; events with any other (or none) are stale. */
  version: string;
  /** Every event, not only stale ones (after a change of rules or address ranges). */
  all: boolean;
  /** Opens and clicks per chunk (default verdict-chunks.ts EVENTS_PER_CHUNK); smaller in tests. */
  chunkEvents?: number;
  /** Rows per write-back transaction where the store writes by position (DuckDB); smaller in tests. */
  sliceRows?: number;
}

/**
 * One bulk (re)classification: begins with a snapshot of what is stale — every message with a
 * stale event, every stale open/click without a message — and hands out those opens and clicks in
 * chunks of bounded size; verdicts go back through write(); finish() stores them and marks every other
 * event of the snapshot classified in bulk, not one row each. Events that arrive after the snapshot stay
 * stale for the next pass. One caller at a time, except that the next chunk may be read (next()) while
 * the previous one is iterated and its verdicts written.
 */
export interface VerdictPass {
  /** Opens and clicks the pass hands out. */
  readonly pending: number;
  /** Events the pass covers: every event of its messages and its loose events, as of the snapshot. */
  readonly events: number;
  /** The next chunk, or null when all were handed out. */
  next(): Promise<VerdictChunk | null>;
  /** Verdicts of opens and clicks handed out, in any batches; the store may buffer them until finish(). */
  write(rows: readonly VerdictRow[]): Promise<void>;
  /** Stores the verdicts and marks the snapshot's other events done. */
  finish(): Promise<void>;
  /** Releases the pass's work tables and connections; after a failure, stores nothing more. Idempotent. */
  close(): Promise<void>;
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

/** A backup a store made of itself (Store.backupTo). */
export interface StoreBackup {
  /** The schema version and number of events copied. */
  schemaVersion: number;
  events: number;
  /** The store file copied (its real path), so a copy asked of a server can be checked to be of the store meant. */
  source: string;
}

/** What a store's engine can do; the SQL side's capabilities are its dialect's layout (store-layout.ts). */
export interface StoreCapabilities {
  /**
   * How often and how much a background writer should ingest, when the engine has a preference
   * (ClickHouse: about one large insert per second per table); null: the writer's own defaults.
   */
  readonly ingestPacing: { batchRecords: number; intervalMs: number } | null;
  /**
   * The store answers several queries at once, each on its own connection (a server); false: one at a
   * time (an embedded connection). Reports then send their independent statements together.
   */
  readonly concurrentQueries: boolean;
  /**
   * The store's ingest sessions can read a validated JSON Lines file themselves (events/direct-load.ts:
   * DuckDB's parallel reader); false: files are streamed into sessions.
   */
  readonly readsJsonLines: boolean;
}

export interface Store {
  readonly kind: 'duckdb' | 'clickhouse';
  readonly dialect: SqlDialect;
  /** What the engine can do, as data: callers read these, never the engine's kind (Kysely's adapters). */
  readonly capabilities: StoreCapabilities;
  /** Starts an all-or-nothing ingest (one file, one API batch, one spool drain). */
  beginIngest(): Promise<IngestSession>;
  /** Runs a compiled, parameter-bound query; BIGINTs come back as numbers. */
  query(q: CompiledQuery): Promise<Row[]>;
  /** Stores verdicts and the classifier version that produced them (recomputable verdicts). */
  writeVerdicts(rows: readonly VerdictRow[], version: string): Promise<void>;
  /** Starts a bulk (re)classification; see VerdictPass. Used by classify/reclassify.ts. */
  beginVerdictPass(opts: VerdictPassOptions): Promise<VerdictPass>;
  /** Keeps the latest template of (campaign, step, variant), replacing an older one. */
  saveTemplate(t: TemplateRecord): Promise<void>;
  /** The campaign's templates without their HTML, to pick one. */
  listTemplates(campaign: string): Promise<Array<Omit<TemplateRecord, 'html'>>>;
  getTemplate(campaign: string, step: number | null, variant: string | null): Promise<TemplateRecord | null>;
  /** Replaces what a user said about a campaign (its kind: store/campaign-settings.ts). */
  setCampaignSettings(s: CampaignSettings): Promise<void>;
  /** What a user said about a campaign; null when nothing was ever set. */
  getCampaignSettings(campaign: string): Promise<CampaignSettings | null>;
  /**
   * Records links between mails and messages (store/mail-links.ts): a provider's Message-ID of a message,
   * a message's thread-subject hash. A link recorded before is kept once (webhook redeliveries).
   */
  recordMailLinks(links: readonly MailLink[]): Promise<void>;
  /** API keys live in the store, so every edge sharing a store accepts the same keys. */
  createApiKey(key: ApiKeyRecord): Promise<void>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when no active key has that id. */
  revokeApiKey(id: string, at: number): Promise<boolean>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  /**
   * Ends a dashboard session everywhere (http/session.ts: logout): its id is refused until `until`, the
   * session's own expiry, by every edge sharing the store, after restarts too. A revocation past its
   * `until` guards nothing and may be purged at any time.
   */
  revokeSession(id: string, until: number): Promise<void>;
  /** True when the session id was revoked and the revocation still runs at `now` (epoch ms). */
  isSessionRevoked(id: string, now: number): Promise<boolean>;
  /**
   * Address retention (docs/privacy.md): the addresses and user agents of classified opens and clicks
   * older than `before` (epoch ms) cut to their network and family (privacy-cut.ts); their verdicts are
   * kept and no later pass judges them again. Resolves to the events cut now (none twice).
   */
  cutAddresses(before: number): Promise<number>;
  /**
   * Erasure (docs/privacy.md): the recipient's id replaced on every event by erasedRecipient()'s
   * placeholder, the addresses and user agents of every event of its messages removed, and templates
   * naming it dropped, and the thread-subject hashes of its messages dropped; every count and verdict stays. Says what changed, table by table.
   */
  forgetRecipient(recipient: string): Promise<ErasureReport>;
  /**
   * A consistent copy of the whole store into `file`, a new file (DuckDB: safe while the store is in use);
   * resolves to the schema version copied. ClickHouse refuses: its own BACKUP tools do this (docs/privacy.md).
   */
  backupTo(file: string): Promise<StoreBackup>;
  close(): Promise<void>;
}
