// The verdict-pass suite every store backend runs (like store-conformance.ts): after reclassify, each
// stored verdict must equal what classifyEvents gives over the whole store's events, grouped by message —
// the plain reference the bulk pass replaces — including late deliveries, ads and version changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoEvents } from '../../src/demo/demo-dataset.js';
import { ingestEvents } from '../../src/ingest/ingest-events.js';
import type { Store } from '../../src/store/store.js';
import { classifyEvents } from '../../src/classify/classify.js';
import { CLASSIFIER_VERSION, DEFAULT_CLASSIFIER_CONFIG } from '../../src/classify/config.js';
import { classifyGroups, reclassify } from '../../src/classify/reclassify.js';
import { explainMessage } from '../../src/classify/explain-message.js';
import { sharedClientMemoryOf } from '../../src/classify/shared-client-hits.js';

export type OpenStore = () => Promise<Store>;

/** Small pieces, so a test dataset spans many chunks and write-back slices. */
const SMALL = { chunkEvents: 1500, sliceRows: 5000 };

const T0 = Date.parse('2026-03-02T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36';
/** Azure: a data centre (weighs 0.6, not machine alone). */
const AZURE = '40.94.12.7';
const ODD = 'm "quoted", with\nnewline';

/** Events the demo does not have: awkward text for every encoding on the way, and no-anchor messages. */
const EDGE: Record<string, string>[] = [
  // Its delivery arrives in a later batch (LATE_DELIVERY): the click is then 1 s after it.
  // The same recipient as 'send-only': three recipients' clicks from one block and agent soon after
  // delivery would be a shared client, which changes other messages' verdicts only on `classify --all`.
  { id: 'late-sent', type: 'sent', ts: iso(T0), message: 'late', campaign: 'edge', recipient: 'c@example.com' },
  { id: 'late-click', type: 'click', ts: iso(T0 + 10 * MIN + 1000), message: 'late', url: 'https://a.example.com/', ip: AZURE, user_agent: CHROME },
  // Only a send to anchor it: 30 s after the send is when gateways scan.
  { id: 'send-only-sent', type: 'sent', ts: iso(T0), message: 'send-only', campaign: 'edge', recipient: 'c@example.com' },
  { id: 'send-only-click', type: 'click', ts: iso(T0 + 30_000), message: 'send-only', url: 'https://a.example.com/', ip: AZURE, user_agent: CHROME },
  // Two deliveries: the earliest anchors.
  { id: 'twice-d1', type: 'delivered', ts: iso(T0 + 5 * MIN), message: 'twice' },
  { id: 'twice-d2', type: 'delivered', ts: iso(T0 + MIN), message: 'twice' },
  { id: 'twice-sent', type: 'sent', ts: iso(T0), message: 'twice', campaign: 'edge', recipient: 'd@example.com' },
  { id: 'twice-click', type: 'click', ts: iso(T0 + MIN + 1500), message: 'twice', url: 'https://a.example.com/', ip: AZURE, user_agent: CHROME },
  { id: 'orphan-click', type: 'click', ts: iso(T0 + MIN), message: 'orphan', url: 'https://a.example.com/', ip: '73.1.2.3', user_agent: '' },
  { id: 'sent-odd', type: 'sent', ts: iso(T0), message: ODD, campaign: 'edge', recipient: 'b@example.com' },
  { id: 'q"1,\n2\\', type: 'open', ts: iso(T0 + 2 * MIN), message: ODD, ip: '17.58.101.4', user_agent: 'Mozilla/5.0' },
  {
    id: '{p0:String}',
    type: 'click',
    ts: iso(T0 + 2 * MIN),
    message: ODD,
    url: 'https://a.example.com/?q="x"',
    ip: AZURE,
    user_agent: 'curl/8.0',
    method: 'HEAD',
  },
  { id: 'same-ts-a', type: 'click', ts: iso(T0 + 2 * MIN), message: ODD, url: 'https://b.example.com/', ip: AZURE, user_agent: 'curl/8.0' },
  {
    id: 'ad-bot',
    type: 'click',
    ts: iso(T0 + 3 * MIN),
    campaign: 'ad-edge',
    ad: 'x',
    ip: '66.249.66.1',
    user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  { id: 'ad-person', type: 'click', ts: iso(T0 + 4 * MIN), campaign: 'ad-edge', ad: 'x', ip: '73.9.9.9', user_agent: CHROME },
  { id: 'ad-imp', type: 'impression', ts: iso(T0 + 2 * MIN), campaign: 'ad-edge', ad: 'x' },
];
const LATE_DELIVERY = { id: 'late-delivered', type: 'delivered', ts: iso(T0 + 10 * MIN), message: 'late' };

interface Stored {
  id: string;
  machine: boolean;
  reasons: string | null;
  version: string | null;
}

/** Every stored event with its verdict, and the verdict the reference gives it (over the same events). */
async function storedAndReference(
  store: Store,
  leaveOut: ReadonlySet<string> = new Set(),
): Promise<{ stored: Map<string, Stored>; reference: Map<string, Stored> }> {
  const d = store.dialect;
  const rows = await store.query({
    sql: `SELECT id, type, ts, message, recipient, url, ip, user_agent, method, machine, reasons, classifier_version FROM ${d.events(d.true)} AS e`,
    params: {},
  });
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const events = rows
    .filter((r) => !leaveOut.has(String(r.id)))
    .map((r) => ({
      id: String(r.id),
      type: String(r.type) as 'open',
      ts: Number(r.ts),
      message: text(r.message),
      // Shared clients count a message's recipient (from its send).
      recipient: text(r.recipient),
      url: text(r.url),
      ip: text(r.ip),
      user_agent: text(r.user_agent),
      method: r.method === 'HEAD' ? ('HEAD' as const) : r.method === 'GET' ? ('GET' as const) : null,
    }));
  const verdicts = classifyEvents(events);
  const stored = new Map(
    rows.map((r) => [String(r.id), { id: String(r.id), machine: Boolean(Number(r.machine)), reasons: text(r.reasons), version: text(r.classifier_version) }]),
  );
  const reference = new Map(
    events.map((e) => {
      const v = verdicts.get(e.id);
      return [e.id, { id: e.id, machine: v?.machine ?? false, reasons: v ? JSON.stringify(v.reasons) : null, version: CLASSIFIER_VERSION }];
    }),
  );
  return { stored, reference };
}

async function assertCurrent(store: Store): Promise<void> {
  const { stored, reference } = await storedAndReference(store);
  assert.equal(stored.size, reference.size);
  let checked = 0;
  for (const [id, want] of reference) {
    assert.deepEqual(stored.get(id), want, id);
    checked++;
  }
  assert.ok(checked > 1000);
}

/**
 * Part of the demo (ids start with the campaign): a newsletter, B2B outreach (scanners, bursts, HEAD) and
 * the ad campaign's clicks (crawlers) with some impressions; all of it made the suite slow on ClickHouse.
 */
function demoPart(): unknown[] {
  let impressions = 0;
  return demoEvents({ seed: 7, now: Date.parse('2026-03-20T12:00:00Z') }).events.filter((e) => {
    const campaign = (e.id ?? '').split(':')[0];
    if (campaign === 'onboarding' || campaign === 'outreach-q4') return true;
    return campaign === 'retargeting' && (e.type !== 'impression' || impressions++ < 2000);
  });
}

async function loaded(open: OpenStore): Promise<Store> {
  const store = await open();
  await ingestEvents(store, demoPart());
  await ingestEvents(store, EDGE);
  return store;
}

export function reclassifySuite(backend: string, open: OpenStore): void {
  test(`[${backend}] reclassify: every verdict equals classifyEvents over the store; a later delivery changes earlier verdicts`, async () => {
    const store = await loaded(open);
    try {
      const first = await reclassify(store, SMALL);
      const [{ n }] = (await store.query({ sql: 'SELECT count(*) AS n FROM events', params: {} })) as [{ n: number }];
      assert.equal(first.events, Number(n));
      assert.ok(first.verdicts > 10_000 && first.machine > 1000, JSON.stringify(first));
      await assertCurrent(store);
      const { stored } = await storedAndReference(store);
      // The anchors at work (the reference agrees, above): a send alone, and the earliest of two deliveries.
      assert.match(String(stored.get('send-only-click')?.reasons), /early:30s-after-send/);
      assert.match(String(stored.get('twice-click')?.reasons), /before-human-possible:1500ms-after-delivery/);
      assert.equal(stored.get('late-click')?.machine, false);

      await ingestEvents(store, [LATE_DELIVERY]);
      const second = await reclassify(store, SMALL);
      // Only the message with the new event is classified again.
      assert.deepEqual([second.events, second.verdicts], [3, 1]);
      await assertCurrent(store);
      const after = (await storedAndReference(store)).stored.get('late-click');
      assert.equal(after?.machine, true);
      assert.match(String(after?.reasons), /before-human-possible:1000ms-after-delivery/);
      assert.deepEqual(await reclassify(store, SMALL).then((r) => [r.events, r.verdicts]), [0, 0]);
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] reclassify: verdicts of an older version are recomputed; --all recomputes current ones too`, async () => {
    const store = await loaded(open);
    try {
      await reclassify(store, SMALL);
      const { stored } = await storedAndReference(store);
      const opensAndClicks = [...stored.values()].filter((s) => s.reasons !== null);
      const wrong = (version: string, every: number) =>
        store.writeVerdicts(
          opensAndClicks.filter((_, i) => i % every === 0).map((s) => ({ id: s.id, machine: !s.machine, reasons: '["bogus"]' })),
          version,
        );
      await wrong('2000-01-01.1', 7);
      const stale = await reclassify(store, SMALL);
      assert.ok(stale.verdicts > opensAndClicks.length / 7, JSON.stringify(stale));
      await assertCurrent(store);

      await wrong(CLASSIFIER_VERSION, 5);
      assert.deepEqual(await reclassify(store, SMALL).then((r) => r.events), 0);
      await assert.rejects(assertCurrent(store));
      const all = await reclassify(store, { ...SMALL, all: true });
      assert.equal(all.verdicts, opensAndClicks.length);
      await assertCurrent(store);
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] reclassify: a pass closed before finish() marks nothing done`, async () => {
    const store = await loaded(open);
    try {
      const pass = await store.beginVerdictPass({ version: CLASSIFIER_VERSION, all: false, ...SMALL });
      const chunk = await pass.next();
      for (const groups of chunk?.batches() ?? []) await pass.write(classifyGroups(groups).rows);
      await pass.close();
      await pass.close();
      await assert.rejects(pass.finish(), { code: 'CR_ERR_STORE' });
      const { stored } = await storedAndReference(store);
      assert.ok([...stored.values()].every((s) => s.version === null));
      await reclassify(store, SMALL);
      await assertCurrent(store);
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] reclassify: an event stored while a pass runs stays stale for the next pass`, async () => {
    const store = await loaded(open);
    try {
      const pass = await store.beginVerdictPass({ version: CLASSIFIER_VERSION, all: false, ...SMALL });
      try {
        // As reclassify does: the clients seen clicking many recipients' messages, read before the pass.
        const data = { sharedClients: await sharedClientMemoryOf(store, DEFAULT_CLASSIFIER_CONFIG, 0) };
        for (let chunk = await pass.next(); chunk; chunk = await pass.next()) {
          for (const groups of chunk.batches()) await pass.write(classifyGroups(groups, undefined, undefined, data).rows);
        }
        await ingestEvents(store, [LATE_DELIVERY]);
        await pass.finish();
      } finally {
        await pass.close();
      }
      // The pass judged 'late' without the delivery, and left the delivery for the next pass.
      const { stored, reference } = await storedAndReference(store, new Set([LATE_DELIVERY.id]));
      assert.equal(stored.get(LATE_DELIVERY.id)?.version, null);
      for (const [id, want] of reference) assert.deepEqual(stored.get(id), want, id);
      const next = await reclassify(store, SMALL);
      assert.deepEqual([next.events, next.verdicts], [3, 1]);
      await assertCurrent(store);
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] reclassify: the verdict of a reply read from a mailbox survives every pass over its message`, async () => {
    const store = await open();
    try {
      await ingestEvents(store, [
        { id: 'mb-sent', type: 'sent', ts: iso(T0), message: 'mb', campaign: 'mb', recipient: 'r@example.com' },
        { id: 'mb-reply', type: 'reply', ts: iso(T0 + 60 * MIN), message: 'mb' },
      ]);
      const reasons = '["auto-submitted:auto-replied","match:in-reply-to"]';
      await store.writeVerdicts([{ id: 'mb-reply', machine: true, reasons }], CLASSIFIER_VERSION);
      // A later open makes the message stale: the passes judge it again, reply and all.
      await ingestEvents(store, [{ id: 'mb-open', type: 'open', ts: iso(T0 + 90 * MIN), message: 'mb', user_agent: 'Mozilla/5.0 (Windows NT 10.0)' }]);
      await reclassify(store, SMALL);
      await reclassify(store, { ...SMALL, all: true });
      const reply = (await explainMessage(store, 'mb')).events.find((e) => e.id === 'mb-reply');
      assert.equal(reply?.verdict, 'auto_reply');
      assert.deepEqual(
        reply?.reasons.map((r) => r.code),
        ['auto-submitted:auto-replied', 'match:in-reply-to'],
      );
    } finally {
      await store.close();
    }
  });
}
