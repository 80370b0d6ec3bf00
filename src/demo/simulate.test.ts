// Tests for the email and ad simulators: deterministic, schema-valid, labelled, and shaped like real
// traffic (bounces, Apple MPP, scanner bursts, fast humans, sequences, ad crawlers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isbot } from 'isbot';
import { parseEvent } from '../events/parse-event.js';
import { createRng } from './rng.js';
import { simulateAdCampaign, simulateCampaign, type EmailCampaignSpec, type SimEvent, type Simulation } from './simulate.js';

const START = Date.UTC(2026, 1, 2, 14);
const LINKS = ['https://shop.example.com/sale', 'https://shop.example.com/p/1', 'https://blog.example.com/x'];
const promo: EmailCampaignSpec = {
  id: 'promo',
  start: START,
  recipients: 6000,
  links: LINKS,
  variants: [
    { name: 'A', weight: 1, openRate: 0.22, clickRate: 0.1 },
    { name: 'B', weight: 1, openRate: 0.28, clickRate: 0.14 },
  ],
  segments: [{ name: 'all', weight: 1, engagement: 1 }],
  conversion: { rate: 0.1, medianValue: 40 },
};
const sim = simulateCampaign(promo, createRng(42));
const ms = (e: SimEvent) => Date.parse(e.ts);

function deliveredAt(s: Simulation): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of s.events) if (e.type === 'delivered' && e.message) m.set(e.message, ms(e));
  return m;
}

test('same seed gives identical events and labels; another seed differs', () => {
  const again = simulateCampaign(promo, createRng(42));
  assert.deepEqual(again.events, sim.events);
  assert.deepEqual([...again.truth], [...sim.truth]);
  assert.notDeepEqual(
    simulateCampaign({ ...promo, recipients: 50 }, createRng(43)).events,
    simulateCampaign({ ...promo, recipients: 50 }, createRng(42)).events,
  );
});

test('every event passes the real schema and ids are unique', () => {
  const ids = new Set<string>();
  for (const e of sim.events) {
    const r = parseEvent(e);
    assert.ok(r.ok, `${JSON.stringify(e)}: ${r.ok ? '' : r.reason}`);
    ids.add(e.id);
  }
  assert.equal(ids.size, sim.events.length);
});

test('every open and click has a truth label, and nothing else does', () => {
  let labelled = 0;
  for (const e of sim.events) {
    const has = sim.truth.has(e.id);
    assert.equal(has, e.type === 'open' || e.type === 'click', `${e.type} ${e.id}`);
    if (has) labelled++;
  }
  assert.equal(labelled, sim.truth.size);
});

test('bounces are 1–3% of sends, and bounced messages are never delivered or opened', () => {
  const sent = sim.events.filter((e) => e.type === 'sent').length;
  const bounced = new Set(sim.events.filter((e) => e.type === 'bounced').map((e) => e.message));
  assert.equal(sent, promo.recipients);
  const share = bounced.size / sent;
  assert.ok(share >= 0.01 && share <= 0.03, `bounce share ${share}`);
  for (const e of sim.events) if (bounced.has(e.message) && e.type !== 'sent' && e.type !== 'bounced') assert.fail(`${e.type} on a bounced message`);
});

test('Apple MPP opens: bare Mozilla/5.0 from Apple ranges, within hours of delivery, and a large share of opens', () => {
  const del = deliveredAt(sim);
  let apple = 0;
  let visibleOpens = 0;
  for (const e of sim.events) {
    const t = sim.truth.get(e.id);
    if (e.type !== 'open' || !t) continue;
    if (!t.kind.startsWith('scanner')) visibleOpens++;
    if (t.kind !== 'apple-mpp') continue;
    apple++;
    assert.equal(t.actor, 'machine');
    assert.equal(e.user_agent, 'Mozilla/5.0');
    assert.match(e.ip ?? '', /^(17\.|104\.28\.)/);
    assert.ok(ms(e) > (del.get(e.message ?? '') ?? Infinity), 'after delivery');
  }
  const share = apple / visibleOpens;
  assert.ok(share > 0.35 && share < 0.65, `Apple share of opens ${share}`);
});

