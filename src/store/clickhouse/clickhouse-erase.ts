// Privacy on the ClickHouse store (docs/privacy.md): address retention and erasure of one recipient, as
// mutations (ALTER TABLE … UPDATE / DELETE), waited for until done. Mutations, not lightweight deletes:
// nothing here deletes an event (the counts must stay), it rewrites columns, and ALTER … UPDATE is the
// only way to do that in place (18.12+; lightweight DELETE, 22.8+, only deletes rows):
// https://clickhouse.com/docs/en/sql-reference/statements/alter/update
import { ClickrateError } from '../../errors.js';
import { cutUserAgent, erasedRecipient, type ErasureReport } from '../privacy-cut.js';
import type { ClickHouseConfig } from './config.js';
import { ClickHouseConnection } from './connection.js';
import { encodeLiteral } from './literals.js';

/** Values per mutation when a list is written into one (user agents to cut, messages to erase). */
const LIST_CHUNK = 1000;

/** How long a mutation may take before the erasure is reported failed (it goes on in the server). */
const MUTATION_WAIT_MS = 30 * 60_000;

const str = (value: string) => encodeLiteral({ value, type: 'String' });
const int = (value: number) => encodeLiteral({ value, type: 'Int64' });

/**
 * The address cut in ClickHouse's own functions (18.16 has them all): /24 for IPv4, /48 for IPv6 and
 * IPv4-mapped addresses' /24, as privacy-cut.ts cutIp writes them. A value that is no address parses
 * as zeros and is cut to 0.0.0.0 or '::'.
 */
const CUT_IP = `if(isNull(ip), NULL, if(position(assumeNotNull(ip), ':') > 0,
  cutIPv6(IPv6StringToNum(assumeNotNull(ip)), 10, 1),
  IPv4NumToString(bitAnd(IPv4StringToNum(assumeNotNull(ip)), 4294967040))))`;

export class ClickHouseErase {
  constructor(
    private readonly conn: ClickHouseConnection,
    private readonly config: ClickHouseConfig,
  ) {}

  /**
   * Cuts classified opens and clicks older than `before`: their ids go to redacted_events first (the
   * verdict passes then leave them out, their verdicts kept), then mutations cut exactly those ids. A run
   * stopped between the two is completed by the next, since cutting a cut value changes nothing.
   */
  async cutAddresses(before: number, now: number): Promise<number> {
    await this.conn.command(
      `INSERT INTO redacted_events (id, message, redacted_at) SELECT id, message, ${int(now)} FROM events
      WHERE type IN ('open', 'click') AND ts < ${int(before)} AND (ip IS NOT NULL OR user_agent IS NOT NULL)
        AND id GLOBAL IN (SELECT id FROM campaign_verdicts) AND id GLOBAL NOT IN (SELECT id FROM redacted_events)`,
    );
    const mine = `(SELECT id FROM ${this.local('redacted_events')} WHERE redacted_at = ${int(now)})`;
    const [n] = await this.conn.query({ sql: `SELECT count() AS n FROM redacted_events WHERE redacted_at = ${int(now)}`, params: {} });
    const cut = Number(n?.n ?? 0);
    if (cut === 0) return 0;
    const agents = await this.conn.query({
      sql: `SELECT DISTINCT assumeNotNull(user_agent) AS ua FROM events WHERE user_agent IS NOT NULL
        AND id GLOBAL IN (SELECT id FROM redacted_events WHERE redacted_at = ${int(now)})`,
      params: {},
    });
    await this.mutateEvents(`UPDATE ip = ${CUT_IP} WHERE id IN ${mine}`);
    const uas = agents.map((r) => String(r.ua));
    for (let i = 0; i < uas.length; i += LIST_CHUNK) {
      const from = uas.slice(i, i + LIST_CHUNK);
      const to = from.map(cutUserAgent);
      await this.mutateEvents(
        `UPDATE user_agent = if(isNull(user_agent), NULL, transform(assumeNotNull(user_agent), [${from.map(str).join(', ')}], [${to.map(str).join(', ')}], assumeNotNull(user_agent)))
        WHERE id IN ${mine}`,
      );
    }
    return cut;
  }

