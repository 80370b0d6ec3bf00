// Scores verdicts against ground truth (the simulator's labels): precision and recall of machine clicks
// and opens, and each campaign's human CTR and CTOR from the truth, from the verdicts and unfiltered (raw).
import type { EventType } from '../events/event.js';
import type { Verdict } from './reasons.js';

export interface EvalEvent {
  id: string;
  type: EventType;
  message?: string | null;
  campaign?: string | null;
}

interface Confusion {
  /** Machine events called machine. */
  tp: number;
  /** Human events called machine. */
  fp: number;
  /** Machine events called human. */
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
}

/** A rate (percent) from the truth, from the verdicts and raw; errors are relative to the truth (0.02 = 2%). */
interface RateTriple {
  truth: number | null;
  classified: number | null;
  raw: number | null;
  classifiedError: number | null;
  rawError: number | null;
}

interface EvalCampaign {
  campaign: string;
  kind: 'email' | 'ads';
  /** Delivered messages (email) or impressions (ads): the CTR denominator. */
  base: number;
  clicks: Confusion;
  opens: Confusion;
  ctr: RateTriple;
  /** null for ads. */
  ctor: RateTriple | null;
}

export interface EvalReport {
  campaigns: EvalCampaign[];
  clicks: Confusion;
  opens: Confusion;
  /** Opens and clicks without a truth label (not scored). */
  unlabelled: number;
}

interface Tally {
  kind: 'email' | 'ads';
  base: number;
  clicks: Confusion;
  opens: Confusion;
  /** Per delivered message: [truth, classified, raw] × [clicked, opened]. */
  msgs: Map<string, boolean[]>;
  adClicks: [number, number, number];
}

const confusion = (): Confusion => ({ tp: 0, fp: 0, fn: 0, tn: 0, precision: null, recall: null });
const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function finish(c: Confusion): Confusion {
  return { ...c, precision: ratio(c.tp, c.tp + c.fp), recall: ratio(c.tp, c.tp + c.fn) };
}

function triple(truth: number | null, classified: number | null, raw: number | null): RateTriple {
  const rel = (x: number | null) => (x === null || truth === null || truth === 0 ? null : Math.abs(x - truth) / truth);
  return { truth, classified, raw, classifiedError: rel(classified), rawError: rel(raw) };
}

/** Compares `verdicts` with `truth` over `events` (events with no verdict count as human, as unfiltered). */
export function evaluate(
  events: readonly EvalEvent[],
  truth: ReadonlyMap<string, { actor: 'human' | 'machine' }>,
  verdicts: ReadonlyMap<string, Pick<Verdict, 'machine'>>,
): EvalReport {
  const tallies = new Map<string, Tally>();
  const tally = (campaign: string, kind: 'email' | 'ads'): Tally => {
    let t = tallies.get(campaign);
    if (!t) {
      t = { kind, base: 0, clicks: confusion(), opens: confusion(), msgs: new Map(), adClicks: [0, 0, 0] };
      tallies.set(campaign, t);
    }
    return t;
  };
  // Pass 1: which campaign each message belongs to, and which messages were delivered (SPEC.md metrics).
  const campaignOf = new Map<string, string>();
  const bounced = new Set<string>();
  for (const e of events) {
    if (e.message && (e.type === 'sent' || e.type === 'delivered') && e.campaign) campaignOf.set(e.message, e.campaign);
    if (e.message && e.type === 'bounced') bounced.add(e.message);
    if (!e.message && e.campaign && e.type === 'impression') tally(e.campaign, 'ads').base++;
  }
  for (const [message, campaign] of campaignOf) {
    if (bounced.has(message)) continue;
    tally(campaign, 'email').base++;
    (tallies.get(campaign) as Tally).msgs.set(message, [false, false, false, false, false, false]);
  }
  // Pass 2: score every labelled open and click, and the human clicks and opens each view counts.
  const all = { clicks: confusion(), opens: confusion() };
  let unlabelled = 0;
  for (const e of events) {
    if (e.type !== 'open' && e.type !== 'click') continue;
    const campaign = e.message ? campaignOf.get(e.message) : e.campaign;
    if (!campaign) continue; // orphan: in no rate
    const t = tallies.get(campaign) ?? tally(campaign, 'ads');
    const label = truth.get(e.id);
    const called = verdicts.get(e.id)?.machine === true;
    if (!label) unlabelled++;
    else {
      const isMachine = label.actor === 'machine';
      for (const c of e.type === 'click' ? [t.clicks, all.clicks] : [t.opens, all.opens]) {
        if (isMachine && called) c.tp++;
        else if (!isMachine && called) c.fp++;
        else if (isMachine) c.fn++;
        else c.tn++;
      }
    }
    const views = [label?.actor === 'human', !called, true]; // human per truth, per verdicts, unfiltered
    if (t.kind === 'ads') {
      if (e.type === 'click') {
        for (const [i, h] of views.entries()) if (h) t.adClicks[i as 0 | 1 | 2]++;
      }
      continue;
    }
    const m = e.message ? t.msgs.get(e.message) : undefined;
    if (!m) continue; // not delivered
    views.forEach((h, i) => {
      if (!h) return;
      if (e.type === 'click') m[i] = true;
      m[3 + i] = true; // a click implies an open (SPEC.md unique_opens)
    });
  }
  const campaigns: EvalCampaign[] = [];
  for (const [campaign, t] of [...tallies].sort((a, b) => a[0].localeCompare(b[0]))) {
    let ctr: RateTriple;
    let ctor: RateTriple | null = null;
    if (t.kind === 'ads') {
      const [a, b, c] = t.adClicks.map((n) => ratio(100 * n, t.base)) as [number | null, number | null, number | null];
      ctr = triple(a, b, c);
    } else {
      const clicked = [0, 0, 0];
      const opened = [0, 0, 0];
      for (const m of t.msgs.values()) {
        for (let i = 0; i < 3; i++) {
          (clicked[i] as number) += m[i] ? 1 : 0;
          (opened[i] as number) += m[3 + i] ? 1 : 0;
        }
      }
      const r = (i: number) => ratio(100 * (clicked[i] as number), t.base);
      const o = (i: number) => ratio(100 * (clicked[i] as number), opened[i] as number);
      ctr = triple(r(0), r(1), r(2));
      ctor = triple(o(0), o(1), o(2));
    }
    campaigns.push({ campaign, kind: t.kind, base: t.base, clicks: finish(t.clicks), opens: finish(t.opens), ctr, ctor });
  }
  return { campaigns, clicks: finish(all.clicks), opens: finish(all.opens), unlabelled };
}
