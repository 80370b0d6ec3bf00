// The classifier checking itself on the sender's own traffic (`verdict_check` in reports and on the
// campaign page): of honeypot requests, the share judged machine (and the share the other signals alone
// would have caught); of the clicks that led to a conversion or a reply, the share judged human; of the
// opens from each provider class, the share judged machine. Drift in any of these shows rules going stale.
// The store aggregates: only honeypot requests and opens without stored reasons come back, grouped.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import { IS_CLAIM_TYPE } from '../store/message-grain.js';
import type { Row, Store } from '../store/store.js';
import { HONEYPOT_PATH, isHoneypotUrl } from './honeypot.js';
import { defaultRangeTable, type IpRangeTable } from './ip-ranges.js';
import { uaSignal } from './user-agent.js';
import type { VerdictCheck } from './verdict-check-schema.js';
import { probabilityFromReasons } from './verdict-probability.js';

export type { VerdictCheck } from './verdict-check-schema.js';

type Share = VerdictCheck['honeypot']['by_other_signals'];

/** Where an open came from, by agent and published address (the schema names each class). */
export type ProviderClass = keyof VerdictCheck['opens_machine_by_provider'];

const CLASSES: readonly ProviderClass[] = ['apple-mpp', 'gmail-proxy', 'yahoo-proxy', 'exchange-or-vendor', 'cloud', 'other'];

/**
 * An open's provider class from its stored reason codes (a JSON array of strings), first match wins:
 * the same order as `providerClass` reads agent and address. The classifier writes these codes on every
 * open exactly when the agent or the address says so (request-signals.ts): `apple-mpp-proxy` for Apple's
 * bare agent, `human-image-proxy:<name>` for an image proxy's, `apple-ip:` or `apple-mail-proxy:` (Apple
 * Mail's own agent) for Apple's published addresses, `security-vendor-ip:` or `late-proxy-open:` for a mail-security range, and `datacenter-ip:`
 * for a data centre outside one. Patterns are constants of the code; each starts at a code's opening quote.
 * TRICKY: the stored codes reflect the range table when the open was classified; after `ranges update`,
 * opens keep their old class until reclassified, as their verdicts do.
 */
const CLASS_BY_REASONS: ReadonlyArray<readonly [ProviderClass, readonly string[]]> = [
  ['apple-mpp', ['"apple-mpp-proxy"']],
  ['yahoo-proxy', ['"human-image-proxy:Yahoo"']],
  ['gmail-proxy', ['"human-image-proxy:']],
  ['apple-mpp', ['"apple-ip:', '"apple-mail-proxy:']],
  ['exchange-or-vendor', ['"security-vendor-ip:', '"late-proxy-open:']],
  ['cloud', ['"datacenter-ip:']],
];

/** Where an open came from when no reasons are stored (not yet classified): its agent and address. */
export function providerClass(ip: string | null, ua: string | null, ranges: IpRangeTable): ProviderClass {
  const s = uaSignal(ua);
  if (s.kind === 'apple-mpp') return 'apple-mpp';
  if (s.kind === 'image-proxy') return s.name === 'Yahoo' ? 'yahoo-proxy' : 'gmail-proxy';
  const m = ranges.lookup(ip);
  if (m['apple-proxy']) return 'apple-mpp';
  if (m['mail-security']) return 'exchange-or-vendor';
  if (m.datacenter) return 'cloud';
  return 'other';
}

const share = (n: number, k: number): Share => ({ n, k, share: n === 0 ? null : k / n });
const text = (v: Row[string] | undefined): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: Row[string] | undefined): number => Number(v ?? 0);
const isMachine = (v: Row[string] | undefined) => v === true || v === 1 || v === '1' || v === 'true';

/** The reason codes of a stored `reasons` value (a JSON array; none when absent or unreadable). */
export function codesOf(v: Row[string] | undefined): string[] {
  try {
    return typeof v === 'string' ? (JSON.parse(v) as string[]) : [];
  } catch {
    return [];
  }
}

/** A click whose destination may be the honeypot's: a superset of isHoneypotUrl, narrowed in JavaScript. */
const MAYBE_HONEYPOT = `coalesce(url, '') LIKE '%${HONEYPOT_PATH}'`;

/**
 * The two statements of one campaign, each with its own bound parameters. TRICKY: the costly part of
 * each is finding the campaign's messages (a semi-join over every message it sent, ~0.6 s at a million
 * messages on DuckDB), so each statement does it once: one reads opens and maybe-honeypot clicks in one
 * scan, the other the first conversion or reply of each message and then only those messages' clicks.
 */
class CheckQueries {
  constructor(
    private readonly d: SqlDialect,
    private readonly campaign: string,
  ) {}

  /** `body` given the campaign placeholder, a condition on events "of the campaign's messages", and the bag. */
  private compile(body: (c: string, ofCampaign: string, bag: ParamBag) => string): CompiledQuery {
    const d = this.d;
    const bag = new ParamBag();
    const c = d.param(bag, this.campaign, 'String');
    const ofCampaign = d.messageIn(`SELECT message FROM events WHERE ${d.layout.campaignNamed(c)} AND message IS NOT NULL AND ${IS_CLAIM_TYPE}`);
    return { sql: body(c, ofCampaign, bag), params: bag.params };
  }

