// The DuckDB side of mail links (store/mail-links.ts): rows of `message_mail_links` written once each.
// A webhook redelivers the same Message-ID, and a message may be wrapped again: a link already there,
// or twice in one write, is kept once.
import type { DuckDBValue } from '@duckdb/node-api';
import { MAIL_LINKS_TABLE, type MailLink } from '../mail-links.js';

/** Links per statement: five bound values each, well under DuckDB's limits, one provider delivery at once. */
export const MAIL_LINKS_PER_WRITE = 500;

/** One INSERT of `links` (at most MAIL_LINKS_PER_WRITE), skipping those already stored or repeated. */
export function mailLinksInsert(links: readonly MailLink[]): { sql: string; values: Record<string, DuckDBValue> } {
  const values: Record<string, DuckDBValue> = {};
  const rows = links.map((l, i) => {
    Object.assign(values, { [`k${i}`]: l.kind, [`v${i}`]: l.value, [`m${i}`]: l.message, [`s${i}`]: l.source, [`a${i}`]: BigInt(Math.trunc(l.at)) });
    return `($k${i}, $v${i}, $m${i}, $s${i}, $a${i})`;
  });
  // TRICKY: the table has no key (migrations.ts, version 10): the anti-join is what keeps a link once.
  const sql = `INSERT INTO ${MAIL_LINKS_TABLE} (kind, value, message, source, recorded_at)
    SELECT kind, value, message, min(source), min(recorded_at) FROM (VALUES ${rows.join(', ')}) AS n(kind, value, message, source, recorded_at)
    WHERE NOT EXISTS (SELECT 1 FROM ${MAIL_LINKS_TABLE} o WHERE o.kind = n.kind AND o.value = n.value AND o.message = n.message)
    GROUP BY kind, value, message`;
  return { sql, values };
}

/**
 * Erasure drops the thread-subject hashes of the recipient's messages (`messages`: a temp table of them):
 * a keyed hash of a subject that may name the person is still pseudonymous personal data. Provider
 * Message-IDs stay: they name no person (docs/privacy.md).
 */
export const FORGET_SUBJECTS = (messages: string) => `DELETE FROM ${MAIL_LINKS_TABLE} WHERE kind = 'subject' AND message IN (SELECT message FROM ${messages})`;
