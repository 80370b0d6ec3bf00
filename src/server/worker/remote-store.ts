// The Store interface on the edge's thread, answered by the store worker: every method forwards by name
// with its arguments (structured clone); IngestSession and VerdictPass come back as handles.
import type { CampaignSettings } from '../../store/campaign-settings.js';
import type { CompiledQuery, SqlDialect } from '../../store/dialect.js';
import type { MailLink } from '../../store/mail-links.js';
import { ClickHouseDialect } from '../../store/clickhouse/dialect.js';
import { DuckDbDialect } from '../../store/duckdb/dialect.js';
import type { WorkerStoreCapabilities } from './protocol.js';
import type { ErasureReport } from '../../store/privacy-cut.js';
import type {
  ApiKeyRecord,
  IngestSession,
  Row,
  Store,
  StoreBackup,
  StoreCapabilities,
  TemplateRecord,
  VerdictChunk,
  VerdictGroup,
  VerdictPass,
  VerdictPassOptions,
  VerdictRow,
} from '../../store/store.js';

/** Sends method `m` of handle `h` (0: the store) with arguments `a` to the worker. */
export type RemoteCall = (h: number, m: string, a: unknown[]) => Promise<unknown>;

/** A pass's stand-in as store-client.ts makes it: its methods forward, `pending`/`events` are copied. */
interface RemotePass {
  pending: number;
  events: number;
  next(): Promise<RemoteChunk | null>;
  write(rows: readonly VerdictRow[]): Promise<void>;
  finish(): Promise<void>;
  close(): Promise<void>;
}

interface RemoteChunk {
  size: number;
  /** Forwarded: the worker iterates the chunk and sends its batches as an array. */
  batches(): Promise<Array<readonly VerdictGroup[]>>;
}

export class RemoteStore implements Store {
  readonly kind: 'duckdb' | 'clickhouse';
  /**
   * As the worker's store says (the API's queries are not queued behind its store jobs, so they overlap),
   * except that files are never read by the worker's store itself: they stream through this proxy.
   */
  readonly capabilities: StoreCapabilities;
  readonly dialect: SqlDialect;

  constructor(
    /** What the worker's store can do (its ready message). */
    caps: WorkerStoreCapabilities,
    private readonly call: RemoteCall,
    /** Ends the worker: a last classification pass, the store closed, the thread gone. */
    private readonly end: () => Promise<void>,
  ) {
    this.kind = caps.kind;
    this.capabilities = { ...caps.capabilities, readsJsonLines: false };
    // The dialect is code, not data: the same class as the worker's store, made here with its facts
    // setting, so reports read message_facts here exactly when they would there.
    this.dialect = caps.kind === 'duckdb' ? new DuckDbDialect(caps.messageFacts) : new ClickHouseDialect();
  }

  private fwd<T>(m: keyof Store, ...a: unknown[]): Promise<T> {
    return this.call(0, m, a) as Promise<T>;
  }

  beginIngest(): Promise<IngestSession> {
    return this.fwd('beginIngest');
  }

  query(q: CompiledQuery): Promise<Row[]> {
    return this.fwd('query', q);
  }

  writeVerdicts(rows: readonly VerdictRow[], version: string): Promise<void> {
    return this.fwd('writeVerdicts', rows, version);
  }

  /**
   * TRICKY: VerdictChunk.batches() is synchronous (an iterable decoded lazily in the worker), which no
   * message can be; so next() fetches the chunk's batches along with it and batches() hands them out.
   */
  async beginVerdictPass(opts: VerdictPassOptions): Promise<VerdictPass> {
    const remote = await this.fwd<RemotePass>('beginVerdictPass', opts);
    return {
      get pending() {
        return remote.pending;
      },
      get events() {
        return remote.events;
      },
      next: async (): Promise<VerdictChunk | null> => {
        const chunk = await remote.next();
        if (!chunk) return null;
        const batches = await chunk.batches();
        return { size: chunk.size, batches: () => batches };
      },
      write: (rows) => remote.write(rows),
      finish: () => remote.finish(),
      close: () => remote.close(),
    };
  }

  saveTemplate(t: TemplateRecord): Promise<void> {
    return this.fwd('saveTemplate', t);
  }

  listTemplates(campaign: string): Promise<Array<Omit<TemplateRecord, 'html'>>> {
    return this.fwd('listTemplates', campaign);
  }

  getTemplate(campaign: string, step: number | null, variant: string | null): Promise<TemplateRecord | null> {
    return this.fwd('getTemplate', campaign, step, variant);
  }

  setCampaignSettings(s: CampaignSettings): Promise<void> {
    return this.fwd('setCampaignSettings', s);
  }

  getCampaignSettings(campaign: string): Promise<CampaignSettings | null> {
    return this.fwd('getCampaignSettings', campaign);
  }

  recordMailLinks(links: readonly MailLink[]): Promise<void> {
    return this.fwd('recordMailLinks', links);
  }

  createApiKey(key: ApiKeyRecord): Promise<void> {
    return this.fwd('createApiKey', key);
  }

  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.fwd('listApiKeys');
  }

  revokeApiKey(id: string, at: number): Promise<boolean> {
    return this.fwd('revokeApiKey', id, at);
  }

  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.fwd('findApiKeyByHash', hash);
  }

  revokeSession(id: string, until: number): Promise<void> {
    return this.fwd('revokeSession', id, until);
  }

  isSessionRevoked(id: string, now: number): Promise<boolean> {
    return this.fwd('isSessionRevoked', id, now);
  }

  cutAddresses(before: number): Promise<number> {
    return this.fwd('cutAddresses', before);
  }

  forgetRecipient(recipient: string): Promise<ErasureReport> {
    return this.fwd('forgetRecipient', recipient);
  }

  backupTo(file: string): Promise<StoreBackup> {
    return this.fwd('backupTo', file);
  }

  /** Closes the worker's store and ends the worker (StoreWorker.stop). */
  close(): Promise<void> {
    return this.end();
  }
}
