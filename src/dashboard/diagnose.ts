// The diagnosis: plain sentences an analyst would say about a campaign's figures, each from one rule.
// Pure (figures in, findings out), so every rule is table-tested; the dashboard only displays them.
import type { EmailKind } from '../store/campaign-settings.js';
import type { Benchmarks, EmailRanges } from './benchmarks.js';
import type { Finding, Range } from './dashboard-schemas.js';

export interface EmailFacts {
  kind: 'email';
  delivered: number;
  unique_opens: number;
  unique_clicks: number;
  replies: number;
  ctr: number | null;
  ctor: number | null;
  reply_rate: number | null;
  privacy_hidden_rate: number | null;
  raw_ctr: number | null;
  /** More than one sequence step was sent. */
  sequence: boolean;
  /** The campaign's kind (set or inferred): outreach is judged by replies, the others by clicks. */
  email_kind: EmailKind;
  /** Unique clicks per link, any order. */
  link_clicks: number[];
  /** Send-day cohorts in time order. */
  cohorts: Array<{ delivered: number; unique_opens: number; unique_clicks: number }>;
}

export interface AdFacts {
  kind: 'ads';
  impressions: number;
  clicks: number;
  ctr: number | null;
  raw_clicks: number;
}

/** Below these volumes a rate moves too much from one click to the next to be judged. */
const MIN_DELIVERED = 200;
const MIN_IMPRESSIONS = 2000;
/** A privacy-hidden share above this makes opens (and so CTOR) unreliable. */
const PRIVACY_HIDDEN_HIGH = 30;
/** Five or more clicked links, none taking half the clicks, is a scattered message. */
const MANY_LINKS = 5;

const pct = (v: number): string => `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}%`;
const range = (r: Range): string => `${r.low}–${r.high}% (${r.label})`;
const n = (v: number): string => v.toLocaleString('en-US');

/** Openers shrinking while their click rate grows: CTOR up and CTR down from the first to the second half of send days. */
function fewerOpeners(cohorts: EmailFacts['cohorts']): Finding | null {
  const usable = cohorts.filter((c) => c.delivered >= 50);
  if (usable.length < 4) return null;
  const half = Math.floor(usable.length / 2);
  const pool = (cs: typeof usable) => cs.reduce((a, c) => ({ d: a.d + c.delivered, o: a.o + c.unique_opens, k: a.k + c.unique_clicks }), { d: 0, o: 0, k: 0 });
  const early = pool(usable.slice(0, half));
  const late = pool(usable.slice(usable.length - half));
  if (early.o === 0 || late.o === 0 || early.k === 0) return null;
  const [ctr1, ctr2] = [(100 * early.k) / early.d, (100 * late.k) / late.d];
  const [ctor1, ctor2] = [(100 * early.k) / early.o, (100 * late.k) / late.o];
  if (!(ctor2 > ctor1 * 1.1 && ctr2 < ctr1 * 0.9)) return null;
  return {
    code: 'fewer-openers',
    tone: 'warn',
    text:
      `Over the send days CTOR rose from ${pct(ctor1)} to ${pct(ctor2)} while CTR fell from ${pct(ctr1)} to ${pct(ctr2)}: ` +
      'fewer people open, and those who still open are the keenest. Look at list fatigue, send frequency and deliverability.',
  };
}

