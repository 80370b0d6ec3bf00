// The scale-out store: ClickHouse over HTTP (`--store clickhouse://HOST:PORT/DB`), one server or shards
// behind Distributed tables. Same Store interface and report SQL as DuckDB; see migrations.ts for layout.
import type { CampaignSettings } from '../campaign-settings.js';
import { ClickHouseCampaignSettings } from './clickhouse-campaign-settings.js';
import { randomBytes } from 'node:crypto';
import type { ClickHouseSettings } from '@clickhouse/client';
import { ClickrateError } from '../../errors.js';
import type { CompiledQuery } from '../dialect.js';
import type { StoreBackup } from '../store.js';
import type { ApiKeyRecord, IngestSession, Row, Store, StoreCapabilities, TemplateRecord, VerdictPass, VerdictPassOptions, VerdictRow } from '../store.js';
import { ClickHouseIngestSession, STAGE_PREFIX } from './clickhouse-ingest.js';
import { parseClickHouseUrl, type ClickHouseConfig } from './config.js';
import { ClickHouseConnection, storeError } from './connection.js';
import { ClickHouseDialect } from './dialect.js';
import { ClickHouseVerdictPass } from './clickhouse-verdicts.js';
import { ClickHouseErase } from './clickhouse-erase.js';
import { CLICKHOUSE_BACKUPS, type ErasureReport } from '../privacy-cut.js';
import { CLICKHOUSE_MIGRATIONS } from './migrations.js';
import { MAIL_LINKS_TABLE, type MailLink } from '../mail-links.js';

/** Staging tables older than this were abandoned by a crashed process and are dropped at open. */
const ABANDONED_MS = 24 * 3600_000;

export class ClickHouseStore implements Store {
  readonly kind = 'clickhouse' as const;
  readonly dialect = new ClickHouseDialect();
  readonly capabilities: StoreCapabilities = {
    // ClickHouse wants about one insert per second per table, of thousands of rows: the spool writer obliges.
    ingestPacing: { batchRecords: 50_000, intervalMs: 1000 },
    // A server: the client keeps a pool of HTTP connections, one query on each.
    concurrentQueries: true,
    readsJsonLines: false,
  };
  private commitChain: Promise<unknown> = Promise.resolve();
  private writes = 0;

  private constructor(
    private readonly conn: ClickHouseConnection,
    readonly config: ClickHouseConfig,
  ) {}