  /**
   * Opens by provider class (`cls`) and verdict, opens without stored reasons by address and agent
   * instead (`cls` NULL, for the range table to class as before classification), and clicks that may be
   * honeypot requests by destination, verdict and reasons (`h_url` set). Scanners that request every link
   * bring many honeypot hits on a large campaign; grouped, they come back as few rows.
   */
  opensAndHoneypots(): CompiledQuery {
    const d = this.d;
    const r = `coalesce(reasons, '')`;
    const cases = CLASS_BY_REASONS.map(([cls, codes]) => `WHEN ${codes.map((p) => `${r} LIKE '%${p}%'`).join(' OR ')} THEN '${cls}'`);
    const open = `type = 'open'`;
    const unclassed = `${open} AND reasons IS NULL`;
    const click = `type = 'click'`;
    return this.compile(
      (c, ofCampaign) => `SELECT cls, u_ip, u_ua, h_url, h_machine, h_reasons, count(*) AS n, ${d.countIf(`machine = ${d.true}`)} AS k FROM (
        SELECT CASE WHEN ${open} AND reasons IS NOT NULL THEN (CASE ${cases.join(' ')} ELSE 'other' END) END AS cls,
          CASE WHEN ${unclassed} THEN ip END AS u_ip, CASE WHEN ${unclassed} THEN user_agent END AS u_ua,
          CASE WHEN ${click} THEN url END AS h_url,
          CASE WHEN ${click} THEN machine END AS h_machine, CASE WHEN ${click} THEN reasons END AS h_reasons, machine
        FROM ${d.events(`${ofCampaign} AND (${open} OR (${click} AND ${MAYBE_HONEYPOT}))`, true, c)} AS e
      ) AS o GROUP BY cls, u_ip, u_ua, h_url, h_machine, h_reasons`,
    );
  }

  /**
   * Per message with a conversion or reply, the last click at or before the first of them (honeypot
   * requests aside), counted and split by verdict. The key ts·2 + machine makes one max() pick the last
   * click and carry its verdict (no window functions or argMax on tuples: ClickHouse 18.16), and of clicks
   * at the same instant the machine one. TRICKY: a click stamped at the very instant of the conversion
   * counts as before it (ties had no order when rows were walked in time order). `notHoneypot`: the
   * destinations MAYBE_HONEYPOT takes that are not the honeypot's (bound; whether a click is a honeypot
   * request depends on its destination alone).
   */
  converting(notHoneypot: readonly string[]): CompiledQuery {
    const d = this.d;
    return this.compile((c, ofCampaign, bag) => {
      const back = notHoneypot.map((url) => d.param(bag, url, 'String'));
      const ordinary = back.length === 0 ? `NOT (${MAYBE_HONEYPOT})` : `(NOT (${MAYBE_HONEYPOT}) OR url IN (${back.join(', ')}))`;
      return d.withQuery(
        [
          [
            'first_done',
            () => `SELECT message, min(ts) AS f_ts FROM ${d.events(`${ofCampaign} AND type IN ('conversion', 'reply')`, false, c)} AS e GROUP BY message`,
          ],
          [
            'last_click',
            (ref) => `SELECT message, max(c_ts * 2 + c_m) AS last_key FROM (
              SELECT message, ts AS c_ts, CASE WHEN machine = ${d.true} THEN 1 ELSE 0 END AS c_m
              FROM ${d.events(`type = 'click' AND ${ordinary} AND ${d.messageIn(`SELECT message FROM ${ref('first_done')} AS m`)}`, true, c)} AS e
            ) AS k ${d.innerJoin} ${ref('first_done')} AS f USING (message) WHERE c_ts <= f_ts GROUP BY message`,
          ],
        ],
        (ref) => `SELECT count(*) AS n, ${d.countIf('last_key % 2 = 0')} AS human FROM ${ref('last_click')} AS l`,
      );
    });
  }
}

/** The checks over one email campaign's stored verdicts. */
export async function verdictCheck(store: Store, campaign: string, ranges: IpRangeTable = defaultRangeTable()): Promise<VerdictCheck> {
  const q = new CheckQueries(store.dialect, campaign);
  const both = [q.opensAndHoneypots(), q.converting([])];
  const [rows, converting] = store.capabilities.concurrentQueries
    ? await Promise.all(both.map((x) => store.query(x)))
    : [await store.query(both[0]!), await store.query(both[1]!)];
  const byClass = new Map<ProviderClass, [number, number]>(CLASSES.map((c) => [c, [0, 0]]));
  const hits: Row[] = [];
  for (const r of rows!) {
    if (r.h_url !== null && r.h_url !== undefined) {
      hits.push(r);
      continue;
    }
    const stored = text(r.cls) as ProviderClass | null;
    const t = byClass.get(stored ?? providerClass(text(r.u_ip), text(r.u_ua), ranges))!;
    t[0] += num(r.n);
    t[1] += num(r.k);
  }
  const honeypots = hits.filter((r) => isHoneypotUrl(text(r.h_url)));
  // Destinations the URL pattern took for the honeypot's but are not (another path ending alike): their
  // clicks are ordinary ones, so the converting clicks are counted again with them.
  const ordinary = [...new Set(hits.filter((r) => !isHoneypotUrl(text(r.h_url))).map((r) => String(r.h_url)))];
  const [done] = ordinary.length === 0 ? converting! : await store.query(q.converting(ordinary));
  const other = honeypots.filter((r) => (probabilityFromReasons(codesOf(r.h_reasons).filter((x) => x !== 'honeypot')) ?? 0) >= 0.5);
  // Rows are grouped: a row stands for n requests.
  const count = (rows: readonly Row[]) => rows.reduce((sum, r) => sum + num(r.n), 0);
  return {
    honeypot: { ...share(count(honeypots), count(honeypots.filter((r) => isMachine(r.h_machine)))), by_other_signals: share(count(honeypots), count(other)) },
    converting_clicks_human: share(num(done?.n), num(done?.human)),
    opens_machine_by_provider: Object.fromEntries(CLASSES.map((c) => [c, share(...byClass.get(c)!)])) as Record<ProviderClass, Share>,
  };
}