test('scanner bursts and HEAD probes land within 30 s of delivery, from data-centre ranges, labelled machine', () => {
  const del = deliveredAt(sim);
  let n = 0;
  for (const e of sim.events) {
    const t = sim.truth.get(e.id);
    if (!t || (t.kind !== 'scanner-burst' && t.kind !== 'scanner-head')) continue;
    n++;
    assert.equal(t.actor, 'machine');
    const dt = ms(e) - (del.get(e.message ?? '') as number);
    assert.ok(dt >= 0 && dt <= 30_000, `scanner click ${dt} ms after delivery`);
    assert.match(e.ip ?? '', /^(40\.94\.|52\.|13\.|148\.163\.|205\.139\.110\.|207\.211\.|209\.222\.|68\.232\.)/);
    if (t.kind === 'scanner-head') assert.equal(e.method, 'HEAD');
  }
  assert.ok(n > 100, `scanner clicks: ${n}`);
  const rechecks = [...sim.truth.values()].filter((t) => t.kind === 'scanner-recheck').length;
  assert.ok(rechecks > 0, 'some delayed re-checks');
});

test('a scanner burst clicks every link of its message', () => {
  const urlsByMessage = new Map<string, Set<string>>();
  for (const e of sim.events) {
    if (sim.truth.get(e.id)?.kind !== 'scanner-burst' && sim.truth.get(e.id)?.kind !== 'scanner-head') continue;
    const s = urlsByMessage.get(e.message as string) ?? new Set<string>();
    s.add(e.url as string);
    urlsByMessage.set(e.message as string, s);
  }
  for (const [, urls] of urlsByMessage) assert.equal(urls.size, LINKS.length);
});

test('people: Gmail proxy opens are human, some click without any open, some click twice, a few act within a minute', () => {
  const kinds = new Map<string, number>();
  for (const t of sim.truth.values()) kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1);
  for (const e of sim.events) {
    const t = sim.truth.get(e.id);
    if (t?.kind === 'gmail-proxy') {
      assert.equal(t.actor, 'human');
      assert.match(e.user_agent ?? '', /GoogleImageProxy/);
      assert.match(e.ip ?? '', /^(66\.249\.|74\.125\.)/);
    }
  }
  assert.ok((kinds.get('gmail-proxy') ?? 0) > 50);
  const del = deliveredAt(sim);
  const fastClicks = sim.events.filter((e) => e.type === 'click' && sim.truth.get(e.id)?.kind === 'person-fast');
  assert.ok(fastClicks.length > 0, 'some fast human clicks');
  for (const e of fastClicks) {
    assert.equal(sim.truth.get(e.id)?.actor, 'human');
    assert.ok(ms(e) - (del.get(e.message as string) as number) < 60_000);
  }
  const humanOpened = new Set<string>();
  const humanClicks = new Map<string, number>();
  for (const e of sim.events) {
    const t = sim.truth.get(e.id);
    if (t?.actor !== 'human') continue;
    if (e.type === 'open') humanOpened.add(e.message as string);
    if (e.type === 'click') humanClicks.set(e.message as string, (humanClicks.get(e.message as string) ?? 0) + 1);
  }
  assert.ok(
    [...humanClicks.keys()].some((m) => !humanOpened.has(m)),
    'clicks with images blocked',
  );
  assert.ok(
    [...humanClicks.values()].some((c) => c > 1),
    'total clicks exceed unique clicks',
  );
  assert.ok(sim.events.some((e) => e.type === 'conversion' && typeof e.value === 'number' && e.value > 0));
});

