// The demo dataset: five realistic campaigns (A/B promo, digest, cold outreach sequence, onboarding,
// ad retargeting) ending near a given time, with ground truth for every open and click.
import { B2B_MIX } from './profiles.js';
import { createRng } from './rng.js';
import { simulateAdCampaign, simulateCampaign } from './simulate.js';
import type { AdCampaignSpec, EmailCampaignSpec, SimEvent, TruthLabel } from './sim-types.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Default end of the dataset: fixed, so the demo is byte-identical run to run. Pass `now` for "live". */
export const DEMO_DEFAULT_NOW = Date.UTC(2026, 2, 1, 0, 0, 0);
const DEMO_DEFAULT_SEED = 20260301;

export interface DemoCampaign {
  id: string;
  kind: 'promo' | 'newsletter' | 'outreach' | 'lifecycle' | 'ads';
  description: string;
}

export interface DemoDataset {
  /** All events of all campaigns, in time order; none later than `now`. */
  events: SimEvent[];
  /** Ground truth for every open and click in `events`, keyed by event id. */
  truth: Map<string, TruthLabel>;
  campaigns: DemoCampaign[];
}

const SHOP = 'https://shop.example.com';

/** The demo's campaign specs, placed relative to `now` (day-aligned so charts start at sensible hours). */
export function demoSpecs(now: number): { email: EmailCampaignSpec[]; ads: AdCampaignSpec[]; campaigns: DemoCampaign[] } {
  const day0 = Math.floor(now / DAY) * DAY;
  const email: EmailCampaignSpec[] = [
    {
      id: 'spring-sale',
      start: day0 - 20 * DAY + 14 * HOUR,
      recipients: 8000,
      sendSpreadMs: 25 * 60_000,
      // Subject line B truly earns more reads and, among readers, more clicks (human CTR A ≈ 3.3%, B ≈ 5%).
      variants: [
        { name: 'A', weight: 1, openRate: 0.22, clickRate: 0.11 },
        { name: 'B', weight: 1, openRate: 0.27, clickRate: 0.135 },
      ],
      segments: [
        { name: 'customers', weight: 0.35, engagement: 1.4 },
        { name: 'subscribers', weight: 0.5, engagement: 1 },
        { name: 'lapsed', weight: 0.15, engagement: 0.45 },
      ],
      links: [`${SHOP}/sale?utm_campaign=spring-sale`, `${SHOP}/p/trail-runner-3`, `${SHOP}/c/outdoor`, 'https://blog.example.com/spring-lookbook'],
      linkWeights: [6, 3, 2, 1],
      conversion: { rate: 0.09, medianValue: 48 },
      unsubscribeRate: 0.006,
    },
    {
      id: 'weekly-digest',
      start: day0 - 9 * DAY + 8 * HOUR,
      recipients: 5000,
      recipientOffset: 100_000,
      openRate: 0.34,
      clickRate: 0.16,
      segments: [
        { name: 'free', weight: 0.8, engagement: 0.9 },
        { name: 'pro', weight: 0.2, engagement: 1.4 },
      ],
      links: [
        'https://blog.example.com/2026/why-ctor-beats-open-rate',
        'https://blog.example.com/2026/apple-mpp-two-years-on',
        'https://docs.example.com/changelog',
        'https://events.example.com/webinar-march',
        'https://jobs.example.com/',
        'https://example.com/referral',
      ],
      linkWeights: [5, 4, 2, 2, 1, 1],
    },
    {
      id: 'outreach-q4',
      start: day0 - 27 * DAY + 9 * HOUR,
      recipients: 1500,
      recipientOffset: 200_000,
      sendSpreadMs: 5 * DAY,
      mix: B2B_MIX,
      bounceRate: 0.03, // bought or scraped prospect lists are dirtier than opt-in lists
      segments: [
        { name: 'smb', weight: 0.6, engagement: 1 },
        { name: 'enterprise', weight: 0.4, engagement: 0.8 },
      ],
      // Cold outreach: a plain first touch with no links, bumps days apart, replies mostly to steps 1–2.
      steps: [
        { step: 1, dayOffset: 0, links: [], openRate: 0.45, clickRate: 0, replyRate: 0.05 },
        { step: 2, dayOffset: 3, links: ['https://example.com/case-studies/globex'], openRate: 0.4, clickRate: 0.08, replyRate: 0.03 },
        { step: 3, dayOffset: 7, links: ['https://example.com/demo', 'https://example.com/pricing'], openRate: 0.33, clickRate: 0.07, replyRate: 0.012 },
        { step: 4, dayOffset: 14, links: ['https://calendly.com/example-sales/20min'], openRate: 0.3, clickRate: 0.05, replyRate: 0.009 },
      ],
      unsubscribeRate: 0.02,
      complaintRate: 0.001,
      openDelayMedianMs: 4 * HOUR,
    },
    {
      id: 'onboarding',
      // Lifecycle: one send per signup, triggered continuously over four weeks.
      start: day0 - 28 * DAY,
      recipients: 1800,
      recipientOffset: 300_000,
      sendSpreadMs: 27 * DAY,
      openRate: 0.55,
      clickRate: 0.27,
      segments: [{ name: 'trial', weight: 1, engagement: 1 }],
      links: ['https://app.example.com/getting-started', 'https://docs.example.com/quickstart'],
      linkWeights: [3, 1],
      unsubscribeRate: 0.002,
      openDelayMedianMs: 40 * 60_000,
    },
  ];
  const ads: AdCampaignSpec[] = [
    {
      id: 'retargeting',
      // Runs through today: the clip at `now` leaves today's impressions so far, like a live account.
      start: day0 - 14 * DAY,
      durationMs: 15 * DAY,
      impressions: 64_000, // 15 days' worth: ~60,000 by the start of the last day
      ads: [
        { ad: 'carousel-shoes', weight: 0.45, ctr: 0.0045, url: `${SHOP}/c/shoes?utm_source=retargeting&utm_content=carousel` },
        { ad: 'video-15s', weight: 0.3, ctr: 0.007, url: `${SHOP}/sale?utm_source=retargeting&utm_content=video` },
        { ad: 'static-banner', weight: 0.25, ctr: 0.002, url: `${SHOP}/?utm_source=retargeting&utm_content=banner` },
      ],
      crawlerClicksPerMille: 0.7,
      conversion: { rate: 0.035, medianValue: 62 },
    },
  ];
  const campaigns: DemoCampaign[] = [
    { id: 'spring-sale', kind: 'promo', description: 'Promo newsletter, A/B test of two subject lines (B is truly better), ~8,000 recipients' },
    { id: 'weekly-digest', kind: 'newsletter', description: 'Weekly digest with six links, ~5,000 recipients' },
    { id: 'outreach-q4', kind: 'outreach', description: 'Cold outreach, 4 steps, ~1,500 prospects mostly behind mail-security gateways' },
    { id: 'onboarding', kind: 'lifecycle', description: 'Onboarding email triggered at signup over four weeks' },
    { id: 'retargeting', kind: 'ads', description: 'Retargeting ads, 3 creatives, ~60,000 impressions' },
  ];
  return { email, ads, campaigns };
}

