// The privacy conformance suite: address retention, erasure and export on any store, through the public
// pipeline (ingest → classify → report). Every figure must be the same before and after, also after the
// classifier runs again over everything, and nothing of an erased recipient may be left in any table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reclassify } from '../../src/classify/reclassify.js';
import { runReport } from '../../src/metrics/run-report.js';
import { recipientEvents, type RecipientEvent } from '../../src/store/recipient-events.js';
import type { Store } from '../../src/store/store.js';
import { ingest } from './ingest-raw.js';
import type { RawEvent } from './conformance-cases.js';
import type { OpenStore } from './store-conformance.js';

const DAY = 86_400_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const ALICE = 'alice.private@example.org';
const ALICE_IP = '198.51.100.77';
const ALICE_V6 = '2001:db8:7:42::99';

/**
 * A campaign sent `daysAgo` days ago to four recipients (one of them Alice, twice), with opens and clicks
 * people and machines make: an Apple Mail prefetch (judged by its bare user agent, which the cut loses),
 * a Gmail proxy open, a scripted click, people's clicks over IPv4 and IPv6.
 */
function campaign(name: string, daysAgo: number): RawEvent[] {
  const t0 = NOW - daysAgo * DAY;
  const at = (minutes: number) => iso(t0 + minutes * 60_000);
  const who = [ALICE, 'bob@example.com', 'carol@mail.example.net', ALICE];
  const sent: RawEvent[] = who.map((recipient, i) => ({
    type: 'sent',
    ts: at(0),
    message: `${name}-m${i}`,
    campaign: name,
    recipient,
    variant: i % 2 ? 'B' : 'A',
  }));
  const ev = (type: string, i: number, minutes: number, ip: string, ua: string, url?: string): RawEvent => ({
    type,
    ts: at(minutes),
    message: `${name}-m${i}`,
    ip,
    user_agent: ua,
    ...(url ? { url } : {}),
  });
  return [
    ...sent,
    ...who.map((_, i) => ({ type: 'delivered', ts: at(1), message: `${name}-m${i}` })),
    ev('open', 0, 12, ALICE_IP, 'Mozilla/5.0'),
    ev('open', 0, 300, ALICE_IP, CHROME),
    ev('click', 0, 301, ALICE_IP, CHROME, 'https://shop.example.com/a'),
    ev('open', 1, 90, '66.249.84.5', GMAIL),
    ev('click', 1, 2, '203.0.113.40', 'python-requests/2.31.0', 'https://shop.example.com/a'),
    ev('click', 2, 400, '2001:db8:1:2::5', CHROME, 'https://shop.example.com/b'),
    ev('click', 3, 500, ALICE_V6, CHROME, 'https://shop.example.com/b'),
  ];
}

/** Every report the campaign has, as JSON: totals and each breakdown a person may ask for. */
async function figures(store: Store, name: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const by of [undefined, 'variant', 'link', 'provider', 'day'] as const) out.push(await runReport(store, { campaign: name, ...(by ? { by } : {}) }));
  return out;
}

async function exported(store: Store, recipient: string): Promise<RecipientEvent[]> {
  const all: RecipientEvent[] = [];
  for await (const page of recipientEvents(store, recipient)) all.push(...page);
  return all;
}

/** Rows of any table, in any text column, that contain `needle`: [table.column, rows]. */
async function traces(store: Store, needle: string): Promise<Array<[string, number]>> {
  const columns =
    store.kind === 'duckdb'
      ? await store.query({ sql: "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'main'", params: {} })
      : await store.query({ sql: "SELECT table AS t, name AS c FROM system.columns WHERE database = currentDatabase() AND type LIKE '%String%'", params: {} });
  const found: Array<[string, number]> = [];
  for (const { t, c } of columns) {
    const col = store.kind === 'duckdb' ? `CAST("${c}" AS VARCHAR)` : `toString(${c})`;
    const hit = store.kind === 'duckdb' ? `strpos(lower(${col}), lower($n)) > 0` : `positionCaseInsensitive(${col}, {n:String}) > 0`;
    const [row] = await store.query({ sql: `SELECT count(*) AS n FROM ${t} WHERE ${hit}`, params: { n: { value: needle, type: 'String' } } });
    if (Number(row?.n) > 0) found.push([`${t}.${c}`, Number(row?.n)]);
  }
  return found;
}