  static async open(address: string | ClickHouseConfig): Promise<ClickHouseStore> {
    const config = typeof address === 'string' ? parseClickHouseUrl(address) : address;
    // Sharded: IN/JOIN subqueries over Distributed tables run once on the initiator and ship their result
    // (GLOBAL), and inserts return once every shard has its rows, so a commit is visible when it returns.
    const settings: ClickHouseSettings = config.cluster ? { distributed_product_mode: 'global', insert_distributed_sync: 1 } : {};
    await ClickHouseStore.createDatabase(config);
    const conn = ClickHouseConnection.create(config.url, config.database, config.username, config.password, settings);
    try {
      await conn.probe();
      const store = new ClickHouseStore(conn, config);
      await store.migrate();
      await store.dropAbandonedStaging();
      return store;
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  private static async createDatabase(config: ClickHouseConfig): Promise<void> {
    for (const url of new Set([config.url, ...config.shards])) {
      const boot = ClickHouseConnection.create(url, 'default', config.username, config.password);
      try {
        await boot.command(`CREATE DATABASE IF NOT EXISTS ${config.database}`);
      } catch (err) {
        throw new ClickrateError('CR_ERR_STORE', `cannot reach ClickHouse at ${url}: ${(err as Error).message}`, { url }, { cause: err });
      } finally {
        await boot.close();
      }
    }
  }

  /** Applies every migration newer than the store's version; refuses a store from a newer build. */
  private async migrate(): Promise<void> {
    const { cluster, database } = this.config;
    await this.conn.command(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, description String, applied_at Int64) ENGINE = MergeTree ORDER BY version',
    );
    const [row] = await this.conn.query({ sql: 'SELECT max(version) AS v FROM schema_migrations', params: {} });
    const current = Number(row?.v ?? 0);
    const latest = CLICKHOUSE_MIGRATIONS.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new ClickrateError(
        'CR_ERR_MIGRATION',
        `ClickHouse database ${database} has schema version ${current}, newer than this build knows (${latest}); upgrade clickrate`,
      );
    }
    for (const m of CLICKHOUSE_MIGRATIONS) {
      if (m.version <= current) continue;
      try {
        for (const t of m.shardTables) {
          if (!cluster) {
            await this.conn.command(`CREATE TABLE IF NOT EXISTS ${t.name} (${t.columns}) ENGINE = ${t.engine}`);
            continue;
          }
          // No ZooKeeper, so no ON CLUSTER DDL: each shard gets its local table over its own connection.
          await this.onShards((shard) => shard.command(`CREATE TABLE IF NOT EXISTS ${t.name}_local (${t.columns}) ENGINE = ${t.engine}`));
          await this.conn.command(
            `CREATE TABLE IF NOT EXISTS ${t.name} (${t.columns}) ENGINE = Distributed(${cluster}, ${database}, ${t.name}_local, ${t.shardingKey})`,
          );
        }
        for (const stmt of m.coordinator) await this.conn.command(stmt);
        for (const name of m.dropShardTables ?? []) {
          await this.conn.command(`DROP TABLE IF EXISTS ${name}`);
          if (cluster) await this.onShards((shard) => shard.command(`DROP TABLE IF EXISTS ${name}_local`));
        }
        await this.conn.insert('schema_migrations', [{ version: m.version, description: m.description, applied_at: Date.now() }]);
      } catch (err) {
        throw new ClickrateError('CR_ERR_MIGRATION', `migration ${m.version} (${m.description}) failed: ${(err as Error).message}`, {}, { cause: err });
      }
    }
  }

  /** Runs fn on each shard over a connection of its own. */
  private async onShards(fn: (shard: ClickHouseConnection) => Promise<void>): Promise<void> {
    for (const url of this.config.shards) {
      const shard = ClickHouseConnection.create(url, this.config.database, this.config.username, this.config.password);
      try {
        await fn(shard);
      } finally {
        await shard.close();
      }
    }
  }

  private async dropAbandonedStaging(): Promise<void> {
    const rows = await this.conn.query({
      sql: `SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '${STAGE_PREFIX}')`,
      params: {},
    });
    for (const r of rows) {
      const name = String(r.name);
      const born = Number(name.slice(STAGE_PREFIX.length).split('_')[0]);
      // The name was generated by clickrate (prefix, digits, hex): safe to place in DDL text.
      if (/^[a-z0-9_]+$/.test(name) && born > 0 && Date.now() - born > ABANDONED_MS) await this.conn.command(`DROP TABLE IF EXISTS ${name}`);
    }
  }

  async beginIngest(): Promise<IngestSession> {
    return new ClickHouseIngestSession(this.conn, (fn) => this.serialize(fn));
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.commitChain.then(fn, fn);
    this.commitChain = run.catch(() => undefined);
    return run;
  }

  query(q: CompiledQuery): Promise<Row[]> {
    return this.conn.query(q);
  }

