// The DuckDB store's small tables, read and written on its query connection: message templates, API
// keys (hashes only) and revoked dashboard sessions. Events and verdicts are duckdb-store.ts's.
import type { DuckDBValue } from '@duckdb/node-api';
import type { CompiledQuery } from '../dialect.js';
import type { ApiKeyRecord, Row, TemplateRecord } from '../store.js';

/** Runs a statement that changes the file; resolves to the rows it changed. */
export type MetadataWrite = (sql: string, values: Record<string, DuckDBValue>) => Promise<number>;

export class DuckDbMetadata {
  constructor(
    private readonly query: (q: CompiledQuery) => Promise<Row[]>,
    private readonly write: MetadataWrite,
  ) {}

  async saveTemplate(t: TemplateRecord): Promise<void> {
    await this.write('INSERT OR REPLACE INTO templates VALUES ($campaign, $step, $variant, $html, $saved)', {
      campaign: t.campaign,
      step: t.step ?? 0,
      variant: t.variant ?? '',
      html: t.html,
      saved: BigInt(t.saved_at),
    });
  }

  async listTemplates(campaign: string): Promise<Array<Omit<TemplateRecord, 'html'>>> {
    const rows = await this.query({
      sql: 'SELECT campaign, step, variant, saved_at FROM templates WHERE campaign = $c ORDER BY step, variant',
      params: { c: { value: campaign, type: 'String' } },
    });
    return rows.map((r) => ({
      campaign: String(r.campaign),
      step: Number(r.step) || null,
      variant: r.variant ? String(r.variant) : null,
      saved_at: Number(r.saved_at),
    }));
  }

  async getTemplate(campaign: string, step: number | null, variant: string | null): Promise<TemplateRecord | null> {
    const rows = await this.query({
      sql: 'SELECT html, saved_at FROM templates WHERE campaign = $c AND step = $s AND variant = $v',
      params: { c: { value: campaign, type: 'String' }, s: { value: step ?? 0, type: 'Int64' }, v: { value: variant ?? '', type: 'String' } },
    });
    const r = rows[0];
    return r ? { campaign, step, variant, html: String(r.html), saved_at: Number(r.saved_at) } : null;
  }

  async createApiKey(k: ApiKeyRecord): Promise<void> {
    await this.write('INSERT INTO api_keys VALUES ($id, $name, $prefix, $hash, $created, NULL)', {
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      hash: k.hash,
      created: BigInt(k.created_at),
    });
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows = await this.query({ sql: 'SELECT * FROM api_keys ORDER BY created_at, id', params: {} });
    return rows.map(toApiKey);
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    return (await this.write('UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL', { id, at: BigInt(at) })) > 0;
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const rows = await this.query({ sql: 'SELECT * FROM api_keys WHERE hash = $h', params: { h: { value: hash, type: 'String' } } });
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async revokeSession(id: string, until: number): Promise<void> {
    // Revocations whose session has expired guard nothing any more: purged here, so the table stays small.
    await this.write('DELETE FROM revoked_sessions WHERE expires_at <= $now', { now: BigInt(Date.now()) });
    await this.write(
      'INSERT INTO revoked_sessions VALUES ($id, $until) ON CONFLICT (id) DO UPDATE SET expires_at = greatest(revoked_sessions.expires_at, excluded.expires_at)',
      { id, until: BigInt(until) },
    );
  }

  async isSessionRevoked(id: string, now: number): Promise<boolean> {
    const rows = await this.query({
      sql: 'SELECT 1 AS revoked FROM revoked_sessions WHERE id = $id AND expires_at > $now',
      params: { id: { value: id, type: 'String' }, now: { value: now, type: 'Int64' } },
    });
    return rows.length > 0;
  }
}

function toApiKey(r: Row): ApiKeyRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    prefix: String(r.prefix),
    hash: String(r.hash),
    created_at: Number(r.created_at),
    revoked_at: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}
