// The conformance cases of message ownership (message-owner.ts), run on every store by
// store-conformance.ts: a sent naming another campaign's message is refused and named, and no report or
// export shows one campaign's events under another, whether the store refused the sent or (stored by an
// older build) holds it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reclassify } from '../../src/classify/reclassify.js';
import { campaignEventPages, type ExportedEvent } from '../../src/metrics/campaign-events.js';
import { runReport, runReports } from '../../src/metrics/run-report.js';
import { OWNERSHIP as O, type RawEvent } from './conformance-cases.js';
import { storeUnchecked } from './legacy-events.js';
import type { IngestCounts, Store } from '../../src/store/store.js';
import { toIngest } from './ingest-raw.js';

type OpenStore = () => Promise<Store>;

async function commit(store: Store, raw: RawEvent[]): Promise<IngestCounts> {
  const session = await store.beginIngest();
  await session.append(toIngest(raw));
  const counts = await session.commit();
  await reclassify(store);
  return counts;
}

async function exported(store: Store, campaign: string): Promise<ExportedEvent[]> {
  const all: ExportedEvent[] = [];
  for await (const page of campaignEventPages(store, campaign)) all.push(...page);
  return all;
}

/** The owner's page (totals and its variants) as a report shows it. */
const ownerPage = (store: Store) => runReports(store, { campaign: O.owner }, [null, 'variant']);

/** The other campaign's report and export hold its own messages only, nothing of the owner's. */
async function assertOtherIsItsOwn(store: Store, sent: number, label: string): Promise<void> {
  const other = await runReport(store, { campaign: O.other });
  assert.ok(other.kind === 'email', label);
  assert.deepEqual([other.totals.sent, other.totals.unique_opens, other.totals.total_clicks], [sent, 0, 0], `${label}: the other campaign's figures`);
  const events = await exported(store, O.other);
  assert.equal(events.length, sent, `${label}: the other campaign's export holds its own sends only`);
  for (const e of events) assert.match(String(e.message), /^other:/, `${label}: ${JSON.stringify(e)}`);
}

function assertNoIntruders(events: ExportedEvent[], label: string): void {
  for (const e of events) {
    assert.ok(
      e.campaign === undefined || e.campaign === O.owner || e.type !== 'sent',
      `${label}: a sent of another campaign in the owner's export: ${JSON.stringify(e)}`,
    );
    assert.doesNotMatch(String(e.recipient ?? ''), /intruder|legacy/, `${label}: ${JSON.stringify(e)}`);
  }
}

export function ownershipConformance(backend: string, open: OpenStore): void {
  test(`[${backend}] a sent naming another campaign's message is refused and named; no campaign shows another's events`, async () => {
    const store = await open();
    try {
      await commit(store, O.stored);
      const before = await ownerPage(store);
      const counts = await commit(store, [O.intruder, O.alongside]);
      assert.deepEqual({ ...counts, refused: counts.refused?.map((r) => r.id) }, { received: 2, inserted: 1, duplicates: 0, refused: ['intruder-sent'] });
      assert.match(counts.refused![0]!.reason, /'spring-sale:m1'.*campaign 'spring-sale'.*campaign 'other'/);
      assert.deepEqual(await ownerPage(store), before, "the owner's report is unchanged");
      await assertOtherIsItsOwn(store, 3, 'after the refusal');
      assertNoIntruders(await exported(store, O.owner), "the owner's export");

      // Events of the owner's message that name the other campaign are kept, and they are the owner's.
      const kept = await commit(store, O.disagreeing);
      assert.deepEqual(kept, { received: 2, inserted: 2, duplicates: 0 });
      const [totals] = await ownerPage(store);
      assert.ok(totals?.kind === 'email' && before[0]?.kind === 'email');
      assert.equal(totals.totals.unique_opens, before[0].totals.unique_opens + 1, 'the open naming the other campaign counts for the owner');
      assert.equal(totals.totals.sent, before[0].totals.sent);
      await assertOtherIsItsOwn(store, 3, 'after events naming the other campaign');
      const mine = (await exported(store, O.owner)).map((e) => e.id);
      for (const id of ['dis-open', 'dis-delivered']) assert.ok(mine.includes(id), `${id} is in the owner's export`);
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] two sents of one new message to two campaigns in one batch: the first by (ts, id) wins`, async () => {
    const store = await open();
    try {
      const counts = await commit(store, O.sameBatch);
      assert.deepEqual(
        counts.refused?.map((r) => [r.id, r.reason]),
        [['tie-b', "message 'tie:m1' belongs to campaign 'fourth', so a sent naming campaign 'third' is refused"]],
      );
      const fourth = await runReport(store, { campaign: 'fourth' });
      assert.equal(fourth.kind === 'email' && fourth.totals.sent, 1);
      await assert.rejects(runReport(store, { campaign: 'third' }), { code: 'CR_ERR_NOT_FOUND' });
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] a store holding sends of one message under two campaigns (stored before the rule) reports it under its first sent's only`, async (t) => {
    const store = await open();
    try {
      await commit(store, O.stored);
      const before = await ownerPage(store);
      if (!(await storeUnchecked(store, O.legacy))) {
        t.skip('this store cannot be written past its ingest');
        return;
      }
      for (const when of ['as stored', 'after a classification pass']) {
        const page = await ownerPage(store);
        assert.ok(page[0]?.kind === 'email' && before[0]?.kind === 'email');
        assert.equal(page[0].totals.sent, before[0].totals.sent, when);
        assert.equal(page[0].totals.total_clicks, before[0].totals.total_clicks + 1, `${when}: the later click is the owner's`);
        const variants = (r: (typeof page)[number] | undefined) => r?.groups.map((g) => [g.key, 'sent' in g ? g.sent : null]);
        assert.deepEqual(variants(page[1]), variants(before[1]), `${when}: the other campaign's sent lends the message no variant`);
        await assertOtherIsItsOwn(store, 2, when);
        assertNoIntruders(await exported(store, O.owner), `${when}: the owner's export`);
        await reclassify(store);
      }
    } finally {
      await store.close();
    }
  });
}