  /** Erases one recipient (see Store.forgetRecipient); counts are taken before the mutations run. */
  async forgetRecipient(recipient: string, now: number): Promise<ErasureReport> {
    const r = str(recipient);
    const messages = (
      await this.conn.query({ sql: `SELECT DISTINCT assumeNotNull(message) AS m FROM events WHERE recipient = ${r} AND message IS NOT NULL`, params: {} })
    ).map((row) => String(row.m));
    const count = async (sql: string) => Number((await this.conn.query({ sql, params: {} }))[0]?.n ?? 0);
    const ids = await count(`SELECT count() AS n FROM events WHERE recipient = ${r}`);
    let addresses = 0;
    let subjects = 0;
    for (let i = 0; i < messages.length; i += LIST_CHUNK) {
      const list = messages
        .slice(i, i + LIST_CHUNK)
        .map(str)
        .join(', ');
      addresses += await count(`SELECT count() AS n FROM events WHERE message IN (${list}) AND (ip IS NOT NULL OR user_agent IS NOT NULL)`);
      // Marked before they change, so no verdict pass judges them on what is left (see cutAddresses).
      await this.conn.command(
        `INSERT INTO redacted_events (id, message, redacted_at) SELECT id, message, ${int(now)} FROM events
        WHERE message IN (${list}) AND type IN ('open', 'click') AND id GLOBAL NOT IN (SELECT id FROM redacted_events)`,
      );
      await this.mutateEvents(`UPDATE ip = NULL, user_agent = NULL WHERE message IN (${list})`);
      // A keyed hash of a subject that may name the person: dropped; provider Message-IDs name nobody (docs/privacy.md).
      // Distinct: a link recorded twice is two rows until ClickHouse merges them (migrations.ts, version 10).
      const hashes = await count(
        `SELECT count() AS n FROM (SELECT DISTINCT value, message FROM message_mail_links WHERE kind = 'subject' AND message IN (${list}))`,
      );
      if (hashes > 0) await this.mutate(this.conn, 'message_mail_links', `DELETE WHERE kind = 'subject' AND message IN (${list})`);
      subjects += hashes;
    }
    if (ids > 0) await this.mutateEvents(`UPDATE recipient = ${str(erasedRecipient(recipient))} WHERE recipient = ${r}`);
    const naming = recipient.length >= 3 ? `position(lower(html), lower(${r})) > 0` : '0';
    const templates = await count(`SELECT count() AS n FROM templates WHERE ${naming}`);
    if (templates > 0) await this.mutate(this.conn, 'templates', `DELETE WHERE ${naming}`);
    return {
      recipient,
      messages: messages.length,
      erased: [
        { table: 'events', what: 'recipient id replaced', rows: ids },
        { table: 'events', what: 'addresses and user agents removed', rows: addresses },
        { table: 'templates', what: 'template versions naming the recipient dropped', rows: templates },
        { table: 'message_mail_links', what: 'thread-subject hashes of its messages dropped', rows: subjects },
      ],
    };
  }

  /** A shard table's name where mutations run: its local table on each shard when sharded. */
  private local(table: string): string {
    return this.config.cluster ? `${table}_local` : table;
  }

  /** A mutation of `events`: on every shard's local table when sharded (a Distributed table takes none). */
  private async mutateEvents(command: string): Promise<void> {
    if (!this.config.cluster) return this.mutate(this.conn, 'events', command);
    for (const url of this.config.shards) {
      const shard = ClickHouseConnection.create(url, this.config.database, this.config.username, this.config.password);
      try {
        await this.mutate(shard, 'events_local', command);
      } finally {
        await shard.close();
      }
    }
  }

  /**
   * Runs one mutation and waits until the server has applied it to every part. TRICKY: mutations are
   * asynchronous, and `mutations_sync` only exists from 19.x: polling system.mutations works on 18.16 too.
   */
  private async mutate(conn: ClickHouseConnection, table: string, command: string): Promise<void> {
    await conn.command(`ALTER TABLE ${table} ${command}`);
    const until = Date.now() + MUTATION_WAIT_MS;
    for (let wait = 20; ; wait = Math.min(wait * 2, 1000)) {
      const [row] = await conn.query({
        sql: `SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND table = ${str(table)} AND is_done = 0`,
        params: {},
      });
      if (Number(row?.n ?? 0) === 0) return;
      if (Date.now() > until)
        throw new ClickrateError(
          'CR_ERR_STORE',
          `ClickHouse has not finished a mutation of ${table} after ${MUTATION_WAIT_MS / 60_000} minutes; it goes on in the server`,
        );
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
