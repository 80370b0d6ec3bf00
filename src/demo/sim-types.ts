// Shapes shared by the traffic simulator: the events it emits (wire format of src/events/event.ts),
// the ground-truth labels that go with them, and the campaign specs that drive it.
import type { EventInput, EventType } from '../events/event.js';
import type { Provider } from './profiles.js';

/** One generated event, exactly as a JSONL line would carry it (absent fields are left out, not null). */
export interface SimEvent {
  id: string;
  type: EventType;
  /** ISO 8601 UTC with milliseconds and `Z`, e.g. 2026-03-01T09:30:00.123Z. */
  ts: string;
  message?: string;
  campaign?: string;
  recipient?: string;
  step?: number;
  variant?: string;
  segment?: string;
  ad?: string;
  url?: string;
  ip?: string;
  user_agent?: string;
  method?: 'GET' | 'HEAD';
  value?: number;
}

// Compile-time proof that every SimEvent is a valid input shape for the real schema.
const _assignable = (e: SimEvent): EventInput => e;
void _assignable;

/** Who really made an open or click. `kind` says which behaviour of the simulator produced it. */
export type TruthKind =
  | 'person' // a person opening or clicking from their own device
  | 'person-fast' // a person who opened and clicked within a minute of delivery (still human)
  | 'gmail-proxy' // Gmail's image proxy fetching the pixel at the moment the person opens (human)
  | 'yahoo-proxy' // Yahoo's image proxy, same behaviour (human)
  | 'apple-mpp' // Apple Mail Privacy Protection prefetch (machine, happens whether or not the person opens)
  | 'scanner-burst' // mail-security gateway clicking every link right after delivery (machine)
  | 'scanner-head' // the same gateway probing a link with HEAD (machine)
  | 'scanner-recheck' // the gateway re-checking the links hours later (machine)
  | 'scanner-pixel' // the gateway fetching the pixel while it scans (machine)
  | 'crawler'; // an ad click from a crawler or script (machine)

export interface TruthLabel {
  actor: 'human' | 'machine';
  kind: TruthKind;
}

/** A simulated campaign: its events and a label for every open and click, keyed by event id. */
export interface Simulation {
  events: SimEvent[];
  truth: Map<string, TruthLabel>;
}

/** One event with its label (opens and clicks only), as the streaming generators yield them. */
export interface SimRecord {
  event: SimEvent;
  truth?: TruthLabel;
}

interface VariantSpec {
  name: string;
  /** Relative share of recipients. */
  weight: number;
  /** True share of delivered recipients who read the message (before any machine noise). In a sequence
   * (`steps`) the step's rates apply and the variant is only a label. */
  openRate?: number;
  /** True share of readers who click (the honest CTOR this variant earns). */
  clickRate?: number;
}

interface SegmentSpec {
  name: string;
  weight: number;
  /** Multiplier on open, click and reply propensity (1 = average). */
  engagement: number;
}

export interface StepSpec {
  step: number;
  /** Days after the prospect's first send that this step goes out. */
  dayOffset: number;
  links: readonly string[];
  openRate: number;
  clickRate: number;
  /** Share of delivered recipients who reply to this step. */
  replyRate: number;
}

export type MixEntry = readonly [Provider, number];

export interface EmailCampaignSpec {
  id: string;
  /** Epoch ms of the first send. */
  start: number;
  recipients: number;
  /** Sends are spread evenly over this many ms (batch sending; default 20 minutes). */
  sendSpreadMs?: number;
  /** Mailbox provider mix (default CONSUMER_MIX). */
  mix?: readonly MixEntry[];
  /** Offset for recipient numbering, so different campaigns can share or avoid addresses. */
  recipientOffset?: number;
  /** Links of a single-step message (ignored when `steps` is given). */
  links?: readonly string[];
  /** Relative click appeal of each link, parallel to the links (default: first link strongest). */
  linkWeights?: readonly number[];
  variants?: readonly VariantSpec[];
  segments?: readonly SegmentSpec[];
  /** A sequence: step n goes only to those who did not bounce, reply, unsubscribe or complain. */
  steps?: readonly StepSpec[];
  openRate?: number;
  clickRate?: number;
  /** Share of addresses that hard-bounce (default 0.02). */
  bounceRate?: number;
  /** Share of readers who unsubscribe (default 0.004). */
  unsubscribeRate?: number;
  /** Share of delivered recipients who mark it as spam (default 0.0003). */
  complaintRate?: number;
  /** Purchases after a click: share of clickers who buy, and the median order value. */
  conversion?: { rate: number; medianValue: number };
  /** Median delay from delivery to a person's open, ms (default 2.5 h). */
  openDelayMedianMs?: number;
}

export interface AdSpec {
  ad: string;
  /** Share of the campaign's impressions this ad gets. */
  weight: number;
  /** True human click-through per impression (0.004 = 0.4%). */
  ctr: number;
  url: string;
}

export interface AdCampaignSpec {
  id: string;
  start: number;
  /** Impressions are spread over this many ms. */
  durationMs: number;
  impressions: number;
  ads: readonly AdSpec[];
  /** Crawler and script clicks per 1,000 impressions (default 0.6). */
  crawlerClicksPerMille?: number;
  /** Purchases after a human click (optional). */
  conversion?: { rate: number; medianValue: number };
}
