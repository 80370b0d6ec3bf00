// The per-message facts of the DuckDB store: one row per campaign and message with its send
// time, bounce flag, labels and its engagement events as lists, so a report reads a row per message
// instead of grouping every event. How the table is built, read up to date, and brought up to date.
import type { DuckDBConnection } from '@duckdb/node-api';
import { BIGINT, VARCHAR } from '@duckdb/node-api';
import { SqlDialect } from '../dialect.js';
import { collectedEvent, linksOf, listRevenue, pickList, URL_LISTS } from '../facts-lists.js';
import { aliased, labelAggregates, sendAttributes } from '../grain-aggregates.js';
import { CLAIM_TYPES, ENGAGEMENTS, LABELS, notForeignSent, REVENUE, sqlList, typeList } from '../message-grain.js';
import { CLAIM, OWNER } from '../message-owner.js';
import { memoryLimitBytes } from './chunk-runner.js';

/**
 * The table. Engagement is kept per event (times, and what a report breaks it down by), not as counts,
 * so that a reporting window (relative to each message's own send) and the time series can be cut from
 * the same rows; the counts (`*_n`, revenue) and clicks per URL (`links`) are what a report without a
 * window reads, which spares it the lists. Revenue is in whole ten-thousandths (SqlDialect.fixed4).
 */
export const FACTS_DDL = [
  `CREATE TABLE message_facts (
    campaign VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    send_ts BIGINT NOT NULL,
    is_bounced INTEGER NOT NULL,
    step INTEGER,
    variant VARCHAR,
    segment VARCHAR,
    domain VARCHAR NOT NULL,
    h_opens BIGINT[] NOT NULL,
    m_opens STRUCT(ts BIGINT, reasons VARCHAR)[] NOT NULL,
    h_clicks STRUCT(ts BIGINT, url VARCHAR)[] NOT NULL,
    m_clicks STRUCT(ts BIGINT, url VARCHAR, reasons VARCHAR)[] NOT NULL,
    replies BIGINT[] NOT NULL,
    unsubscribes BIGINT[] NOT NULL,
    complaints BIGINT[] NOT NULL,
    conversions STRUCT(ts BIGINT, v BIGINT)[] NOT NULL,
    h_open_n BIGINT NOT NULL,
    m_open_n BIGINT NOT NULL,
    h_click_n BIGINT NOT NULL,
    m_click_n BIGINT NOT NULL,
    reply_n BIGINT NOT NULL,
    unsubscribe_n BIGINT NOT NULL,
    complaint_n BIGINT NOT NULL,
    conversion_n BIGINT NOT NULL,
    revenue BIGINT NOT NULL,
    links STRUCT(url VARCHAR, h BIGINT, m BIGINT)[] NOT NULL
  )`,
  // Messages whose events' verdicts changed after the facts were built (written with the verdicts).
  'CREATE TABLE message_facts_dirty (message VARCHAR NOT NULL)',
  // One row: every event ingested at or before `through` is in the facts (bar the dirty messages').
  'CREATE TABLE message_facts_state (through BIGINT NOT NULL)',
  'INSERT INTO message_facts_state VALUES (0)',
];

// The standard expressions, which DuckDB speaks as they are (not DuckDbDialect: it imports this file).
const d = new SqlDialect();

/**
 * The facts rows of the messages whose events meet `scope` (a condition on event columns that keeps
 * or drops whole messages), under the rules of the message grain (message-grain.ts), which reports that
 * group the events follow too. A message belongs to one campaign, its owner (store/message-owner.ts: that
 * of its first sent, or of its first delivered if never sent). A sent naming another campaign (stored
 * before sents were checked) lends it nothing: such a `contested` message takes its labels from `fix`,
 * its claims without those sents (the few of them: the rest pay one flag).
 */