  /**
   * Appends verdicts; the latest written_at per id wins in every query. Each goes under its event's
   * msg_campaign (campaign_verdicts' sort key), read from the stored events through a staging table
   * (18.16 has no input()); a verdict for an id that is not stored is dropped, as it could never be read.
   */
  async writeVerdicts(rows: readonly VerdictRow[], version: string): Promise<void> {
    if (rows.length === 0) return;
    const at = this.stamp();
    const stage = `${STAGE_PREFIX}${Date.now()}_${randomBytes(6).toString('hex')}_wv`;
    await this.conn.command(`CREATE TABLE ${stage} (id String, machine UInt8, reasons String, classifier_version String, written_at UInt64) ENGINE = Log`);
    try {
      await this.conn.insert(
        stage,
        rows.map((r) => ({ id: r.id, machine: r.machine ? 1 : 0, reasons: r.reasons ?? '', classifier_version: version, written_at: at })),
      );
      await this.conn.command(`INSERT INTO campaign_verdicts (msg_campaign, id, machine, reasons, classifier_version, written_at)
        SELECT msg_campaign, id, machine, reasons, classifier_version, written_at FROM ${stage}
        ALL INNER JOIN (SELECT id, msg_campaign FROM events WHERE id GLOBAL IN (SELECT id FROM ${stage})) USING (id)`);
    } finally {
      await this.conn.command(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
    }
  }

  beginVerdictPass(opts: VerdictPassOptions): Promise<VerdictPass> {
    return ClickHouseVerdictPass.begin(this.conn, () => this.stamp(), opts);
  }

  /** Microseconds since the epoch, strictly increasing within this process (a later write always wins). */
  private stamp(): number {
    this.writes = Math.max(this.writes + 1, Date.now() * 1000);
    return this.writes;
  }

  async saveTemplate(t: TemplateRecord): Promise<void> {
    await this.conn.insert('templates', [
      { campaign: t.campaign, step: t.step ?? 0, variant: t.variant ?? '', html: t.html, saved_at: t.saved_at, ver: this.stamp() },
    ]);
  }

  private latestTemplates(where: string): string {
    return `SELECT campaign, step, variant, argMax(html, ver) AS t_html, argMax(saved_at, ver) AS t_saved FROM templates WHERE ${where} GROUP BY campaign, step, variant`;
  }

  async listTemplates(campaign: string): Promise<Array<Omit<TemplateRecord, 'html'>>> {
    const rows = await this.query({
      sql: `SELECT campaign, step, variant, t_saved FROM (${this.latestTemplates('campaign = {c:String}')}) ORDER BY step, variant`,
      params: { c: { value: campaign, type: 'String' } },
    });
    return rows.map((r) => ({
      campaign: String(r.campaign),
      step: Number(r.step) || null,
      variant: r.variant ? String(r.variant) : null,
      saved_at: Number(r.t_saved),
    }));
  }

  async getTemplate(campaign: string, step: number | null, variant: string | null): Promise<TemplateRecord | null> {
    const rows = await this.query({
      sql: this.latestTemplates('campaign = {c:String} AND step = {s:Int64} AND variant = {v:String}'),
      params: { c: { value: campaign, type: 'String' }, s: { value: step ?? 0, type: 'Int64' }, v: { value: variant ?? '', type: 'String' } },
    });
    const r = rows[0];
    return r ? { campaign, step, variant, html: String(r.t_html), saved_at: Number(r.t_saved) } : null;
  }

  private readonly settings = new ClickHouseCampaignSettings(
    (q) => this.query(q),
    (table, rows) => this.conn.insert(table, rows),
    () => this.stamp(),
  );

  setCampaignSettings(s: CampaignSettings): Promise<void> {
    return this.settings.set(s);
  }

  getCampaignSettings(campaign: string): Promise<CampaignSettings | null> {
    return this.settings.get(campaign);
  }

  async recordMailLinks(links: readonly MailLink[]): Promise<void> {
    if (links.length === 0) return;
    const rows = links.map((l) => ({ kind: l.kind, value: l.value, message: l.message, source: l.source, recorded_at: l.at }));
    await this.conn.insert(MAIL_LINKS_TABLE, rows);
  }

  async createApiKey(k: ApiKeyRecord): Promise<void> {
    await this.conn.insert('api_keys', [{ ...k, revoked_at: k.revoked_at ?? 0, updated_at: this.stamp() }]);
  }

  private async keys(where: string, params: CompiledQuery['params']): Promise<ApiKeyRecord[]> {
    const rows = await this.query({
      sql: `SELECT id, k_name, k_prefix, k_hash, k_created, k_revoked FROM (
          SELECT id, argMax(name, updated_at) AS k_name, argMax(prefix, updated_at) AS k_prefix, argMax(hash, updated_at) AS k_hash,
            argMax(created_at, updated_at) AS k_created, argMax(revoked_at, updated_at) AS k_revoked
          FROM api_keys GROUP BY id) WHERE ${where} ORDER BY k_created, id`,
      params,
    });
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.k_name),
      prefix: String(r.k_prefix),
      hash: String(r.k_hash),
      created_at: Number(r.k_created),
      revoked_at: Number(r.k_revoked) === 0 ? null : Number(r.k_revoked),
    }));
  }

  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.keys('1', {});
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    const [k] = await this.keys('id = {id:String} AND k_revoked = 0', { id: { value: id, type: 'String' } });
    if (!k) return false;
    await this.conn.insert('api_keys', [{ ...k, revoked_at: at, updated_at: this.stamp() }]);
    return true;
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const [k] = await this.keys('k_hash = {h:String}', { h: { value: hash, type: 'String' } });
    return k ?? null;
  }

  async revokeSession(id: string, until: number): Promise<void> {
    await this.conn.insert('revoked_sessions', [{ id, expires_at: until }]);
    await this.dropExpiredRevocations();
  }

  /**
   * Drops the months of revocations that have all run out. TRICKY: a partition's month is in the server's
   * time zone, so "the current month" is asked of the server too; were it taken in UTC here, a server
   * west of UTC could lose revocations a few hours early at the turn of a month.
   */
  private async dropExpiredRevocations(): Promise<void> {
    const rows = await this.query({
      sql: `SELECT DISTINCT partition FROM system.parts WHERE database = currentDatabase() AND table = 'revoked_sessions' AND active
        AND toUInt32(partition) < toYYYYMM(toDateTime(intDiv({now:Int64}, 1000)))`,
      params: { now: { value: Date.now(), type: 'Int64' } },
    });
    for (const r of rows) {
      // A partition id of this table is a YYYYMM number: checked, then safe to place in DDL text.
      const month = String(r.partition);
      if (/^\d{6}$/.test(month)) await this.conn.command(`ALTER TABLE revoked_sessions DROP PARTITION ${month}`);
    }
  }

  async isSessionRevoked(id: string, now: number): Promise<boolean> {
    const [row] = await this.query({
      sql: 'SELECT count() AS n FROM revoked_sessions WHERE id = {id:String} AND expires_at > {now:Int64}',
      params: { id: { value: id, type: 'String' }, now: { value: now, type: 'Int64' } },
    });
    return Number(row?.n ?? 0) > 0;
  }

  /** Serialized with commits: a mutation never starts while this process's own insert is half done. */
  cutAddresses(before: number): Promise<number> {
    return this.serialize(() => new ClickHouseErase(this.conn, this.config).cutAddresses(before, Date.now()));
  }

  forgetRecipient(recipient: string): Promise<ErasureReport> {
    return this.serialize(() => new ClickHouseErase(this.conn, this.config).forgetRecipient(recipient, Date.now()));
  }

  backupTo(_file: string): Promise<StoreBackup> {
    return Promise.reject(new ClickrateError('CR_ERR_CONFIG', CLICKHOUSE_BACKUPS));
  }

  async close(): Promise<void> {
    await this.commitChain;
    await this.conn.close().catch((err: unknown) => {
      throw storeError('close failed', err);
    });
  }
}

export function openClickHouseStore(address: string | ClickHouseConfig): Promise<ClickHouseStore> {
  return ClickHouseStore.open(address);
}