function diagnoseEmail(f: EmailFacts, b: EmailRanges): Finding[] {
  if (f.delivered < MIN_DELIVERED) {
    return [
      { code: 'too-few', tone: 'info', text: `Only ${n(f.delivered)} messages delivered: one click moves the rates a lot. Wait for more before judging.` },
    ];
  }
  const out: Finding[] = [];
  if (f.email_kind === 'outreach') {
    if (f.reply_rate !== null && f.reply_rate < b.reply_rate.low) {
      out.push({
        code: 'low-reply-rate',
        tone: 'warn',
        text: `Reply rate is ${pct(f.reply_rate)}, below the typical ${range(b.reply_rate)}: sharpen the targeting and the first lines, and ask one easy question.`,
      });
    } else if (f.reply_rate !== null) {
      out.push({
        code: 'healthy-reply-rate',
        tone: 'good',
        text: `Reply rate is ${pct(f.reply_rate)}, within or above the typical ${range(b.reply_rate)}. In outreach, replies are the truest signal; CTR counts steps without links too.`,
      });
    }
  } else if (f.ctr !== null && f.ctor !== null) {
    if (f.ctor < b.ctor.low) {
      out.push({
        code: 'low-ctor',
        tone: 'warn',
        text: `CTOR is ${pct(f.ctor)}, below the typical ${range(b.ctor)}: people open but do not click. Work on the content, the offer or the call to action.`,
      });
    } else if (f.ctr < b.ctr.low) {
      out.push({
        code: 'low-ctr-healthy-ctor',
        tone: 'warn',
        text: `CTR is ${pct(f.ctr)}, below the typical ${range(b.ctr)}, while CTOR is healthy at ${pct(f.ctor)}: those who open do click, so too few open. Look at deliverability, the subject line or the targeting.`,
      });
    } else {
      out.push({
        code: 'healthy',
        tone: 'good',
        text: `CTR ${pct(f.ctr)} and CTOR ${pct(f.ctor)} are within or above the typical ranges (${range(b.ctr)}; ${range(b.ctor)}).`,
      });
    }
  }
  // TRICKY: in a sequence each send day mixes steps differently (a link-less first touch, later bumps), so
  // day-to-day CTR and CTOR shifts say more about the step mix than about the openers.
  const trend = f.sequence ? null : fewerOpeners(f.cohorts);
  if (trend) out.push(trend);
  if (f.privacy_hidden_rate !== null && f.privacy_hidden_rate >= PRIVACY_HIDDEN_HIGH) {
    out.push({
      code: 'privacy-hidden',
      tone: 'info',
      text: `${pct(f.privacy_hidden_rate)} of delivered messages were opened only by machines (such as Apple Mail Privacy Protection), so their real opens cannot be seen and CTOR is unreliable. Read clicks per delivered (CTR) instead.`,
    });
  }
  const clicked = f.link_clicks.filter((c) => c > 0);
  const sum = clicked.reduce((a, c) => a + c, 0);
  const top = Math.max(0, ...clicked);
  if (clicked.length >= MANY_LINKS && sum > 0 && top / sum < 0.5) {
    out.push({
      code: 'many-links',
      tone: 'info',
      text: `${clicked.length} links shared the clicks and the most clicked took only ${pct((100 * top) / sum)}: competing links dilute clicks. Give the message one main call to action.`,
    });
  }
  if (f.ctr !== null && f.raw_ctr !== null && f.raw_ctr >= 2 * f.ctr && f.raw_ctr - f.ctr >= 1) {
    out.push({
      code: 'machine-clicks',
      tone: 'info',
      text: `Unfiltered, CTR would read ${pct(f.raw_ctr)}; people's CTR is ${pct(f.ctr)}. The difference is security scanners and other machines clicking links.`,
    });
  }
  return out;
}

function diagnoseAds(f: AdFacts, b: Benchmarks['ads']): Finding[] {
  if (f.impressions < MIN_IMPRESSIONS) {
    return [{ code: 'too-few', tone: 'info', text: `Only ${n(f.impressions)} impressions: too few to judge the CTR yet.` }];
  }
  const out: Finding[] = [];
  if (f.ctr !== null && f.ctr < b.ctr.low) {
    out.push({
      code: 'low-ad-ctr',
      tone: 'warn',
      text: `CTR is ${pct(f.ctr)}, below the typical ${range(b.ctr)}: try another creative, tighter targeting or other placements.`,
    });
  } else if (f.ctr !== null) {
    out.push({ code: 'healthy-ad-ctr', tone: 'good', text: `CTR is ${pct(f.ctr)}, within or above the typical ${range(b.ctr)}.` });
  }
  const machine = f.raw_clicks - f.clicks;
  if (f.raw_clicks > 0 && machine / f.raw_clicks >= 0.1) {
    out.push({
      code: 'machine-clicks',
      tone: 'info',
      text: `${pct((100 * machine) / f.raw_clicks)} of clicks came from bots and crawlers and are left out: an ad platform counting them would overstate CTR.`,
    });
  }
  return out;
}

export function diagnose(facts: EmailFacts | AdFacts, benchmarks: Benchmarks): Finding[] {
  return facts.kind === 'email' ? diagnoseEmail(facts, benchmarks.email[facts.email_kind]) : diagnoseAds(facts, benchmarks.ads);
}