export function buildFacts(scope: string): string {
  const labels = aliased(labelAggregates(d));
  const label = ({ name }: { name: string }) => `CASE WHEN own.contested THEN fix.${name} ELSE m.${name} END AS ${name}`;
  const lists = ENGAGEMENTS.map((e) => `${pickList(d, e, 'e')} AS ${e.list}`);
  const counts = ENGAGEMENTS.map((e) => `len(${e.list}) AS ${e.stored}`);
  return `WITH own AS (SELECT message, ${OWNER} AS campaign,
        ${d.minIf('campaign', "type = 'sent'")} <> ${d.maxIf('campaign', "type = 'sent'")} AS contested
      FROM events WHERE ${CLAIM} AND ${scope} GROUP BY message),
    fix AS (SELECT message, ${labels}
      FROM (SELECT e.*, own.campaign AS owner FROM events e JOIN own ON e.message = own.message AND own.contested WHERE e.type IN (${sqlList(CLAIM_TYPES)})) AS c
      WHERE ${notForeignSent('owner')}
      GROUP BY message),
    m AS (SELECT message,
      ${aliased(sendAttributes(d))},
      ${labels},
      coalesce(list(${collectedEvent(d)}) FILTER (WHERE type IN (${typeList()})), []) AS e
    FROM events WHERE message IS NOT NULL AND ${scope} GROUP BY message)
  SELECT *, ${counts.join(', ')},
    ${listRevenue(REVENUE.of.list)} AS ${REVENUE.stored},
    ${linksOf(URL_LISTS.h.list, URL_LISTS.m.list)} AS links
  FROM (SELECT own.campaign, m.message, send_ts, is_bounced, ${LABELS.map(label).join(', ')},
    ${lists.join(',\n    ')}
  FROM own JOIN m USING (message) LEFT JOIN fix USING (message)) AS f`;
}

/** Messages the stored facts do not reflect: events ingested since they were built, and dirty ones. */
const STALE_MESSAGES = `(SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty)`;

/** True when some stored facts are out of date (events ingested since, or dirty messages). */
export const FACTS_STALE = `(EXISTS (SELECT 1 FROM events WHERE ingested_at > (SELECT through FROM message_facts_state))
  OR EXISTS (SELECT 1 FROM message_facts_dirty))`;

/**
 * A FROM item: the facts of one campaign as of now (`campaign` is a bound placeholder). Stored rows of
 * messages nothing has touched since, and rows built on the spot for the few that were: ingest writes
 * no facts (it would cost the import), so reports are exact between refreshes too, never stale.
 * `stale` false (FACTS_STALE said so just before) reads the stored rows alone: building nothing still
 * cost a pass over the events.
 */
export function currentFacts(campaign: string, stale: boolean): string {
  if (!stale) return `(SELECT * FROM message_facts WHERE campaign = ${campaign})`;
  return `(SELECT * FROM message_facts WHERE campaign = ${campaign} AND message NOT IN ${STALE_MESSAGES}
    UNION ALL BY NAME
    SELECT * FROM (${buildFacts(`message IN ${STALE_MESSAGES}`)}) AS live WHERE campaign = ${campaign})`;
}

/**
 * Records, before verdicts are written, the messages whose stored facts they change: those of events
 * in `changed` (a FROM item and condition naming `events`) already in the facts. Events ingested since
 * the last refresh are rebuilt anyway, so a pass over a fresh import records nothing.
 */
export function markDirty(changed: string): string {
  return `INSERT INTO message_facts_dirty SELECT DISTINCT events.message ${changed}
    AND events.message IS NOT NULL AND events.ingested_at <= (SELECT through FROM message_facts_state)`;
}

/**
 * Bytes of DuckDB's memory_limit per event of a build statement. TRICKY: a message's list is an
 * aggregate state DuckDB cannot spill to disk, so one GROUP BY over a whole store fails under the
 * import's 256 MB limit (it did at 4M events, and so did parts of 800,000 events); ranges of message
 * ids, each its own statement, keep every part within the limit. Ranges, not hash buckets: DuckDB
 * filters a range while it scans (a hash bucket cost each part a full read).
 */
const LIMIT_BYTES_PER_EVENT = 600;

