// The embedded store: one DuckDB file (SPEC.md: `./clickrate.duckdb`, `--db` or `CLICKRATE_DB`).
// Opens the file, applies migrations, serializes ingest sessions and runs bound queries. Its files are
// owner-only (owner-only.ts).
import { realpathSync } from 'node:fs';
import type { CampaignSettings } from '../campaign-settings.js';
import { DuckDbCampaignSettings } from './duckdb-campaign-settings.js';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { BIGINT, DOUBLE, VARCHAR } from '@duckdb/node-api';
import { ClickrateError } from '../../errors.js';
import type { CompiledQuery } from '../dialect.js';
import type { StoreBackup } from '../store.js';
import type { ApiKeyRecord, IngestSession, Row, Store, StoreCapabilities, TemplateRecord, VerdictPass, VerdictPassOptions, VerdictRow } from '../store.js';
import { DuckDbDialect } from './dialect.js';
import { DuckDbIngestSession } from './duckdb-ingest.js';
import { DuckDbVerdictPass } from './duckdb-verdicts.js';
import { markDirty, refreshFacts } from './message-facts.js';
import { DuckDbMetadata } from './duckdb-metadata.js';
import { backupDuckDb } from './duckdb-backup.js';
import { cutDuckDbAddresses, forgetDuckDbRecipient } from './duckdb-erase.js';
import type { ErasureReport } from '../privacy-cut.js';
import { DUCKDB_MIGRATIONS } from './migrations.js';
import { MAIL_LINKS_PER_WRITE, mailLinksInsert } from './duckdb-mail-links.js';
import type { MailLink } from '../mail-links.js';
import { existingFiles, keepWalOwnerOnly, tightenAtOpen } from './owner-only.js';

export interface DuckDbStoreOptions {
  /** DuckDB's memory_limit, e.g. '512MB'. Larger work spills to disk beside the file. */
  memoryLimit?: string;
  threads?: number;
  readOnly?: boolean;
  /** False: reports group events and never read message_facts (tests compare both ways). Default true. */
  messageFacts?: boolean;
  /** Where a warning for the operator goes (a store file was readable by others); default process.emitWarning. */
  warn?: (message: string) => void;
}

/** See open(). Files created by older builds keep v0.10.2 until `clickrate` copies them (not done yet). */
const STORAGE_VERSION = 'v1.5.0';

/** The schema version that added message_facts (migrations.ts). */
const FACTS_VERSION = 5;

const PARAM_TYPES = { String: VARCHAR, Int64: BIGINT, Float64: DOUBLE } as const;

