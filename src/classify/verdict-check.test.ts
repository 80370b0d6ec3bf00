// verdict_check on hand-made events, in a real DuckDB file and on ClickHouse: honeypot hits (and whether
// the other signals alone caught them), the last click before a conversion or reply, and opens judged
// machine per provider class, including opens stored after the last classification pass.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import { openClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { reclassify } from './reclassify.js';
import { verdictCheck, type VerdictCheck } from './verdict-check.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-vcheck-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const local = useLocalClickHouse();

const T = Date.parse('2026-06-01T09:00:00Z');
const S = 1000;
const H = 3_600_000;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36';
const OLD = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const YAHOO = 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html';
const SCRIPT = 'python-requests/2.31.0';
const TRAP = 'https://t.example.com/clickrate-honeypot';
const LOOKALIKE = 'https://shop.example.com/a/clickrate-honeypot';
const SHOP = 'https://shop.example.com/a';
const HOME = '73.9.9.9';
// Honeypot requests come from a block of their own: the classifier learns a hit's block and agent as machine.
const TRAPPED = '24.5.6.7';
const MS_CLOUD = '40.94.12.7'; // a Microsoft data-centre address
const PROOFPOINT = '148.163.140.2'; // a mail-security vendor's published range
const EXO = '40.97.10.20'; // Exchange Online
const APPLE = '17.58.1.1';

type Raw = Record<string, unknown>;
type Picked = (v: VerdictCheck) => unknown;

/** One campaign of one message, `m`: its send, its delivery and `rest` as [type, ms after send, fields]. */
function message(m: string, rest: readonly At[]): Raw[] {
  return [
    { id: `${m}-sent`, type: 'sent', ts: new Date(T).toISOString(), message: m, campaign: m, recipient: `${m}@example.com` },
    { id: `${m}-delivered`, type: 'delivered', ts: new Date(T + S).toISOString(), message: m },
    ...rest.map(([type, at, extra], i) => ({ id: `${m}-${i}`, type, ts: new Date(T + at).toISOString(), message: m, ...extra })),
  ];
}
const open = (ip: string, ua: string): Raw => ({ ip, user_agent: ua });
type At = readonly [string, number, Raw?];
const clickAt = (at: number, url: string, ip: string, ua: string): At => ['click', at, { url, ip, user_agent: ua }];
const convertAt = (at: number): At => ['conversion', at, { value: 5 }];

const share = (n: number, k: number) => ({ n, k, share: n === 0 ? null : k / n });
const honeypot = (n: number, k: number, other: number) => ({ ...share(n, k), by_other_signals: share(n, other) });
/** Every provider class empty but `cls`, with n opens of which k judged machine. */
function opensOf(cls: keyof VerdictCheck['opens_machine_by_provider'], n: number, k: number): VerdictCheck['opens_machine_by_provider'] {
  const none = share(0, 0);
  return { 'apple-mpp': none, 'gmail-proxy': none, 'yahoo-proxy': none, 'exchange-or-vendor': none, cloud: none, other: none, [cls]: share(n, k) };
}
const hp: Picked = (v) => v.honeypot;
const converting: Picked = (v) => v.converting_clicks_human;
const opens: Picked = (v) => v.opens_machine_by_provider;