/** Inserts the facts of the messages meeting `scope`, in ranges of ids that fit the memory limit. */
async function insertFacts(conn: DuckDBConnection, scope: string, events: number): Promise<void> {
  const [lim] = (await conn.runAndReadAll("SELECT current_setting('memory_limit') AS m")).getRowObjectsJS();
  const perPart = Math.max(50_000, Math.floor((memoryLimitBytes(String(lim?.m ?? '')) ?? 256 * 2 ** 20) / LIMIT_BYTES_PER_EVENT));
  const parts = Math.max(1, Math.ceil(events / perPart));
  if (parts === 1) {
    await conn.run(`INSERT INTO message_facts BY NAME ${buildFacts(scope)}`);
    return;
  }
  // Bounds from a sample: any bounds are exact (each message falls in one range), these are even.
  // The fractions are numbers of this code (quantile_disc takes no parameter for them).
  const fractions = Array.from({ length: parts - 1 }, (_, i) => ((i + 1) / parts).toFixed(6)).join(', ');
  const [q] = (
    await conn.runAndReadAll(
      `SELECT to_json(quantile_disc(message, [${fractions}])) AS b FROM (SELECT message FROM events WHERE message IS NOT NULL USING SAMPLE 100000 ROWS)`,
    )
  ).getRowObjectsJS();
  const bounds = JSON.parse(String(q?.b ?? '[]')) as string[];
  for (let p = 0; p <= bounds.length; p++) {
    const range = [p > 0 ? 'message >= $lo' : null, p < bounds.length ? 'message < $hi' : null].filter((c) => c !== null).join(' AND ');
    const values: Record<string, string> = {};
    if (p > 0) values.lo = bounds[p - 1]!;
    if (p < bounds.length) values.hi = bounds[p]!;
    const types = Object.fromEntries(Object.keys(values).map((k) => [k, VARCHAR]));
    await conn.run(`INSERT INTO message_facts BY NAME ${buildFacts(`${scope} AND ${range}`)}`, values, types);
  }
}

/**
 * Brings the stored facts up to date in one transaction: rebuilds the messages touched since (all of
 * them when that is most of the table: one GROUP BY beats finding them), clears the dirty list and
 * moves the mark. The caller holds the store's write queue, so no ingest commits meanwhile.
 */
export async function refreshFacts(conn: DuckDBConnection): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const [s] = (
      await conn.runAndReadAll(`SELECT through, (SELECT coalesce(max(ingested_at), 0) FROM events) AS top,
        (SELECT count(*) FROM events WHERE ingested_at > through) AS new_events, (SELECT count(*) FROM events) AS total,
        (SELECT count(*) FROM message_facts_dirty) AS dirty, (SELECT count(*) FROM message_facts) AS facts
      FROM message_facts_state`)
    ).getRowObjectsJS();
    const through = Number(s?.through ?? 0);
    const top = Number(s?.top ?? 0);
    const dirty = Number(s?.dirty ?? 0);
    if (top <= through && dirty === 0) {
      await conn.run('COMMIT');
      return;
    }
    const newEvents = Number(s?.new_events ?? 0);
    const total = Number(s?.total ?? 0);
    if (newEvents * 2 >= total || dirty * 2 >= Number(s?.facts ?? 0)) {
      await conn.run('DELETE FROM message_facts');
      await insertFacts(conn, 'true', total);
    } else {
      await conn.run(`CREATE OR REPLACE TEMP TABLE cr_mf_touched AS SELECT DISTINCT message FROM ${STALE_MESSAGES} AS t`);
      await conn.run('DELETE FROM message_facts WHERE message IN (SELECT message FROM temp.cr_mf_touched)');
      // A touched message's older events are rebuilt too: twice the new ones is the guess at their number.
      await insertFacts(conn, 'message IN (SELECT message FROM temp.cr_mf_touched)', 2 * (newEvents + dirty));
      await conn.run('DROP TABLE temp.cr_mf_touched');
    }
    await conn.run('DELETE FROM message_facts_dirty');
    await conn.run('UPDATE message_facts_state SET through = $top', { top: BigInt(top) }, { top: BIGINT });
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