export class DuckDbStore implements Store {
  readonly kind = 'duckdb' as const;
  /** One embedded connection answers one statement at a time; its ingest sessions read files themselves. */
  readonly capabilities: StoreCapabilities = { ingestPacing: null, concurrentQueries: false, readsJsonLines: true };
  private ingestQueue: Promise<void> = Promise.resolve();
  private ingestConn: DuckDBConnection | null = null;
  private readonly meta = new DuckDbMetadata(
    (q) => this.query(q),
    (sql, values) => this.write(sql, values),
  );
  private readonly settings = new DuckDbCampaignSettings(
    (q) => this.query(q),
    (sql, values) => this.write(sql, values),
  );

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly path: string,
    readonly dialect: DuckDbDialect,
    private readonly warn: (message: string) => void,
  ) {}

  static async open(path: string, opts: DuckDbStoreOptions = {}): Promise<DuckDbStore> {
    const config: Record<string, string> = {
      threads: String(opts.threads ?? 2),
      // Inserts need not keep file order; dropping it lets DuckDB stream large inserts in less memory.
      preserve_insertion_order: 'false',
      // The storage format of a file created now (a file keeps the format it was created in, whatever
      // later opens say). DuckDB's default stays readable by DuckDB 0.10.2 and so forgoes its newer
      // compression, DICT_FSST above all; 1.5.0's format is what this build's DuckDB writes natively.
      storage_compatibility_version: STORAGE_VERSION,
    };
    if (opts.memoryLimit) config.memory_limit = opts.memoryLimit;
    if (opts.readOnly) config.access_mode = 'READ_ONLY';
    const warn = opts.warn ?? ((m: string) => process.emitWarning(m, { code: 'CR_WARN_FILE_MODE' }));
    const existed = existingFiles(path);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      const msg = (err as Error).message;
      const hint = /lock/i.test(msg) ? ' (is another clickrate process, such as `clickrate serve`, using this file? Use its HTTP API or stop it)' : '';
      throw new ClickrateError('CR_ERR_STORE', `cannot open DuckDB file ${path}: ${msg}${hint}`, { path }, { cause: err });
    }
    tightenAtOpen(path, existed, warn);
    const conn = await instance.connect();
    // A file opened read-only is not migrated: its reports read facts only if it already has them.
    const facts = opts.messageFacts !== false && (!opts.readOnly || (await schemaVersion(conn)) >= FACTS_VERSION);
    const store = new DuckDbStore(instance, conn, path, new DuckDbDialect(facts), warn);
    if (!opts.readOnly) await store.migrate();
    store.keepOwnerOnly();
    return store;
  }

  /** Applies every migration newer than the file's version; refuses a file from a newer build. */
  private async migrate(): Promise<void> {
    await this.conn.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR, applied_at BIGINT)');
    const current = await schemaVersion(this.conn);
    const latest = DUCKDB_MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new ClickrateError(
        'CR_ERR_MIGRATION',
        `database ${this.path} has schema version ${current}, newer than this build knows (${latest}); upgrade clickrate`,
      );
    }
    for (const m of DUCKDB_MIGRATIONS) {
      if (m.version <= current) continue;
      try {
        await this.conn.run('BEGIN TRANSACTION');
        for (const stmt of m.sql) await this.conn.run(stmt);
        await this.conn.run('INSERT INTO schema_migrations VALUES ($v, $d, $t)', { v: m.version, d: m.description, t: Date.now() });
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw new ClickrateError('CR_ERR_MIGRATION', `migration ${m.version} (${m.description}) failed: ${(err as Error).message}`, {}, { cause: err });
      }
    }
    // Built from the events already stored after migration 5, or brought up to date if an earlier
    // open or pass could not (in parts: see message-facts.ts); nothing to do when they are current.
    // TRICKY: a build that fails must not make the file unopenable: reports build what the stored facts
    // lack from the events themselves, and the next classification pass tries the refresh again.
    try {
      await refreshFacts(this.conn);
    } catch (err) {
      this.warn(`the per-message facts could not be brought up to date (${(err as Error).message}); reports read the events meanwhile`);
    }
  }

  /**
   * Changes DuckDB's memory_limit for what follows (an instance setting, seen by every connection), as
   * `import` does between streaming its files (256 MB) and classifying them (1 GB). `limit` is checked
   * to be a plain size here, since a SET takes no bound parameter.
   */
  async setMemoryLimit(limit: string): Promise<void> {
    if (!/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i.test(limit)) throw new ClickrateError('CR_ERR_CONFIG', `not a memory size: '${limit}' (say 512MB or 1GB)`);
    await this.conn.run(`SET memory_limit = '${limit}'`);
  }

  async beginIngest(): Promise<IngestSession> {
    // One ingest at a time: sessions queue behind each other instead of interleaving transactions.
    const { conn, release } = await this.exclusive();
    try {
      return await DuckDbIngestSession.begin(conn, release);
    } catch (err) {
      release();
      throw new ClickrateError('CR_ERR_STORE', `cannot start an ingest: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  async query(q: CompiledQuery): Promise<Row[]> {
    const values: Record<string, DuckDBValue> = {};
    const types: Record<string, (typeof PARAM_TYPES)[keyof typeof PARAM_TYPES]> = {};
    for (const [name, p] of Object.entries(q.params)) {
      values[name] = p.type === 'Int64' ? BigInt(p.value) : p.value;
      types[name] = PARAM_TYPES[p.type];
    }
    try {
      const reader = await this.conn.runAndReadAll(q.sql, values, types);
      return toRows(reader.columnNames(), reader.getColumnsJS(), reader.currentRowCount);
    } catch (err) {
      throw new ClickrateError('CR_ERR_STORE', `query failed: ${(err as Error).message}`, {}, { cause: err });
    }
  }

  async writeVerdicts(rows: readonly VerdictRow[], version: string): Promise<void> {
    if (rows.length === 0) return;
    // On the ingest connection and behind its queue: verdicts and inserts never interleave transactions.
    const session = await this.exclusive();
    const conn = session.conn;
    try {
      await conn.run('CREATE OR REPLACE TEMP TABLE verdict_rows (id VARCHAR, machine BOOLEAN, reasons VARCHAR)');
      const a = await conn.createAppender('verdict_rows', 'main', 'temp');
      for (const r of rows) {
        a.appendVarchar(r.id);
        a.appendBoolean(r.machine);
        if (r.reasons === null) a.appendNull();
        else a.appendVarchar(r.reasons);
        a.endRow();
      }
      a.closeSync();
      await conn.run('BEGIN TRANSACTION');
      try {
        await conn.run(
          markDirty('FROM events, temp.verdict_rows v WHERE events.id = v.id AND (events.machine <> v.machine OR events.reasons IS DISTINCT FROM v.reasons)'),
        );
        await conn.run(
          'UPDATE events SET machine = v.machine, reasons = v.reasons, classifier_version = $version FROM temp.verdict_rows v WHERE events.id = v.id',
          { version },
        );
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      await conn.run('DROP TABLE temp.verdict_rows');
      await refreshFacts(conn);
    } catch (err) {
      throw new ClickrateError('CR_ERR_STORE', `could not store verdicts: ${(err as Error).message}`, {}, { cause: err });
    } finally {
      session.release();
    }
  }

  beginVerdictPass(opts: VerdictPassOptions): Promise<VerdictPass> {
    // The pass reads and writes on connections of its own; it takes the ingest queue only around each
    // write, so verdict updates never interleave with an ingest transaction.
    // finish() also refreshes message_facts (message-facts.ts), under the queue like the writes.
    return DuckDbVerdictPass.begin(this.instance, async () => (await this.exclusive()).release, opts);
  }

  /** Waits for the ingest queue and holds it; the caller must call release(). */
  private async exclusive(): Promise<{ conn: DuckDBConnection; release: () => void }> {
    let release!: () => void;
    const turn = new Promise<void>((r) => (release = r));
    const previous = this.ingestQueue;
    this.ingestQueue = previous.then(() => turn);
    await previous;
    try {
      this.ingestConn ??= await this.instance.connect();
    } catch (err) {
      release();
      throw err;
    }
    // Every ingest, verdict write and verdict pass step ends here: the WAL it may have made goes owner-only.
    return {
      conn: this.ingestConn,
      release: () => {
        this.keepOwnerOnly();
        release();
      },
    };
  }

  /** After every write: the WAL it may have made goes owner-only (owner-only.ts, keepWalOwnerOnly). */
  private keepOwnerOnly(): void {
    keepWalOwnerOnly(this.path, this.warn);
  }

  /** A write on the query connection (the small tables), its WAL then made owner-only. */
  private async write(sql: string, values: Record<string, DuckDBValue>): Promise<number> {
    const res = await this.conn.run(sql, values);
    this.keepOwnerOnly();
    return Number(res.rowsChanged);
  }

  saveTemplate(t: TemplateRecord): Promise<void> {
    return this.meta.saveTemplate(t);
  }

  listTemplates(campaign: string): Promise<Array<Omit<TemplateRecord, 'html'>>> {
    return this.meta.listTemplates(campaign);
  }

  getTemplate(campaign: string, step: number | null, variant: string | null): Promise<TemplateRecord | null> {
    return this.meta.getTemplate(campaign, step, variant);
  }

  setCampaignSettings(s: CampaignSettings): Promise<void> {
    return this.settings.set(s);
  }

  getCampaignSettings(campaign: string): Promise<CampaignSettings | null> {
    return this.settings.get(campaign);
  }

  async recordMailLinks(links: readonly MailLink[]): Promise<void> {
    for (let i = 0; i < links.length; i += MAIL_LINKS_PER_WRITE) {
      const { sql, values } = mailLinksInsert(links.slice(i, i + MAIL_LINKS_PER_WRITE));
      await this.write(sql, values);
    }
  }

  createApiKey(k: ApiKeyRecord): Promise<void> {
    return this.meta.createApiKey(k);
  }

  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.meta.listApiKeys();
  }

  revokeApiKey(id: string, at: number): Promise<boolean> {
    return this.meta.revokeApiKey(id, at);
  }

  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.meta.findApiKeyByHash(hash);
  }

  revokeSession(id: string, until: number): Promise<void> {
    return this.meta.revokeSession(id, until);
  }

  isSessionRevoked(id: string, now: number): Promise<boolean> {
    return this.meta.isSessionRevoked(id, now);
  }

  cutAddresses(before: number): Promise<number> {
    return this.underQueue('could not cut old addresses', (conn) => cutDuckDbAddresses(conn, before, Date.now()));
  }

  forgetRecipient(recipient: string): Promise<ErasureReport> {
    return this.underQueue('could not erase the recipient', (conn) => forgetDuckDbRecipient(conn, recipient, Date.now()));
  }

  /** Under the write queue: no ingest or verdict write is half done in the copy. */
  backupTo(file: string): Promise<StoreBackup> {
    return this.underQueue('could not back up the store', async (conn) => ({
      ...(await backupDuckDb(conn, file, STORAGE_VERSION)),
      source: realpathSync(this.path),
    }));
  }

  /** Runs fn on the write connection, holding the write queue; a failure becomes a CR_ERR_STORE naming `what`. */
  private async underQueue<T>(what: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const { conn, release } = await this.exclusive();
    try {
      return await fn(conn);
    } catch (err) {
      if (err instanceof ClickrateError) throw err;
      throw new ClickrateError('CR_ERR_STORE', `${what}: ${(err as Error).message}`, {}, { cause: err });
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    await this.ingestQueue;
    this.ingestConn?.closeSync();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** The file's schema version (0: none applied, or no schema_migrations table yet). */
async function schemaVersion(conn: DuckDBConnection): Promise<number> {
  try {
    const rows = (await conn.runAndReadAll('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).getRowObjectsJS();
    return Number(rows[0]?.v ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Rows from columns, assembled here: about 15% faster than the reader's own row objects on the
 * classifier's wide reads (measured on 1M events). Converting values to JavaScript is still ~0.5 µs
 * each; see BENCHMARKS.md on classification.
 */
function toRows(names: string[], columns: unknown[][], count: number): Row[] {
  const rows = new Array<Row>(count);
  for (let i = 0; i < count; i++) {
    const row: Row = {};
    for (let j = 0; j < names.length; j++) {
      const v = columns[j]![i];
      row[names[j]!] =
        typeof v === 'bigint' ? Number(v) : v === null || v === undefined ? null : typeof v === 'object' ? String(v) : (v as string | number | boolean);
    }
    rows[i] = row;
  }
  return rows;
}

export function openDuckDbStore(path: string, opts?: DuckDbStoreOptions): Promise<DuckDbStore> {
  return DuckDbStore.open(path, opts);
}
