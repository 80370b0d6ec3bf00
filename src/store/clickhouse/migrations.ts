// Versioned schema migrations of the ClickHouse store. Append new versions; never edit an applied one.
// DDL is idempotent (IF NOT EXISTS), so edges opening the store at once cannot break it: no DDL transactions.
// Layout choices follow the MergeTree docs: https://clickhouse.com/docs/en/engines/table-engines/mergetree-family/mergetree

export interface ClickHouseMigration {
  version: number;
  description: string;
  /** Tables on every shard (or the one server), named NAME_local when sharded. */
  shardTables: Array<{ name: string; columns: string; engine: string; shardingKey: string }>;
  /** Statements on the server clickrate talks to (metadata: keys, templates; data moved between tables). */
  coordinator: string[];
  /** Tables dropped last, on every shard too when sharded (a layout replaced by a newer table). */
  dropShardTables?: string[];
}

export const CLICKHOUSE_MIGRATIONS: readonly ClickHouseMigration[] = [
  {
    version: 1,
    description: 'events: every raw event, kept forever, sorted so one campaign is one key range',
    shardTables: [
      {
        name: 'events',
        // TRICKY: epoch-millisecond Int64 times, not DateTime64 (absent from 18.16) nor DateTime (seconds).
        // msg_campaign: the campaign of the event's message, filled at ingest (clickhouse-ingest.ts), so a
        // report reads one primary-key range instead of joining on message ids over the whole table.
        columns: `id String, type String, ts Int64, message Nullable(String), campaign Nullable(String),
          recipient Nullable(String), step Nullable(Int32), variant Nullable(String), segment Nullable(String),
          ad Nullable(String), url Nullable(String), ip Nullable(String), user_agent Nullable(String),
          method Nullable(String), value Nullable(Float64), msg_campaign String, ingested_at Int64`,
        // Monthly partitions (the docs' advice: coarse partitions, the sort key does the selecting). Nullable
        // columns cannot be sort keys before 20.x, hence ifNull. Sorting by message inside the campaign keeps
        // a message's events together for the per-message aggregation.
        engine: `MergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000))) ORDER BY (msg_campaign, ifNull(message, ''), ts)`,
        // One message's events on one shard.
        shardingKey: 'cityHash64(ifNull(message, id))',
      },
    ],
    coordinator: [],
  },
  {
    version: 2,
    description: 'verdicts: human/machine verdicts by event id, appended per reclassification; the latest wins',
    shardTables: [
      {
        name: 'verdicts',
        // Appending instead of ALTER UPDATE: mutations rewrite whole parts asynchronously (and 18.16 cannot
        // update key columns); queries take argMax(…, written_at), and ReplacingMergeTree drops superseded
        // rows as parts merge. reasons '' stands for NULL (argMax skips NULLs).
        columns: 'id String, machine UInt8, reasons String, classifier_version String, written_at UInt64',
        engine: 'ReplacingMergeTree(written_at) ORDER BY id',
        shardingKey: 'cityHash64(id)',
      },
    ],
    coordinator: [],
  },
  {
    version: 3,
    description: 'api_keys: API keys as SHA-256 hashes; a revocation is a newer row of the same id',
    shardTables: [],
    coordinator: [
      `CREATE TABLE IF NOT EXISTS api_keys (id String, name String, prefix String, hash String, created_at Int64,
        revoked_at Int64, updated_at UInt64) ENGINE = ReplacingMergeTree(updated_at) ORDER BY id`,
    ],
  },
  {
    version: 4,
    description: 'templates: the HTML of each campaign, step and variant as sent (step 0 / variant "" for none)',
    shardTables: [],
    coordinator: [
      `CREATE TABLE IF NOT EXISTS templates (campaign String, step Int32, variant String, html String, saved_at Int64,
        ver UInt64) ENGINE = ReplacingMergeTree(ver) ORDER BY (campaign, step, variant)`,
    ],
  },
  {
    version: 5,
    description: 'campaign_verdicts: verdicts sorted by the campaign of their event, so a report reads its own range',
    shardTables: [
      {
        name: 'campaign_verdicts',
        // TRICKY: `verdicts` was sorted by id alone, so every report scanned every verdict of every campaign
        // to join its own (2.5 s at 10M events, growing with the whole table rather than the campaign). The
        // event's msg_campaign leads the key here, as in `events`, so the join reads one key range.
        columns: 'msg_campaign String, id String, machine UInt8, reasons String, classifier_version String, written_at UInt64',
        engine: 'ReplacingMergeTree(written_at) ORDER BY (msg_campaign, id)',
        shardingKey: 'cityHash64(id)',
      },
    ],
    coordinator: [
      // The verdicts kept so far, each under its event's campaign (a verdict of no stored event has no use).
      `INSERT INTO campaign_verdicts (msg_campaign, id, machine, reasons, classifier_version, written_at)
        SELECT msg_campaign, id, machine, reasons, classifier_version, written_at
        FROM verdicts ALL INNER JOIN (SELECT id, msg_campaign FROM events) USING (id)`,
    ],
    dropShardTables: ['verdicts'],
  },
  {
    version: 6,
    description: 'revoked_sessions: dashboard sessions ended by logout, kept until the session would have expired',
    shardTables: [],
    coordinator: [
      // Partitioned by the month a revocation runs out, so whole past months are dropped at once (no TTL
      // before 19.6, and an ALTER DELETE would rewrite parts). The latest expires_at per id wins.
      `CREATE TABLE IF NOT EXISTS revoked_sessions (id String, expires_at Int64) ENGINE = ReplacingMergeTree(expires_at)
        PARTITION BY toYYYYMM(toDateTime(intDiv(expires_at, 1000))) ORDER BY id`,
    ],
  },
  {
    version: 7,
    description: 'campaign_settings: what a user said about a campaign (its kind of email); the latest row per campaign wins',
    shardTables: [],
    coordinator: [
      `CREATE TABLE IF NOT EXISTS campaign_settings (campaign String, kind String, updated_at Int64, ver UInt64)
        ENGINE = ReplacingMergeTree(ver) ORDER BY campaign`,
    ],
  },
  {
    version: 8,
    description: 'redacted_events: events that lost personal data (address retention, erasure); their verdicts are kept',
    shardTables: [
      {
        // Read GLOBAL by the verdict passes (clickhouse-verdicts.ts), which leave these events out: their cut
        // address and user agent could judge them otherwise (docs/privacy.md). Sharded like `events`, so each
        // shard's mutation finds the ids of its own events in its own table (clickhouse-erase.ts).
        name: 'redacted_events',
        columns: 'id String, message Nullable(String), redacted_at Int64',
        engine: 'ReplacingMergeTree(redacted_at) ORDER BY id',
        shardingKey: 'cityHash64(ifNull(message, id))',
      },
    ],
    coordinator: [],
  },
  {
    version: 10,
    description: 'message_mail_links: provider Message-IDs and thread-subject hashes of messages, for matching replies',
    shardTables: [],
    coordinator: [
      // One row per (kind, value, message); a redelivery writes it again and merges drop the copy. Readers
      // take DISTINCT rows, so an unmerged copy changes nothing.
      `CREATE TABLE IF NOT EXISTS message_mail_links (kind String, value String, message String, source String, recorded_at Int64)
        ENGINE = ReplacingMergeTree(recorded_at) ORDER BY (kind, value, message)`,
    ],
  },
];