/** Each case is a campaign of its own; `late`: stored after the last classification pass (no verdicts). */
const CASES: ReadonlyArray<{ name: string; events: readonly At[]; late?: true; pick: Picked; want: unknown }> = [
  // Honeypot requests: machine by construction; the other signals catch the first (cloud, old browser, at delivery).
  { name: 'honeypot, caught by other signals too', events: [clickAt(5 * S, TRAP, MS_CLOUD, OLD)], pick: hp, want: honeypot(1, 1, 1) },
  { name: 'honeypot, caught by it alone', events: [clickAt(3 * H, TRAP, TRAPPED, CHROME)], pick: hp, want: honeypot(1, 1, 0) },
  { name: 'a path ending like the honeypot', events: [clickAt(3 * H, LOOKALIKE, HOME, CHROME)], pick: hp, want: honeypot(0, 0, 0) },
  // The last click before the first conversion or reply, honeypot requests aside.
  {
    name: 'a scanner at delivery, then the person: human',
    events: [clickAt(2 * S, SHOP, PROOFPOINT, SCRIPT), clickAt(2 * H, SHOP, HOME, CHROME), convertAt(2 * H + 60 * S)],
    pick: converting,
    want: share(1, 1),
  },
  {
    name: 'the person, then a script just before the conversion: machine',
    events: [clickAt(2 * H, SHOP, HOME, CHROME), clickAt(2 * H + 10 * S, SHOP, HOME, SCRIPT), convertAt(2 * H + 60 * S)],
    pick: converting,
    want: share(1, 0),
  },
  {
    name: 'a reply closes the message: later clicks and replies count for nothing',
    events: [clickAt(4 * H, SHOP, HOME, CHROME), ['reply', 5 * H], clickAt(5 * H + 60 * S, SHOP, HOME, SCRIPT), ['reply', 6 * H]],
    pick: converting,
    want: share(1, 1),
  },
  {
    name: 'a conversion with no click before it closes the message',
    events: [convertAt(H), clickAt(2 * H, SHOP, HOME, CHROME), convertAt(3 * H)],
    pick: converting,
    want: share(0, 0),
  },
  {
    name: 'a honeypot request is never the converting click',
    events: [clickAt(H, SHOP, HOME, CHROME), clickAt(2 * H, TRAP, TRAPPED, SCRIPT), convertAt(2 * H + 60 * S)],
    pick: converting,
    want: share(1, 1),
  },
  {
    name: 'a look-alike path is an ordinary click, the converting one here',
    events: [clickAt(H, SHOP, HOME, CHROME), clickAt(2 * H, LOOKALIKE, HOME, SCRIPT), convertAt(2 * H + 60 * S)],
    pick: converting,
    want: share(1, 0),
  },
  {
    name: 'a click at the very instant of the conversion is before it',
    events: [clickAt(H, SHOP, HOME, SCRIPT), clickAt(2 * H, SHOP, HOME, CHROME), convertAt(2 * H)],
    pick: converting,
    want: share(1, 1),
  },
  {
    name: 'of two last clicks at the same instant, the machine one counts',
    events: [clickAt(2 * H, SHOP, HOME, SCRIPT), clickAt(2 * H, SHOP, HOME, CHROME), convertAt(3 * H)],
    pick: converting,
    want: share(1, 0),
  },
  // Opens per provider class.
  { name: "Apple's bare agent", events: [['open', 20 * 60 * S, open(APPLE, 'Mozilla/5.0')]], pick: opens, want: opensOf('apple-mpp', 1, 1) },
  {
    name: "Apple's bare agent from an unlisted address",
    events: [['open', 20 * 60 * S, open(HOME, 'Mozilla/5.0')]],
    pick: opens,
    want: opensOf('apple-mpp', 1, 1),
  },
  { name: "a person's own agent from Apple's addresses", events: [['open', 3 * H, open(APPLE, CHROME)]], pick: opens, want: opensOf('apple-mpp', 1, 0) },
  { name: "Gmail's image proxy", events: [['open', 2 * H, open('66.249.84.10', GMAIL)]], pick: opens, want: opensOf('gmail-proxy', 1, 0) },
  { name: "Yahoo's image proxy", events: [['open', 2 * H, open('98.136.1.1', YAHOO)]], pick: opens, want: opensOf('yahoo-proxy', 1, 0) },
  { name: 'a mail-security gateway at delivery', events: [['open', 5 * S, open(PROOFPOINT, SCRIPT)]], pick: opens, want: opensOf('exchange-or-vendor', 1, 1) },
  { name: 'Outlook on the web, late: a person', events: [['open', 3 * H, open(EXO, CHROME)]], pick: opens, want: opensOf('exchange-or-vendor', 1, 0) },
  { name: 'a script in a data centre', events: [['open', 5 * S, open(MS_CLOUD, SCRIPT)]], pick: opens, want: opensOf('cloud', 1, 1) },
  { name: 'a person at home', events: [['open', 3 * H, open(HOME, CHROME)]], pick: opens, want: opensOf('other', 1, 0) },
  // Not yet classified: classed by agent and address, never judged machine.
  {
    name: 'unclassified, from Exchange Online',
    late: true,
    events: [['open', 5 * S, open(EXO, SCRIPT)]],
    pick: opens,
    want: opensOf('exchange-or-vendor', 1, 0),
  },
  { name: "unclassified, Apple's bare agent", late: true, events: [['open', 5 * S, open(HOME, 'Mozilla/5.0')]], pick: opens, want: opensOf('apple-mpp', 1, 0) },
  {
    name: 'unclassified honeypot request and converting click',
    late: true,
    events: [clickAt(H, SHOP, HOME, SCRIPT), clickAt(2 * H, TRAP, TRAPPED, SCRIPT), convertAt(3 * H)],
    pick: (v) => [v.honeypot, v.converting_clicks_human],
    want: [honeypot(1, 0, 0), share(1, 1)],
  },
];

const campaignOf = (i: number) => `c${i}`;

async function run(t: { test: (name: string, fn: () => Promise<void>) => Promise<void> }, open: () => Promise<Store>): Promise<void> {
  const store = await open();
  try {
    const batch = (late: boolean) => CASES.flatMap((c, i) => (!!c.late === late ? message(campaignOf(i), c.events) : []));
    await ingestEvents(store, batch(false));
    await reclassify(store, { all: true });
    await ingestEvents(store, batch(true));
    for (const [i, c] of CASES.entries()) {
      await t.test(c.name, async () => assert.deepEqual(c.pick(await verdictCheck(store, campaignOf(i))), c.want));
    }
  } finally {
    await store.close();
  }
}

test('[duckdb] verdict_check', (t) => run(t, () => openDuckDbStore(join(dir, 'v.duckdb'))));

test('[clickhouse] verdict_check', (t) => run(t, () => openClickHouseStore(local.server.url('vcheck'))));
