// Stores events past every ingest check, as builds before the rule that a message belongs to one
// campaign (message-owner.ts) stored them: for the conformance case of a store that already holds
// sends of one message under several campaigns. Tests only; the store's own SQL, values bound.
import { ClickrateError } from '../../src/errors.js';
import { EVENT_FIELDS } from '../../src/events/event-fields.js';
import { parseEvent } from '../../src/events/parse-event.js';
import type { RawEvent } from './conformance-cases.js';
import { ParamBag } from '../../src/store/dialect.js';
import type { Store } from '../../src/store/store.js';

/** The events table's own columns, as the event model names them. */
const COLUMNS = EVENT_FIELDS;

function parsed(raw: readonly RawEvent[]): Array<Record<(typeof COLUMNS)[number], string | number | null>> {
  return raw.map((r) => {
    const p = parseEvent(r);
    if (!p.ok || p.event.id === null) throw new ClickrateError('CR_ERR_BAD_EVENT', `a legacy event needs an id and must be valid: ${JSON.stringify(r)}`);
    return p.event as Record<(typeof COLUMNS)[number], string | number | null>;
  });
}

/**
 * Writes `raw` (events with ids) into the store's events as they are. False when this store cannot be
 * reached past its interface (a ClickHouse store behind the store worker): the caller skips its case.
 * On ClickHouse, msg_campaign is what the old ingest gave: a sent or delivered event its own campaign,
 * any other event '' (its message named by two campaigns, so no single campaign).
 */
export async function storeUnchecked(store: Store, raw: readonly RawEvent[]): Promise<boolean> {
  const events = parsed(raw);
  if (store.kind === 'duckdb') {
    for (const e of events) {
      const bag = new ParamBag();
      const values = COLUMNS.map((c) =>
        e[c] === null || e[c] === undefined
          ? 'NULL'
          : store.dialect.param(bag, e[c], typeof e[c] === 'number' ? (c === 'value' ? 'Float64' : 'Int64') : 'String'),
      );
      await store.query({
        sql: `INSERT INTO events (${COLUMNS.join(', ')}, ingested_at) SELECT ${values.join(', ')}, (SELECT coalesce(max(ingested_at), 0) + 1 FROM events)`,
        params: bag.params,
      });
    }
    return true;
  }
  const config = (store as Partial<{ config: { url: string; database: string; username: string; password: string } }>).config;
  if (config === undefined) return false;
  const { ClickHouseConnection } = await import('../../src/store/clickhouse/connection.js');
  const conn = ClickHouseConnection.create(config.url, config.database, config.username, config.password);
  try {
    const claim = (e: (typeof events)[number]) => e.type === 'sent' || e.type === 'delivered';
    await conn.insert(
      'events',
      events.map((e) => ({ ...e, msg_campaign: claim(e) ? (e.campaign ?? '') : '', ingested_at: Date.now() })),
    );
  } finally {
    await conn.close();
  }
  return true;
}