/** Builds the demo. Same seed and `now` → identical events. Campaigns sit on whole days before `now`; events after it are dropped. */
export function demoEvents(opts: { seed?: number; now?: number } = {}): DemoDataset {
  const now = opts.now ?? DEMO_DEFAULT_NOW;
  const root = createRng(opts.seed ?? DEMO_DEFAULT_SEED);
  const { email, ads, campaigns } = demoSpecs(now);
  const sims = [
    // Each campaign draws from its own stream, so changing one campaign never reshuffles the others.
    ...email.map((spec) => simulateCampaign(spec, root.fork(spec.id))),
    ...ads.map((spec) => simulateAdCampaign(spec, root.fork(spec.id))),
  ];
  const events: SimEvent[] = [];
  const truth = new Map<string, TruthLabel>();
  const nowIso = new Date(now).toISOString();
  for (const sim of sims) {
    for (const e of sim.events) {
      // TRICKY: opens and clicks that would happen after `now` have not happened yet: drop them (and
      // their labels) rather than emit events from the future, which a dashboard would show as "today".
      if (e.ts > nowIso) continue; // same-format ISO strings compare chronologically
      events.push(e);
      const label = sim.truth.get(e.id);
      if (label) truth.set(e.id, label);
    }
  }
  // Stable sort: a message's sent/delivered keep their order even at equal times.
  events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return { events, truth, campaigns };
}
