// The ownership rule (message-owner.ts) case by case on both stores: which campaign a message belongs
// to after each batch, and which sents each batch's commit refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openClickHouseStore } from './clickhouse/clickhouse-store.js';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { at, type RawEvent } from '../../test/support/conformance-cases.js';
import { openDuckDbStore } from './duckdb/duckdb-store.js';
import { assertMessageCampaign, messageOwner } from './message-owner.js';
import type { Store } from './store.js';
import { toIngest } from '../../test/support/ingest-raw.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-owner-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local = useLocalClickHouse();
let n = 0;

const claim = (type: 'sent' | 'delivered', id: string, campaign: string, minutes: number): RawEvent => ({
  id,
  type,
  ts: at(minutes),
  message: 'm',
  campaign,
  ...(type === 'sent' ? { recipient: 'r@x.com' } : {}),
});

interface Case {
  name: string;
  /** Batches committed one after the other, all about message `m`. */
  batches: RawEvent[][];
  /** The ids each batch's commit refused. */
  refused: string[][];
  owner: string | null;
}

const CASES: Case[] = [
  { name: 'a message nobody sent has no owner', batches: [[{ id: 'o', type: 'open', ts: at(1), message: 'm' }]], refused: [[]], owner: null },
  {
    name: 'a later batch cannot take a message, even with an earlier sent',
    batches: [[claim('sent', 's1', 'A', 10)], [claim('sent', 's2', 'B', 5)]],
    refused: [[], ['s2']],
    owner: 'A',
  },
  { name: 'in one batch the earliest sent wins', batches: [[claim('sent', 's1', 'A', 10), claim('sent', 's2', 'B', 5)]], refused: [['s1']], owner: 'B' },
  { name: 'at the same instant the smallest id wins', batches: [[claim('sent', 'b', 'A', 5), claim('sent', 'a', 'B', 5)]], refused: [['b']], owner: 'B' },
  {
    name: 'a message only delivered belongs to its delivery, and keeps it',
    batches: [[claim('delivered', 'd1', 'A', 1)], [claim('sent', 's1', 'B', 0)]],
    refused: [[], ['s1']],
    owner: 'A',
  },
  {
    name: 'in one batch a sent comes before a delivery naming another campaign, which is kept',
    batches: [[claim('delivered', 'd1', 'A', 1), claim('sent', 's1', 'B', 5)]],
    refused: [[]],
    owner: 'B',
  },
  {
    name: 'sends of the owner are never refused',
    batches: [[claim('sent', 's1', 'A', 10)], [claim('sent', 's2', 'A', 5), claim('sent', 's3', 'A', 20)]],
    refused: [[], []],
    owner: 'A',
  },
];

const STORES: Array<[string, () => Promise<Store>]> = [
  ['duckdb', () => openDuckDbStore(join(dir, `o${++n}.duckdb`))],
  ['clickhouse', () => openClickHouseStore(local.server.url(`owner${++n}`))],
];

for (const [kind, open] of STORES) {
  for (const c of CASES) {
    test(`[${kind}] ${c.name}`, async () => {
      const store = await open();
      try {
        const refused: string[][] = [];
        for (const batch of c.batches) {
          const session = await store.beginIngest();
          await session.append(toIngest(batch));
          refused.push(((await session.commit()).refused ?? []).map((r) => r.id));
        }
        assert.deepEqual(refused, c.refused);
        assert.equal(await messageOwner(store, 'm'), c.owner);
        await assertMessageCampaign(store, 'm', c.owner ?? 'anything');
        if (c.owner !== null)
          await assert.rejects(assertMessageCampaign(store, 'm', 'Z'), { code: 'CR_ERR_CONFLICT', message: new RegExp(`campaign '${c.owner}'`) });
      } finally {
        await store.close();
      }
    });
  }
}
