// Versioned schema migrations of the DuckDB store. Append new versions; never edit an applied one.
// Each migration runs in its own transaction together with its row in schema_migrations.
import { FACTS_DDL } from './message-facts.js';

export interface Migration {
  version: number;
  description: string;
  sql: string[];
}

/** A CREATE TABLE statement with more columns at its end (the statement is a migration's: frozen). */
function withColumns(create: string, columns: readonly string[]): string {
  const end = create.lastIndexOf(')');
  if (end < 0) throw new Error('withColumns: not a CREATE TABLE statement');
  return `${create.slice(0, end).trimEnd()},\n    ${columns.join(',\n    ')}\n  )`;
}

export const DUCKDB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events: every raw event, kept forever, with its current human/machine verdict',
    sql: [
      // TRICKY: no PRIMARY KEY on id. DuckDB keeps an ART index in memory for it, which at tens of
      // millions of ids costs more memory than the whole import budget; ids are deduplicated by an
      // anti-join at commit time instead (see duckdb-ingest.ts).
      `CREATE TABLE events (
        id VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        ts BIGINT NOT NULL,
        message VARCHAR,
        campaign VARCHAR,
        recipient VARCHAR,
        step INTEGER,
        variant VARCHAR,
        segment VARCHAR,
        ad VARCHAR,
        url VARCHAR,
        ip VARCHAR,
        user_agent VARCHAR,
        method VARCHAR,
        value DOUBLE,
        machine BOOLEAN NOT NULL DEFAULT false,
        reasons VARCHAR,
        ingested_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    description: 'api_keys: API keys, stored as SHA-256 hashes only (the key itself is shown once)',
    sql: [
      `CREATE TABLE api_keys (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        prefix VARCHAR NOT NULL,
        hash VARCHAR NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
      )`,
    ],
  },
  {
    version: 3,
    description: 'events.classifier_version: which rules produced the stored verdict (NULL: not yet classified)',
    sql: ['ALTER TABLE events ADD COLUMN classifier_version VARCHAR'],
  },
  {
    version: 4,
    description: 'templates: the HTML of each campaign, step and variant as sent, for the click map',
    sql: [
      // TRICKY: step 0 and variant '' stand for "none": key columns of a primary key cannot be NULL.
      `CREATE TABLE templates (
        campaign VARCHAR NOT NULL,
        step INTEGER NOT NULL,
        variant VARCHAR NOT NULL,
        html VARCHAR NOT NULL,
        saved_at BIGINT NOT NULL,
        PRIMARY KEY (campaign, step, variant)
      )`,
    ],
  },
  {
    version: 5,
    description: 'message_facts: one row per campaign and message (send, bounce, labels, engagement lists) for reports',
    // Empty, marked as reflecting nothing: reports build every message's facts on the spot (exact, as
    // slow as before) until the store's open() refreshes them, right after migrating (duckdb-store.ts).
    sql: FACTS_DDL,
  },
  {
    version: 6,
    description: 'revoked_sessions: dashboard sessions ended by logout, kept until the session would have expired',
    // Every edge sharing the file refuses a revoked session, also after a restart (src/http/session.ts).
    sql: ['CREATE TABLE revoked_sessions (id VARCHAR PRIMARY KEY, expires_at BIGINT NOT NULL)'],
  },
  {
    version: 7,
    description: 'campaign_settings: what a user said about a campaign (its kind of email, for the benchmark ranges)',
    sql: ['CREATE TABLE campaign_settings (campaign VARCHAR PRIMARY KEY, kind VARCHAR, updated_at BIGINT NOT NULL)'],
  },
  {
    version: 8,
    description: 'events.redacted_at: when an event lost personal data (address retention, erasure); its verdict is then kept',
    // Set by duckdb-erase.ts; verdict passes leave such events out (duckdb-verdicts.ts), since their cut
    // address and user agent could judge them otherwise (docs/privacy.md).
    sql: ['ALTER TABLE events ADD COLUMN IF NOT EXISTS redacted_at BIGINT'],
  },
  {
    version: 9,
    description: 'message_facts: auto-replies and opt-out replies apart from replies (mail read from a mailbox)',
    // `replies` now keeps people's replies only (store/message-grain.ts), so every stored row is rebuilt:
    // the table is made again with the new lists, and the refresh that follows the migration builds it
    // (the mark at 0 makes every event new to it). TRICKY: not ALTER TABLE … ADD COLUMN then DELETE: DuckDB
    // refuses to commit a transaction that alters a table and then changes its rows.
    sql: [
      'DROP TABLE message_facts',
      withColumns(FACTS_DDL[0] ?? '', [
        'auto_replies BIGINT[] NOT NULL',
        'opt_out_replies BIGINT[] NOT NULL',
        'auto_reply_n BIGINT NOT NULL',
        'opt_out_reply_n BIGINT NOT NULL',
      ]),
      'DELETE FROM message_facts_dirty',
      'UPDATE message_facts_state SET through = 0',
    ],
  },
  {
    version: 10,
    description: 'message_mail_links: provider Message-IDs and thread-subject hashes of messages, for matching replies',
    // TRICKY: no PRIMARY KEY: DuckDB keeps an ART index of it in memory, one entry per message here; rows
    // are deduplicated by the anti-join that writes them (duckdb-mail-links.ts), as events are.
    sql: [
      `CREATE TABLE message_mail_links (
        kind VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        message VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        recorded_at BIGINT NOT NULL
      )`,
    ],
  },
];