export function privacyConformanceSuite(backend: string, open: OpenStore): void {
  test(`[${backend}] address retention cuts old addresses and agents; every figure and verdict stays, also after classifying everything again`, async () => {
    const store = await open();
    try {
      await ingest(store, [...campaign('old', 40), ...campaign('new', 2)]);
      const before = [await figures(store, 'old'), await figures(store, 'new')];
      const cut = await store.cutAddresses(NOW - 30 * DAY);
      assert.equal(cut, 7, 'the old campaign has seven opens and clicks');
      assert.equal(await store.cutAddresses(NOW - 30 * DAY), 0, 'nothing is cut twice');
      const stored = async (campaign: string) =>
        (await store.query({ sql: `SELECT ip, user_agent FROM events WHERE message LIKE '${campaign}-%' AND ip IS NOT NULL ORDER BY ts`, params: {} })).map(
          (r) => [r.ip, r.user_agent],
        );
      assert.deepEqual(await stored('old'), [
        ['203.0.113.0', 'python-requests/2'],
        ['198.51.100.0', 'Mozilla/5'],
        ['66.249.84.0', 'Firefox/11'],
        ['198.51.100.0', 'Chrome/124'],
        ['198.51.100.0', 'Chrome/124'],
        ['2001:db8:1::', 'Chrome/124'],
        ['2001:db8:7::', 'Chrome/124'],
      ]);
      assert.ok(
        (await stored('new')).some(([ip]) => ip === ALICE_IP),
        'recent addresses are kept whole',
      );
      assert.deepEqual([await figures(store, 'old'), await figures(store, 'new')], before);
      await reclassify(store, { all: true });
      assert.deepEqual([await figures(store, 'old'), await figures(store, 'new')], before, 'a new pass over everything changes no verdict');
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] forget erases a recipient everywhere and keeps every figure; export gives exactly its events`, async () => {
    const store = await open();
    try {
      await ingest(store, [...campaign('spring', 3), ...campaign('autumn', 1)]);
      await store.saveTemplate({ campaign: 'spring', step: 1, variant: 'A', html: `<p>Hello ${ALICE}</p>`, saved_at: NOW });
      await store.saveTemplate({ campaign: 'spring', step: 1, variant: 'B', html: '<p>Hello {{name}}</p>', saved_at: NOW });
      const before = [await figures(store, 'spring'), await figures(store, 'autumn')];

      const mine = await exported(store, ALICE);
      const messages = ['spring-m0', 'spring-m3', 'autumn-m0', 'autumn-m3'];
      // Alice's sends, their deliveries, and every open and click of her messages; no one else's.
      assert.equal(mine.length, 2 * (2 + 2 + 4));
      assert.ok(mine.every((e) => messages.includes(e.message ?? '')));
      assert.deepEqual(new Set(mine.filter((e) => e.type === 'sent').map((e) => e.recipient)), new Set([ALICE]));
      assert.ok(mine.some((e) => e.ip === ALICE_IP && e.verdict === 'machine' && e.reasons?.includes('apple-mpp-proxy')));
      assert.deepEqual((await exported(store, 'bob@example.com')).map((e) => e.message).sort(), [
        'autumn-m1',
        'autumn-m1',
        'autumn-m1',
        'autumn-m1',
        'spring-m1',
        'spring-m1',
        'spring-m1',
        'spring-m1',
      ]);

      const report = await store.forgetRecipient(ALICE);
      assert.equal(report.messages, 4);
      assert.deepEqual(
        report.erased.map((e) => [e.table, e.rows]),
        [
          ['events', 4],
          ['events', 8],
          ['templates', 1],
          ['message_mail_links', 0],
        ],
      );
      for (const needle of [ALICE, ALICE_IP, '2001:db8:7:42']) assert.deepEqual(await traces(store, needle), [], `${needle} is left nowhere`);
      assert.deepEqual(await exported(store, ALICE), []);
      assert.equal((await exported(store, 'bob@example.com')).filter((e) => e.ip !== null).length, 4, "others' data stays");
      assert.ok(await store.getTemplate('spring', 1, 'B'), 'a template that does not name the recipient stays');
      assert.deepEqual([await figures(store, 'spring'), await figures(store, 'autumn')], before);
      await reclassify(store, { all: true });
      assert.deepEqual([await figures(store, 'spring'), await figures(store, 'autumn')], before, 'a new pass over everything changes no verdict');
    } finally {
      await store.close();
    }
  });
}
