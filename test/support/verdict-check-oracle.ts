// verdict_check as it was computed before the store aggregated it: every open, click, conversion and
// reply of the campaign read into JavaScript, each open's address looked up in the range table. Kept as
// the oracle the aggregate is checked against (verdict-check tests) and as the benchmark's baseline. It
// shares with it only how an unclassified open is classed and how stored codes are read.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../../src/store/dialect.js';
import { IS_CLAIM_TYPE } from '../../src/store/message-grain.js';
import type { Row, Store } from '../../src/store/store.js';
import { codesOf, providerClass, type ProviderClass, type VerdictCheck } from '../../src/classify/verdict-check.js';
import { isHoneypotUrl } from '../../src/classify/honeypot.js';
import { defaultRangeTable, type IpRangeTable } from '../../src/classify/ip-ranges.js';
import { probabilityFromReasons } from '../../src/classify/verdict-probability.js';

type Share = VerdictCheck['converting_clicks_human'];
const share = (n: number, k: number): Share => ({ n, k, share: n === 0 ? null : k / n });
const text = (v: Row[string] | undefined): string | null => (v === null || v === undefined ? null : String(v));
const isMachine = (v: Row[string] | undefined) => v === true || v === 1 || v === '1' || v === 'true';

/** The campaign's opens, clicks, conversions and replies with their verdicts. */
function compileEngagement(campaign: string, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const c = d.param(bag, campaign, 'String');
  const where = `message IN (SELECT message FROM events WHERE campaign = ${c} AND message IS NOT NULL AND ${IS_CLAIM_TYPE}) AND type IN ('open', 'click', 'conversion', 'reply')`;
  return {
    sql: `SELECT message, type, ts, url, ip, user_agent, machine, reasons FROM ${d.events(where, true, c)} AS e ORDER BY message, ts`,
    params: bag.params,
  };
}

/** The checks over one email campaign's stored verdicts, row by row. */
export async function verdictCheckByRows(store: Store, campaign: string, ranges: IpRangeTable = defaultRangeTable()): Promise<VerdictCheck> {
  const rows = await store.query(compileEngagement(campaign, store.dialect));
  let hp = 0;
  let hpMachine = 0;
  let hpOther = 0;
  const opens = new Map<ProviderClass, [number, number]>();
  let converting = 0;
  let convertingHuman = 0;
  // Rows come per message in time order: remember the last click until a conversion or reply closes it.
  let message: string | null = null;
  let lastClickMachine: boolean | null = null;
  let closed = false;
  for (const r of rows) {
    const m = text(r.message);
    if (m !== message) {
      message = m;
      lastClickMachine = null;
      closed = false;
    }
    if (r.type === 'click') {
      if (isHoneypotUrl(text(r.url))) {
        hp++;
        if (isMachine(r.machine)) hpMachine++;
        if ((probabilityFromReasons(codesOf(r.reasons).filter((x) => x !== 'honeypot')) ?? 0) >= 0.5) hpOther++;
        continue;
      }
      if (!closed) lastClickMachine = isMachine(r.machine);
    } else if (r.type === 'open') {
      const cls = providerClass(text(r.ip), text(r.user_agent), ranges);
      const t = opens.get(cls) ?? [0, 0];
      t[0]++;
      if (isMachine(r.machine)) t[1]++;
      opens.set(cls, t);
    } else if (!closed && lastClickMachine !== null) {
      closed = true;
      converting++;
      if (!lastClickMachine) convertingHuman++;
    } else closed = true;
  }
  const classes: ProviderClass[] = ['apple-mpp', 'gmail-proxy', 'yahoo-proxy', 'exchange-or-vendor', 'cloud', 'other'];
  return {
    honeypot: { ...share(hp, hpMachine), by_other_signals: share(hp, hpOther) },
    converting_clicks_human: share(converting, convertingHuman),
    opens_machine_by_provider: Object.fromEntries(classes.map((c) => [c, share(...(opens.get(c) ?? [0, 0]))])) as Record<ProviderClass, Share>,
  };
}