test("variant B's true human CTR beats A's", () => {
  const variantOf = new Map<string, string>();
  for (const e of sim.events) if (e.type === 'sent') variantOf.set(e.message as string, e.variant as string);
  const del = deliveredAt(sim);
  const clicked = new Set<string>();
  for (const e of sim.events) if (e.type === 'click' && sim.truth.get(e.id)?.actor === 'human') clicked.add(e.message as string);
  const ctr = (v: string) => {
    const ms = [...del.keys()].filter((m) => variantOf.get(m) === v);
    return ms.filter((m) => clicked.has(m)).length / ms.length;
  };
  assert.ok(ctr('B') > ctr('A'), `A ${ctr('A')} B ${ctr('B')}`);
});

test('outreach sequence: steps days apart, step 1 without links, no sends after a reply', () => {
  const seq = simulateCampaign(
    {
      id: 'seq',
      start: START,
      recipients: 1500,
      mix: [['business', 1]],
      sendSpreadMs: 86_400_000,
      steps: [
        { step: 1, dayOffset: 0, links: [], openRate: 0.45, clickRate: 0, replyRate: 0.06 },
        { step: 2, dayOffset: 3, links: ['https://example.com/a'], openRate: 0.4, clickRate: 0.1, replyRate: 0.03 },
        { step: 3, dayOffset: 7, links: ['https://example.com/b', 'https://example.com/c'], openRate: 0.3, clickRate: 0.1, replyRate: 0.01 },
      ],
    },
    createRng(3),
  );
  const stepOf = new Map<string, number>();
  for (const e of seq.events) if (e.type === 'sent') stepOf.set(e.message as string, e.step as number);
  const recipientOf = (m: string) => m.replace(/\.s\d+$/, '');
  const repliedAt = new Map<string, number>();
  const replySteps = [0, 0, 0, 0];
  for (const e of seq.events) {
    if (e.type === 'click') assert.notEqual(stepOf.get(e.message as string), 1, 'step 1 has no links');
    if (e.type === 'reply') {
      repliedAt.set(recipientOf(e.message as string), ms(e));
      replySteps[stepOf.get(e.message as string) as number]! += 1;
    }
  }
  assert.ok(replySteps[1]! + replySteps[2]! > replySteps[3]!, `replies per step ${replySteps}`);
  for (const e of seq.events) {
    const r = repliedAt.get(recipientOf(e.message as string));
    if (e.type === 'sent' && r !== undefined) assert.ok(ms(e) < r, 'no step after a reply');
  }
});

test('ads: impressions and clicks carry campaign and ad, no message; crawler clicks are machine and isbot-visible', () => {
  const ads = simulateAdCampaign(
    {
      id: 'ads',
      start: START,
      durationMs: 7 * 86_400_000,
      impressions: 20_000,
      ads: [
        { ad: 'a1', weight: 1, ctr: 0.005, url: 'https://shop.example.com/a1' },
        { ad: 'a2', weight: 1, ctr: 0.01, url: 'https://shop.example.com/a2' },
      ],
      crawlerClicksPerMille: 1,
    },
    createRng(8),
  );
  assert.equal(ads.events.filter((e) => e.type === 'impression').length, 20_000);
  let crawlers = 0;
  for (const e of ads.events) {
    assert.ok(parseEvent(e).ok);
    assert.equal(e.message, undefined);
    assert.ok(e.campaign === 'ads' && (e.ad === 'a1' || e.ad === 'a2'));
    if (e.type !== 'click') continue;
    const t = ads.truth.get(e.id);
    assert.ok(t, 'every ad click is labelled');
    if (t.kind === 'crawler') {
      crawlers++;
      assert.equal(t.actor, 'machine');
      assert.ok(isbot(e.user_agent ?? ''), e.user_agent);
    } else {
      assert.equal(t.actor, 'human');
      assert.ok(!isbot(e.user_agent ?? ''), e.user_agent);
    }
  }
  assert.ok(crawlers > 5, `crawler clicks ${crawlers}`);
});
