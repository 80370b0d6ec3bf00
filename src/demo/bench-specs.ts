// Random but plausible campaign specs for bulk data (bench/gen-events.mjs): many campaigns of every kind,
// each sized to a target number of events, with rates drawn around realistic industry figures.
import { B2B_MIX } from './profiles.js';
import type { Rng } from './rng.js';
import { adCampaignRecords, emailCampaignRecords } from './simulate.js';
import type { AdCampaignSpec, EmailCampaignSpec, SimRecord } from './sim-types.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Rough events per recipient (email) and per impression (ads), used to size a campaign to a budget. */
const EVENTS_PER_RECIPIENT = { promo: 3.6, newsletter: 4.1, outreach: 11, lifecycle: 3.3 } as const;

export type BenchCampaign = { kind: 'promo' | 'newsletter' | 'outreach' | 'lifecycle'; spec: EmailCampaignSpec } | { kind: 'ads'; spec: AdCampaignSpec };

const pad = (n: number) => String(n).padStart(4, '0');

/**
 * The spec of bulk campaign number `index`, sized to about `targetEvents` events, starting somewhere in
 * the 90 days after `base` (epoch ms). Campaign ids are unique per index (`promo-0007`, `ads-0012`, …).
 */
export function benchCampaign(index: number, rng: Rng, base: number, targetEvents: number): BenchCampaign {
  const kind = rng.weighted([
    ['promo', 0.4],
    ['newsletter', 0.25],
    ['outreach', 0.15],
    ['lifecycle', 0.1],
    ['ads', 0.1],
  ] as const);
  const id = `${kind}-${pad(index)}`;
  const start = base + rng.int(0, 89) * DAY + rng.int(6, 18) * HOUR;
  const path = (p: string) => `https://site${index % 97}.example.com/${p}?utm_campaign=${id}`;
  if (kind === 'ads') {
    const n = rng.int(2, 5);
    return {
      kind,
      spec: {
        id,
        start,
        durationMs: rng.int(3, 21) * DAY,
        impressions: Math.max(1, Math.round(targetEvents / 1.01)),
        ads: Array.from({ length: n }, (_, i) => ({
          ad: `ad-${i + 1}`,
          weight: rng.uniform(0.5, 2),
          ctr: rng.uniform(0.001, 0.012),
          url: path(`landing-${i + 1}`),
        })),
        crawlerClicksPerMille: rng.uniform(0.2, 1.5),
        conversion: { rate: rng.uniform(0.01, 0.06), medianValue: rng.uniform(20, 120) },
      },
    };
  }
  const recipients = Math.max(1, Math.round(targetEvents / EVENTS_PER_RECIPIENT[kind]));
  const links = Array.from({ length: kind === 'newsletter' ? rng.int(4, 9) : rng.int(1, 4) }, (_, i) => path(`link-${i + 1}`));
  const common = { id, start, recipients, recipientOffset: index * 1_000_000, links, bounceRate: rng.uniform(0.01, 0.03) };
  switch (kind) {
    case 'promo': {
      const open = rng.uniform(0.15, 0.3);
      const click = rng.uniform(0.06, 0.16);
      return {
        kind,
        spec: {
          ...common,
          variants: [
            { name: 'A', weight: 1, openRate: open, clickRate: click },
            { name: 'B', weight: 1, openRate: open * rng.uniform(0.85, 1.25), clickRate: click * rng.uniform(0.8, 1.3) },
          ],
          segments: [
            { name: 'customers', weight: 0.4, engagement: 1.3 },
            { name: 'prospects', weight: 0.6, engagement: 0.8 },
          ],
          conversion: { rate: rng.uniform(0.04, 0.12), medianValue: rng.uniform(25, 90) },
        },
      };
    }
    case 'newsletter':
      return { kind, spec: { ...common, openRate: rng.uniform(0.25, 0.45), clickRate: rng.uniform(0.08, 0.2) } };
    case 'lifecycle':
      return {
        kind,
        spec: { ...common, sendSpreadMs: 30 * DAY, openRate: rng.uniform(0.4, 0.65), clickRate: rng.uniform(0.15, 0.3), openDelayMedianMs: HOUR },
      };
    case 'outreach':
      return {
        kind,
        spec: {
          ...common,
          links: undefined,
          mix: B2B_MIX,
          sendSpreadMs: 5 * DAY,
          steps: [
            { step: 1, dayOffset: 0, links: [], openRate: 0.45, clickRate: 0, replyRate: rng.uniform(0.02, 0.08) },
            { step: 2, dayOffset: 3, links: [path('case-study')], openRate: 0.4, clickRate: 0.08, replyRate: rng.uniform(0.01, 0.04) },
            { step: 3, dayOffset: 7, links: [path('demo'), path('pricing')], openRate: 0.33, clickRate: 0.07, replyRate: 0.012 },
            { step: 4, dayOffset: 14, links: [path('book')], openRate: 0.3, clickRate: 0.05, replyRate: 0.008 },
          ],
        },
      };
  }
}

/** The records of a bench campaign, streamed in bounded memory. */
export function benchRecords(c: BenchCampaign, rng: Rng): Generator<SimRecord[], void, undefined> {
  return c.kind === 'ads' ? adCampaignRecords(c.spec, rng) : emailCampaignRecords(c.spec, rng);
}
