// The timeline of one message with each event's verdict and reasons, so anyone can
// see why a click did or did not count. Used by `clickrate explain` and the dashboard.
import { ClickrateError } from '../errors.js';
import { CLASSIFIER_VERSION } from './config.js';
import { ParamBag, type CompiledQuery, type SqlDialect } from '../store/dialect.js';
import type { Row, Store } from '../store/store.js';
import { describeReason } from './reasons.js';
import { probabilityFromReasons } from './verdict-probability.js';

export interface ExplainedEvent {
  id: string;
  type: string;
  ts: string;
  /** Milliseconds after the message's send (or delivery, when there is no send event). */
  after_send_ms: number | null;
  url: string | null;
  ip: string | null;
  user_agent: string | null;
  method: string | null;
  /** Opens and clicks get a verdict; so do replies read from a mailbox (a person's, an auto-reply, an opt-out). */
  verdict: 'human' | 'machine' | 'auto_reply' | 'opt_out' | null;
  /** Probability of a machine, from the stored reasons (null: no verdict, or made by other rules). */
  probability: number | null;
  reasons: Array<{ code: string; text: string }>;
  classifier_version: string | null;
}

export interface MessageExplanation {
  message: string;
  campaign: string | null;
  recipient: string | null;
  events: ExplainedEvent[];
}

function compileTimeline(message: string, d: SqlDialect): CompiledQuery {
  const bag = new ParamBag();
  const sql = `
    SELECT id, type, ts, campaign, recipient, url, ip, user_agent, method, machine, reasons, classifier_version
    FROM ${d.events(`message = ${d.param(bag, message, 'String')}`)} AS e
    ORDER BY ts, id`;
  return { sql, params: bag.params };
}

const text = (v: Row[string] | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** A mailbox reply's verdict: set aside (machine) as an opt-out when its first reason says so (replies/record-replies.ts). */
function replyVerdict(machine: boolean, codes: readonly string[]): 'human' | 'auto_reply' | 'opt_out' {
  if (!machine) return 'human';
  return codes[0]?.startsWith('opt-out') ? 'opt_out' : 'auto_reply';
}

export async function explainMessage(store: Store, message: string): Promise<MessageExplanation> {
  const rows = await store.query(compileTimeline(message, store.dialect));
  if (rows.length === 0) throw new ClickrateError('CR_ERR_NOT_FOUND', `no events for message '${message}'`, { message });
  const send = rows.find((r) => r.type === 'sent') ?? rows.find((r) => r.type === 'delivered');
  const sendTs = send ? Number(send.ts) : null;
  return {
    message,
    campaign: text(send?.campaign) ?? text(rows.find((r) => r.campaign !== null)?.campaign),
    recipient: text(send?.recipient),
    events: rows.map((r) => {
      const engaged = r.type === 'open' || r.type === 'click';
      // Engines without a boolean type answer 1 and 0.
      const machine = r.machine === true || r.machine === 1;
      let codes: string[] = [];
      try {
        codes = typeof r.reasons === 'string' ? (JSON.parse(r.reasons) as string[]) : [];
      } catch {
        codes = [];
      }
      return {
        id: String(r.id),
        type: String(r.type),
        ts: new Date(Number(r.ts)).toISOString(),
        after_send_ms: sendTs === null ? null : Number(r.ts) - sendTs,
        url: text(r.url),
        ip: text(r.ip),
        user_agent: text(r.user_agent),
        method: text(r.method),
        verdict: engaged ? (machine ? 'machine' : 'human') : r.type === 'reply' && codes.length > 0 ? replyVerdict(machine, codes) : null,
        probability: engaged && text(r.classifier_version) === CLASSIFIER_VERSION ? probabilityFromReasons(codes) : null,
        reasons: codes.map((code) => ({ code, text: describeReason(code) })),
        classifier_version: text(r.classifier_version),
      };
    }),
  };
}
