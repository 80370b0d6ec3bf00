// The SQL text of DuckDB ingest: chunks of packed documents (events/packed-docs.ts) as rows, the fast
// path's insert, and the exact path's resolution of repeated ids. Only generated names enter the text.
import { EVENT_FIELDS } from '../../events/event.js';
import { CLAIM, OWNER } from '../message-owner.js';

// TRICKY: why documents and not appender calls. Every appender call crosses into native code; one per
// column capped ingest near 150,000 events/s, while a few bound blobs per chunk cost nothing in JS and
// DuckDB's JSON reader extracts the columns in native code on its own thread, beside the JS parsing.
const DOC_FIELDS: Readonly<Record<string, string>> = {
  id: 'VARCHAR',
  type: 'VARCHAR',
  message: 'VARCHAR',
  campaign: 'VARCHAR',
  recipient: 'VARCHAR',
  step: 'INTEGER',
  variant: 'VARCHAR',
  segment: 'VARCHAR',
  ad: 'VARCHAR',
  url: 'VARCHAR',
  ip: 'VARCHAR',
  user_agent: 'VARCHAR',
  method: 'VARCHAR',
  value: 'DOUBLE',
};
const DOC_TYPE = JSON.stringify(DOC_FIELDS);
/** The same columns as a STRUCT literal for read_ndjson, `ts` read as the text the file holds. */
const FILE_COLUMNS = `{${Object.entries({ ...DOC_FIELDS, ts: 'VARCHAR' })
  .map(([k, v]) => `${k}: '${v}'`)
  .join(', ')}}`;
const COLUMNS = EVENT_FIELDS.filter((f) => f !== 'id');
const PLAIN = COLUMNS.filter((c) => c !== 'ts' && c !== 'method');
/**
 * The parts of one chunk as a VALUES list: part p binds $3p+1 documents, $3p+2 times, $3p+3 `h:` ids
 * (see PackedDocs), and carries its index. Each part stays its own ~1 MB value: one 23 MB value per
 * chunk was copied three times over inside DuckDB (bound, decoded, split), and left DuckDB's allocator
 * (its own jemalloc, chunk-runner.ts) holding far more memory after it.
 */
const partValues = (parts: number) => Array.from({ length: parts }, (_, p) => `($${3 * p + 1}, $${3 * p + 2}, $${3 * p + 3}, ${p})`).join(', ');
/**
 * The rows of one chunk as a subquery `d`. Multiple unnests in one SELECT are zipped by position.
 * `seq` orders rows across chunks ($last: the chunk number) and parts. Methods were validated as
 * GET or HEAD in either case.
 */
export const chunkRows = (parts: number) => `(SELECT CAST($${3 * parts + 1} AS BIGINT) * ${2 ** 32} + part * ${2 ** 24} + i AS seq, CAST(t AS BIGINT) AS ts,
    upper(j.method) AS method, split_part(k, ':', 2) AS digest, k AS batch_id, j.id AS given_id, ${PLAIN.map((c) => `j.${c} AS ${c}`).join(', ')}
  FROM (SELECT from_json(doc, '${DOC_TYPE}') AS j, t, nullif(k, '') AS k, i, part
    FROM (SELECT unnest(dl) AS doc, unnest(tl) AS t, unnest(kl) AS k, generate_subscripts(dl, 1) AS i, part
      FROM (SELECT string_split(decode(d), chr(10)) AS dl, string_split(ts, ',') AS tl, string_split(ks, ',') AS kl, part
        FROM (VALUES ${partValues(parts)}) v(d, ts, ks, part))))) d`;
export const COLS = COLUMNS.join(', ');
/**
 * Fast mode's rows of one chunk: the same columns as `chunkRows` less what only the exact path needs
 * (order and digest), which DuckDB would compute anyway.
 */
export const fastRows = (
  parts: number,
) => `(SELECT coalesce(j.id, nullif(k, '')) AS id, CAST(t AS BIGINT) AS ts, upper(j.method) AS method, ${PLAIN.map((c) => `j.${c} AS ${c}`).join(', ')}
  FROM (SELECT from_json(doc, '${DOC_TYPE}') AS j, t, k
    FROM (SELECT unnest(string_split(decode(d), chr(10))) AS doc, unnest(string_split(ts, ',')) AS t, unnest(string_split(ks, ',')) AS k
      FROM (VALUES ${partValues(parts)}) v(d, ts, ks, part)))) d`;
/** The message of the error a sampled row read otherwise raises, named in the statement's failure. */
const SAMPLE_MISMATCH = 'clickrate: a sampled row was read otherwise';
/** $2 of fileInsert: the sampled rows as validated and normalized, each with its id as `sample_id`. */
const SAMPLE_TYPE = JSON.stringify([{ sample_id: 'VARCHAR', ...DOC_FIELDS, ts: 'BIGINT' }]);
/**
 * The direct lane's insert (events/direct-load.ts): DuckDB reads the validated file itself, $1 its path.
 * The columns are DOC_TYPE's with `ts` read as text, since the file holds it as written: only forms that
 * CAST(… AS TIMESTAMPTZ) reads as the import did get here (storeReadsTs), and the sum of the instants is
 * checked after. The rows the scan sampled ($2) are compared column for column as they pass, in the same
 * read; a FULL join, so that a sampled id no row has fails too. (A query after the insert had to read
 * every column of the new rows again: 15 s at 10M events, as long as the insert.) Unknown keys cannot
 * occur (validation refused them), and blank lines are skipped, as the workers skipped them.
 * TRICKY: every option that lets the path or the reader add values is pinned off. DuckDB reads `key=value`
 * folders as columns by itself, even without auto_detect, and those overrode the rows' own values
 * (`/data/campaign=spring/e.jsonl` stored every row's campaign as `spring`).
 * TRICKY: DuckDB inserts on every thread only because the store opens with preserve_insertion_order off;
 * with it on, the reader fed one inserting thread (2M events: 6.1 s on 2 threads, 5.1 s on one, 2.9 s
 * without order; docs/performance-history.md).
 */
