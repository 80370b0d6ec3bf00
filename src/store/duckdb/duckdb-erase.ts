// Privacy on the DuckDB store (docs/privacy.md): address retention (old addresses and user agents cut to
// their network and family) and erasure of one recipient. Both run on the store's write connection under
// its queue; every event they change gets redacted_at, so verdict passes keep its verdict (duckdb-verdicts.ts).
import { BIGINT, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { cutIp, cutUserAgent, erasedRecipient, type ErasureReport } from '../privacy-cut.js';
import { FORGET_SUBJECTS } from './duckdb-mail-links.js';

/**
 * Rows per update transaction: updated values stay in memory until a checkpoint and cannot spill, so a
 * first cut over a large store goes in ranges of row positions, as verdicts do (duckdb-verdicts.ts).
 */
const SLICE_ROWS = 1 << 19;

/**
 * The events a retention run cuts: opens and clicks older than $before that were classified (their
 * verdict was made on the whole address, and is kept) and not cut before.
 */
const TO_CUT = `type IN ('open', 'click') AND ts < $before AND redacted_at IS NULL AND classifier_version IS NOT NULL
  AND (ip IS NOT NULL OR user_agent IS NOT NULL)`;

/** Cuts what TO_CUT selects; resolves to the events cut. */
export async function cutDuckDbAddresses(conn: DuckDBConnection, before: number, now: number): Promise<number> {
  const p = { before: BigInt(before) };
  const t = { before: BIGINT };
  const [top] = (await conn.runAndReadAll(`SELECT count(*) AS n, coalesce(max(rowid), -1) AS hi FROM events WHERE ${TO_CUT}`, p, t)).getRowObjectsJS();
  const total = Number(top?.n ?? 0);
  if (total === 0) return 0;
  // The distinct values, cut here (privacy-cut.ts): DuckDB has no address functions without an extension.
  await mapTable(conn, 'cr_cut_ip', `SELECT DISTINCT ip AS v FROM events WHERE ${TO_CUT} AND ip IS NOT NULL`, p, t, cutIp);
  await mapTable(conn, 'cr_cut_ua', `SELECT DISTINCT user_agent AS v FROM events WHERE ${TO_CUT} AND user_agent IS NOT NULL`, p, t, cutUserAgent);
  const last = Number(top?.hi ?? -1);
  for (let lo = 0; lo <= last; lo += SLICE_ROWS) {
    const q = { ...p, lo: BigInt(lo), hi: BigInt(lo + SLICE_ROWS) };
    const qt = { ...t, lo: BIGINT, hi: BIGINT };
    const range = `events.rowid >= $lo AND events.rowid < $hi AND ${TO_CUT}`;
    await inTransaction(conn, async () => {
      await conn.run(`UPDATE events SET ip = m.cut FROM temp.cr_cut_ip m WHERE events.ip = m.orig AND ${range}`, q, qt);
      await conn.run(`UPDATE events SET user_agent = m.cut FROM temp.cr_cut_ua m WHERE events.user_agent = m.orig AND ${range}`, q, qt);
      await conn.run(`UPDATE events SET redacted_at = $now WHERE ${range}`, { ...q, now: BigInt(now) }, { ...qt, now: BIGINT });
    });
  }
  await conn.run('DROP TABLE temp.cr_cut_ip');
  await conn.run('DROP TABLE temp.cr_cut_ua');
  return total;
}

/** A temp table (orig, cut) of the values `select` gives (column v), each with `cut` of it. */
async function mapTable(
  conn: DuckDBConnection,
  name: string,
  select: string,
  p: Record<string, bigint>,
  t: Record<string, typeof BIGINT>,
  cut: (v: string) => string,
): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (orig VARCHAR, cut VARCHAR)`);
  const values = (await conn.runAndReadAll(select, p, t)).getColumnsJS()[0] ?? [];
  const a = await conn.createAppender(name, 'main', 'temp');
  for (const v of values) {
    a.appendVarchar(String(v));
    a.appendVarchar(cut(String(v)));
    a.endRow();
  }
  a.closeSync();
}

/**
 * Erases one recipient in one transaction: its id on every event replaced by a placeholder that keeps
 * the domain (reports group by it), the addresses and user agents of every event of its messages removed
 * (and those events marked redacted, so their verdicts stay), and templates that name it dropped.
 * Messages, types, times, links, labels and verdicts stay, so every figure does.
 */
export async function forgetDuckDbRecipient(conn: DuckDBConnection, recipient: string, now: number): Promise<ErasureReport> {
  const ph = erasedRecipient(recipient);
  const changed = async (sql: string, values: Record<string, string | bigint>): Promise<number> => {
    const types = Object.fromEntries(Object.entries(values).map(([k, x]) => [k, typeof x === 'bigint' ? BIGINT : VARCHAR]));
    return Number((await conn.run(sql, values, types)).rowsChanged);
  };
  let report: ErasureReport = { recipient, messages: 0, erased: [] };
  await inTransaction(conn, async () => {
    await conn.run(
      'CREATE OR REPLACE TEMP TABLE cr_forget_msgs AS SELECT DISTINCT message FROM events WHERE recipient = $r AND message IS NOT NULL',
      { r: recipient },
      { r: VARCHAR },
    );
    const [m] = (await conn.runAndReadAll('SELECT count(*) AS n FROM temp.cr_forget_msgs')).getRowObjectsJS();
    const ofMessages = 'message IN (SELECT message FROM temp.cr_forget_msgs)';
    const addresses = await changed(
      `UPDATE events SET ip = NULL, user_agent = NULL, redacted_at = coalesce(redacted_at, $now)
        WHERE ${ofMessages} AND (ip IS NOT NULL OR user_agent IS NOT NULL)`,
      { now: BigInt(now) },
    );
    const ids = await changed('UPDATE events SET recipient = $ph WHERE recipient = $r', { ph, r: recipient });
    // A template is the HTML of a campaign's step and variant before wrapping: shared, not personal,
    // unless the sender wrote the recipient into it (a personalised send saved as the latest template).
    const templates = await changed('DELETE FROM templates WHERE length($r) >= 3 AND strpos(lower(html), lower($r)) > 0', { r: recipient });
    const subjects = await changed(FORGET_SUBJECTS('temp.cr_forget_msgs'), {});
    report = {
      recipient,
      messages: Number(m?.n ?? 0),
      erased: [
        { table: 'events', what: 'recipient id replaced', rows: ids },
        { table: 'events', what: 'addresses and user agents removed', rows: addresses },
        { table: 'templates', what: 'templates naming the recipient dropped', rows: templates },
        { table: 'message_mail_links', what: 'thread-subject hashes of its messages dropped', rows: subjects },
      ],
    };
  });
  await conn.run('DROP TABLE temp.cr_forget_msgs');
  // Old values live on in the WAL until a checkpoint writes the table anew.
  await conn.run('CHECKPOINT');
  return report;
}

async function inTransaction(conn: DuckDBConnection, fn: () => Promise<void>): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    await fn();
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
