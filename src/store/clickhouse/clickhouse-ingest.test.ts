// The sliced commit (clickhouse-publish.ts) against a real server: with slices of a few rows, every batch
// stores exactly what one slice stores (ids, first occurrences, h:<digest>:<n> ids, msg_campaign, counts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestEvents, validateEvents } from '../../ingest/ingest-events.js';
import { at, sends, type RawEvent } from '../../../test/support/conformance-cases.js';
import type { IngestCounts, Store } from '../store.js';
import { ClickHouseIngestSession } from './clickhouse-ingest.js';
import { openClickHouseStore } from './clickhouse-store.js';
import { useLocalClickHouse } from '../../../test/support/clickhouse.js';

const local = useLocalClickHouse();
let n = 0;

const click = (id: string | null, message: string, extra: RawEvent = {}): RawEvent => ({
  ...(id === null ? {} : { id }),
  type: 'click',
  ts: at(30),
  message,
  url: 'https://shop.example.com/',
  ...extra,
});
const withIds = (events: RawEvent[], prefix: string): RawEvent[] => events.map((e, i) => ({ id: `${prefix}${i}`, ...e }));

interface IngestCase {
  name: string;
  /** Batches, each one ingest session, in order. */
  batches: RawEvent[][];
  /** What each batch's commit reports, as a user of `import` reads it. */
  counts: Array<Pick<IngestCounts, 'inserted' | 'duplicates'>>;
  /** Stored id → msg_campaign for the ids the case is about. */
  expect: Record<string, string>;
}

const CASES: IngestCase[] = [
  {
    name: 'duplicates within and across slices keep the first occurrence',
    batches: [
      [
        ...withIds(sends(6, 'c'), 's'),
        click('x', 'm0', { url: 'https://first.example.com/' }),
        click('x', 'm1', { url: 'https://second.example.com/' }),
        click('s3', 'm3'),
      ],
    ],
    counts: [{ inserted: 7, duplicates: 2 }],
    expect: { x: 'c', s3: 'c', s5: 'c' },
  },
  {
    name: 're-import stores nothing new; a partly new batch adds only its new ids',
    batches: [withIds(sends(5, 'c'), 's'), withIds(sends(5, 'c'), 's'), withIds(sends(8, 'c'), 's')],
    counts: [
      { inserted: 5, duplicates: 0 },
      { inserted: 0, duplicates: 5 },
      { inserted: 3, duplicates: 5 },
    ],
    expect: { s0: 'c', s7: 'c' },
  },
  {
    name: 'id-less events get h:<digest>:<n>, identical ones numbered 1…k, again the same on re-import',
    batches: [
      [...sends(3, 'c'), click(null, 'm0'), click(null, 'm0'), click(null, 'm0'), click(null, 'm1')],
      [click(null, 'm0'), click(null, 'm0'), click(null, 'm0'), click(null, 'm0')],
    ],
    counts: [
      { inserted: 7, duplicates: 0 },
      { inserted: 1, duplicates: 3 },
    ],
    expect: {},
  },
  {
    name: "msg_campaign from a send in another slice, from a stored send, '' when unknown, the owner's when a delivery names another campaign",
    batches: [
      withIds(sends(4, 'a'), 'a'),
      [
        ...withIds(sends(4, 'b', 'n'), 'b'),
        click('k1', 'n3'),
        click('k2', 'm2'),
        click('k3', 'nobody'),
        { id: 'd1', type: 'delivered', ts: at(1), message: 'n0', campaign: 'other' },
        click('k4', 'n0'),
        { id: 'ad1', type: 'click', ts: at(2), campaign: 'ads', ad: 'banner' },
      ],
    ],
    counts: [
      { inserted: 4, duplicates: 0 },
      { inserted: 10, duplicates: 0 },
    ],
    // d1 names another campaign than n0's first sent: it is n0's event all the same (message-owner.ts).
    expect: { k1: 'b', k2: 'a', k3: '', d1: 'b', k4: 'b', ad1: 'ads' },
  },
];

async function run(store: Store, c: IngestCase): Promise<{ counts: IngestCounts[]; rows: Record<string, unknown>[] }> {
  const counts: IngestCounts[] = [];
  for (const b of c.batches) counts.push(await ingestEvents(store, b));
  const rows = await store.query({ sql: 'SELECT id, type, ts, message, campaign, url, msg_campaign FROM events ORDER BY id', params: {} });
  return { counts, rows };
}

for (const c of CASES) {
  test(`[clickhouse] sliced commit: ${c.name}`, async () => {
    const whole = await openClickHouseStore(local.server.url(`whole${++n}`));
    const sliced = await openClickHouseStore(local.server.url(`sliced${n}`));
    const saved = ClickHouseIngestSession.sliceRows;
    try {
      const one = await run(whole, c);
      ClickHouseIngestSession.sliceRows = 2;
      const many = await run(sliced, c);
      assert.deepEqual(
        one.counts.map(({ inserted, duplicates }) => ({ inserted, duplicates })),
        c.counts,
      );
      assert.deepEqual(many, one, 'slices of two rows store exactly what one slice stores');
      const stored = new Map(one.rows.map((r) => [String(r.id), r]));
      for (const [id, campaign] of Object.entries(c.expect)) assert.equal(stored.get(id)?.msg_campaign, campaign, `msg_campaign of ${id}`);
      if (c.name.startsWith('duplicates')) assert.equal(stored.get('x')?.url, 'https://first.example.com/');
      if (c.name.startsWith('id-less')) {
        const hs = one.rows.filter((r) => r.type === 'click').map((r) => String(r.id).replace(/^h:[^:]+:/, `${String(r.message)}:`));
        assert.deepEqual(hs.sort(), ['m0:1', 'm0:2', 'm0:3', 'm0:4', 'm1:1']);
      }
    } finally {
      ClickHouseIngestSession.sliceRows = saved;
      await whole.close();
      await sliced.close();
    }
  });
}

test('[clickhouse] sliced commit: a failure after the slices, before the final insert, stores nothing and drops the session tables', async () => {
  const store = await openClickHouseStore(local.server.url(`fail${++n}`));
  const saved = ClickHouseIngestSession.sliceRows;
  const count = async (sql: string) => Number((await store.query({ sql, params: {} }))[0]?.n);
  try {
    await ingestEvents(store, withIds(sends(3, 'c'), 's'));
    ClickHouseIngestSession.sliceRows = 2;
    const session = (await store.beginIngest()) as ClickHouseIngestSession;
    await session.append(validateEvents([...withIds(sends(6, 'c', 'n'), 'n'), click('k', 'n1')]).events);
    // A table in the way of the last preparation step: every id slice has run when commit fails.
    const res = await fetch(`http://127.0.0.1:${local.server.httpPort}/?database=fail${n}`, {
      method: 'POST',
      body: `CREATE TABLE ${session.tables.ready} (x UInt8) ENGINE = Log`,
    });
    assert.equal(res.status, 200);
    await assert.rejects(session.commit(), { code: 'CR_ERR_STORE' });
    assert.equal(await count('SELECT count() AS n FROM events'), 3);
    assert.equal(await count("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, 'clickrate_stage_')"), 0);
    // And the same batch commits afterwards, as if the failed attempt had never been.
    assert.equal((await ingestEvents(store, [...withIds(sends(6, 'c', 'n'), 'n'), click('k', 'n1')])).inserted, 7);
  } finally {
    ClickHouseIngestSession.sliceRows = saved;
    await store.close();
  }
});
