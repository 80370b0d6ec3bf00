// The classifier checking itself on the sender's own traffic (`verdict_check` in reports and on the
// campaign page): of honeypot requests, the share judged machine (and the share the other signals alone
// would have caught); of the clicks that led to a conversion or a reply, the share judged human; of the
// opens from each provider class, the share judged machine. Drift in any of these shows rules going stale.
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import { IS_CLAIM_TYPE } from '../store/message-grain.js';
import type { Row, Store } from '../store/store.js';
import { isHoneypotUrl } from './honeypot.js';
import { defaultRangeTable, type IpRangeTable } from './ip-ranges.js';
import { uaSignal } from './user-agent.js';
import { probabilityFromReasons } from './verdict-probability.js';

interface Share {
  /** Events looked at. */
  n: number;
  /** Those judged as the check expects (see each field). */
  k: number;
  /** k ÷ n, or null when n is 0. */
  share: number | null;
}

/** Where an open came from, by agent and published address. */
type ProviderClass = 'apple-mpp' | 'gmail-proxy' | 'yahoo-proxy' | 'exchange-or-vendor' | 'cloud' | 'other';

export interface VerdictCheck {
  /** Honeypot requests judged machine (1 by construction), and `by_other_signals`: judged so without the honeypot signal. */
  honeypot: Share & { by_other_signals: Share };
  /** The last click before each message's first conversion or reply, judged human (should stay near 1). */
  converting_clicks_human: Share;
  /** Opens judged machine, per provider class (Gmail/Yahoo near 0, Apple's prefetch near 1). */
  opens_machine_by_provider: Record<ProviderClass, Share>;
}

const share = (n: number, k: number): Share => ({ n, k, share: n === 0 ? null : k / n });
const text = (v: Row[string] | undefined): string | null => (v === null || v === undefined ? null : String(v));
const isMachine = (v: Row[string] | undefined) => v === true || v === 1 || v === '1' || v === 'true';

function codesOf(v: Row[string] | undefined): string[] {
  try {
    return typeof v === 'string' ? (JSON.parse(v) as string[]) : [];
  } catch {
    return [];
  }
}

function providerClass(ip: string | null, ua: string | null, ranges: IpRangeTable): ProviderClass {
  const s = uaSignal(ua);
  if (s.kind === 'apple-mpp') return 'apple-mpp';
  if (s.kind === 'image-proxy') return s.name === 'Yahoo' ? 'yahoo-proxy' : 'gmail-proxy';
  const m = ranges.lookup(ip);
  if (m['apple-proxy']) return 'apple-mpp';
  if (m['mail-security']) return 'exchange-or-vendor';
  if (m.datacenter) return 'cloud';
  return 'other';
}

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

/** The checks over one email campaign's stored verdicts. */
export async function verdictCheck(store: Store, campaign: string, ranges: IpRangeTable = defaultRangeTable()): Promise<VerdictCheck> {
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