export const fileInsert = (stamp: number) => `INSERT INTO events (id, ${COLS}, ingested_at)
  SELECT r.id, ${COLUMNS.map((c) => `r.${c}`).join(', ')}, ${stamp}
  FROM (SELECT id, ${COLUMNS.map((c) => (c === 'ts' ? 'epoch_ms(CAST(ts AS TIMESTAMPTZ)) AS ts' : c === 'method' ? 'upper(method) AS method' : c)).join(', ')}
    FROM read_ndjson($1, columns = ${FILE_COLUMNS}, format = 'newline_delimited', auto_detect = false, hive_partitioning = false, union_by_name = false, filename = false)) r
  FULL OUTER JOIN (SELECT unnest(from_json($2, '${SAMPLE_TYPE}'), recursive := true)) s ON r.id = s.sample_id
  WHERE CASE
    WHEN s.sample_id IS NULL THEN true
    WHEN r.id IS NOT NULL AND ${COLUMNS.map((c) => `r.${c} IS NOT DISTINCT FROM s.${c}`).join(' AND ')} THEN true
    ELSE error('${SAMPLE_MISMATCH}') END`;
/** Parts per statement at most (each part is a batch, ~1 MB from the parse workers); smaller ones are merged. */
export const MAX_PARTS = 32;

/**
 * The exact path: id-less events get `h:<digest>:<n>`, n numbering identical events across the whole
 * batch in order; then the first occurrence of each id wins and ids already stored are skipped.
 */
export function exactInsert(staging: string, stamp: number): string {
  return `
    INSERT INTO events (id, ${COLS}, ingested_at)
    WITH named AS (
      SELECT given_id AS id, * EXCLUDE (given_id, digest, batch_id) FROM temp.${staging} WHERE given_id IS NOT NULL
      UNION ALL
      SELECT 'h:' || digest || ':' || CAST(row_number() OVER (PARTITION BY digest ORDER BY seq) AS VARCHAR) AS id,
        * EXCLUDE (given_id, digest, batch_id)
      FROM temp.${staging} WHERE given_id IS NULL
    ),
    firsts AS (
      -- The first occurrence of each id in the batch (a grouped min is far cheaper than a window).
      SELECT id, min(seq) AS seq FROM named GROUP BY id
    )
    SELECT s.id, ${COLUMNS.map((c) => `s.${c}`).join(', ')}, ${stamp}
    FROM named s SEMI JOIN firsts f ON s.id = f.id AND s.seq = f.seq
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = s.id)`;
}

/**
 * The session's sents (rows ingested at `stamp`) that name a campaign other than their message's owner
 * (store/message-owner.ts), first by (ts, id), at most $limit, each with `total`, the number of them all.
 * The owner comes from the stored claims when the message has any (`hadRows`: the store held events
 * before the session), else from the session's own sents, where the first by (ts, id) wins.
 * TRICKY: within the session, only a message sent more than once can be in question, and those are
 * found by grouping the 8-byte hash of each sent's message with a count, which is all a file whose
 * messages are each sent once pays: grouping the ids themselves with min and max of the campaign took
 * 2.2 s of a 2M-event import's commit (514,325 sents), against 0.2 s for all the rest of it. A hash
 * shared by two messages (DuckDB's hash collides often on short ids) only adds candidates: every
 * candidate is then grouped by its message, exactly.
 */
export function ownerConflicts(stamp: number, hadRows: boolean): string {
  const mine = `ingested_at = ${stamp} AND type = 'sent'`;
  const twice = `SELECT hash(message) FROM events WHERE ${mine} GROUP BY hash(message) HAVING count(*) > 1`;
  const fresh = `SELECT message, argMin(campaign, (ts, id)) AS owner FROM events WHERE ${mine} AND hash(message) IN (${twice})
    GROUP BY message HAVING min(campaign) <> max(campaign)`;
  const prior = `SELECT message, ${OWNER} AS owner FROM events
      WHERE ingested_at < ${stamp} AND ${CLAIM} AND message IN (SELECT message FROM events WHERE ${mine})
    GROUP BY message`;
  // An inner join: when no message is in question (the usual case) DuckDB skips the probe altogether.
  const owners = hadRows ? `SELECT message, coalesce(p.owner, f.owner) AS owner FROM (${prior}) p FULL OUTER JOIN (${fresh}) f USING (message)` : fresh;
  return `SELECT s.id, s.message, s.campaign AS named, o.owner, count(*) OVER () AS total
    FROM events s JOIN (${owners}) o USING (message)
    WHERE s.ingested_at = ${stamp} AND s.type = 'sent' AND s.campaign <> o.owner
    ORDER BY s.ts, s.id
    LIMIT $limit`;
}
