// The ad traffic simulator: impressions per ad, the people who click them, and the crawlers and scripts
// that follow ad URLs (labelled 'machine'). Ad events carry a campaign and an ad, never a message.
import { CRAWLER_UAS, DESKTOP_UAS, MOBILE_UAS, agentAt, agentLag, crawlerIp, homeIp, mobileIp } from './profiles.js';
import { RecordBatch, collect } from './record-batch.js';
import type { Rng } from './rng.js';
import type { AdCampaignSpec, AdSpec, SimRecord, Simulation, TruthLabel } from './sim-types.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

const PERSON: TruthLabel = { actor: 'human', kind: 'person' };
const CRAWLER: TruthLabel = { actor: 'machine', kind: 'crawler' };

/** Impressions per yielded slice: keeps memory bounded whatever the campaign size. */
const SLICE = 1000;

// Ad platforms deliver unevenly over the day; a gentle diurnal curve (peak mid-afternoon UTC) keeps
// the per-day and per-hour views from looking synthetic. Inverse CDF by bisection on the known curve.
function diurnalOffset(u: number): number {
  // density (1 + 0.5·cos(2π(h − 15)/24)) / 24, so its CDF is:
  const cdf = (h: number) => h / 24 + (0.5 / (2 * Math.PI)) * (Math.sin((2 * Math.PI * (h - 15)) / 24) + Math.sin((2 * Math.PI * 15) / 24));
  let lo = 0;
  let hi = 24;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < u) lo = mid;
    else hi = mid;
  }
  return ((lo + hi) / 2) * HOUR;
}

/** Streams an ad campaign in slices of impressions with their clicks and conversions. */
export function* adCampaignRecords(spec: AdCampaignSpec, rng: Rng): Generator<SimRecord[], void, undefined> {
  const counter = { n: 0 };
  const batch = new RecordBatch(spec.id, counter);
  const ads = spec.ads.map((a) => [a, a.weight] as const);
  const crawlerRate = (spec.crawlerClicksPerMille ?? 0.6) / 1000;
  const days = Math.max(1, Math.round(spec.durationMs / (24 * HOUR)));
  const dayLen = spec.durationMs / days;

  for (let i = 0; i < spec.impressions; i++) {
    // Impression i falls on day floor(i * days / n), so output is roughly chronological as it streams.
    const day = Math.floor((i * days) / spec.impressions);
    const t = spec.start + day * dayLen + Math.min(dayLen - 1, diurnalOffset(rng.next()) * (dayLen / (24 * HOUR)));
    const ad: AdSpec = rng.weighted(ads);
    batch.add(t, 'impression', { campaign: spec.id, ad: ad.ad });

    if (rng.bernoulli(ad.ctr)) {
      const mobile = rng.bernoulli(0.62);
      const ua = agentAt(rng.pick(mobile ? MOBILE_UAS : DESKTOP_UAS), t, agentLag(i));
      const ip = mobile ? mobileIp(rng) : homeIp(rng);
      const clickAt = t + Math.min(3 * MIN, Math.max(600, rng.lognormal(5 * SEC, 0.9)));
      const fields = { campaign: spec.id, ad: ad.ad, url: ad.url, ip, user_agent: ua, method: 'GET' as const };
      batch.add(clickAt, 'click', fields, PERSON);
      // Fat-finger double taps on mobile: two real clicks, one person (clicks are events, not people).
      if (mobile && rng.bernoulli(0.03)) batch.add(clickAt + rng.uniform(150, 900), 'click', fields, PERSON);
      if (spec.conversion && rng.bernoulli(spec.conversion.rate)) {
        const value = Math.round(Math.min(2000, Math.max(3, rng.lognormal(spec.conversion.medianValue, 0.6))) * 100) / 100;
        batch.add(clickAt + Math.min(2 * 24 * HOUR, rng.lognormal(6 * MIN, 1.2)), 'conversion', { campaign: spec.id, ad: ad.ad, value });
      }
    }
    // Link checkers, SEO spiders and scripts hitting ad URLs: no impression before them. Ad review bots
    // (AdsBot-Google) and competitors' crawlers are the usual source (Google Ads, "About AdsBot").
    if (rng.bernoulli(crawlerRate)) {
      const victim = rng.weighted(ads);
      batch.add(
        t + rng.uniform(0, 30 * MIN),
        'click',
        {
          campaign: spec.id,
          ad: victim.ad,
          url: victim.url,
          ip: crawlerIp(rng),
          user_agent: rng.pick(CRAWLER_UAS),
          method: rng.bernoulli(0.1) ? 'HEAD' : 'GET',
        },
        CRAWLER,
      );
    }
    if ((i + 1) % SLICE === 0) yield batch.drain();
  }
  const rest = batch.drain();
  if (rest.length > 0) yield rest;
}

/** Simulates one ad campaign. Same spec and same seed → identical events, ids and labels. */
export function simulateAdCampaign(spec: AdCampaignSpec, rng: Rng): Simulation {
  return collect(adCampaignRecords(spec, rng));
}
