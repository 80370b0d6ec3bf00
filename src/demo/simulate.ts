// The email traffic simulator: one campaign's sends, deliveries, bounces and the human and machine opens
// and clicks that follow, with a ground-truth label per open and click. Deterministic for an Rng seed.
import { appleMppFetch, scannerPass, type Emit } from './machines.js';
import { personActs, type HumanPlan } from './people.js';
import { CONSUMER_MIX } from './profiles.js';
import { makePerson } from './recipients.js';
import type { Rng } from './rng.js';
import { RecordBatch, collect } from './record-batch.js';
import type { EmailCampaignSpec, SimRecord, Simulation, StepSpec } from './sim-types.js';

export { simulateAdCampaign, adCampaignRecords } from './simulate-ads.js';
export type * from './sim-types.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Streams a campaign one recipient at a time (all of that recipient's steps), in bounded memory. */
export function* emailCampaignRecords(spec: EmailCampaignSpec, rng: Rng): Generator<SimRecord[], void, undefined> {
  const counter = { n: 0 };
  const batch = new RecordBatch(spec.id, counter);
  const spread = spec.sendSpreadMs ?? 20 * MIN;
  const singleLinks = spec.links ?? [];
  const steps: readonly StepSpec[] = spec.steps ?? [
    { step: 1, dayOffset: 0, links: singleLinks, openRate: spec.openRate ?? 0.25, clickRate: spec.clickRate ?? 0.12, replyRate: 0 },
  ];
  const sequence = spec.steps !== undefined;
  const weightsFor = (links: readonly string[]) => links.map((url, i) => [url, (!sequence ? spec.linkWeights?.[i] : undefined) ?? 1 / (i + 1)] as const);
  const stepWeights = steps.map((s) => weightsFor(s.links));

  for (let i = 0; i < spec.recipients; i++) {
    const person = makePerson((spec.recipientOffset ?? 0) + i, rng, spec.mix ?? CONSUMER_MIX, spec.bounceRate ?? 0.02);
    const variant = spec.variants && spec.variants.length > 0 ? rng.weighted(spec.variants.map((v) => [v, v.weight] as const)) : undefined;
    const segment = spec.segments && spec.segments.length > 0 ? rng.weighted(spec.segments.map((s) => [s, s.weight] as const)) : undefined;
    const firstSend = spec.start + (spread * i) / Math.max(1, spec.recipients) + rng.uniform(0, 2 * SEC);
    let lastSend = -Infinity;

    for (let k = 0; k < steps.length; k++) {
      const step = steps[k] as StepSpec;
      const sendAt = Math.max(lastSend + HOUR, firstSend + step.dayOffset * DAY + (k === 0 ? 0 : rng.uniform(-HOUR, HOUR)));
      lastSend = sendAt;
      const message = sequence ? `${spec.id}:m${person.index}.s${step.step}` : `${spec.id}:m${person.index}`;
      const emit: Emit = (t, type, fields, truth) => batch.add(t, type, { message, ...fields }, truth);

      batch.add(sendAt, 'sent', {
        message,
        campaign: spec.id,
        recipient: person.address,
        ...(sequence ? { step: step.step } : {}),
        ...(variant ? { variant: variant.name } : {}),
        ...(segment ? { segment: segment.name } : {}),
      });
      if (person.invalid) {
        // Hard bounce: the receiving server refuses the address within seconds; a sequence stops here.
        emit(sendAt + Math.min(10 * MIN, rng.lognormal(4 * SEC, 1)), 'bounced', {});
        break;
      }
      const deliveredAt = sendAt + Math.min(2 * MIN, rng.lognormal(2.5 * SEC, 0.8));
      emit(deliveredAt, 'delivered', {});

      // Gateways scan nearly every inbound message (skips: allow-listed senders, outages).
      if (person.scanner !== null && rng.bernoulli(0.95)) scannerPass(rng, person, step.links, deliveredAt, emit);
      if (person.openPath === 'apple-mpp') appleMppFetch(rng, person, deliveredAt, emit);

      const plan: HumanPlan = {
        openRate: sequence ? step.openRate : (variant?.openRate ?? step.openRate),
        clickRate: sequence ? step.clickRate : (variant?.clickRate ?? step.clickRate),
        replyRate: step.replyRate,
        links: step.links,
        linkWeights: stepWeights[k] ?? [],
        unsubscribeRate: spec.unsubscribeRate ?? 0.004,
        complaintRate: spec.complaintRate ?? 0.0003,
        conversion: spec.conversion ?? null,
        openDelayMedianMs: spec.openDelayMedianMs ?? 2.5 * HOUR,
        engagement: segment?.engagement ?? 1,
      };
      const outcome = personActs(rng, person, plan, deliveredAt, emit);
      if (outcome.replied || outcome.unsubscribed || outcome.complained) break;
    }
    yield batch.drain();
  }
}

/** Simulates one email campaign. Same spec and same seed → identical events, ids and labels. */
export function simulateCampaign(spec: EmailCampaignSpec, rng: Rng): Simulation {
  return collect(emailCampaignRecords(spec, rng));
}
