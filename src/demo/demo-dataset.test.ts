// Tests for the demo dataset: deterministic, schema-valid, within size, ending at `now`, with the five
// campaigns and the shape the dashboard demo relies on (B beats A, scanners in outreach, 3 ads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseEvent } from '../events/parse-event.js';
import { DEMO_DEFAULT_NOW, demoEvents } from './demo-dataset.js';

const demo = demoEvents();
const digest = (events: unknown[]) => createHash('sha256').update(JSON.stringify(events)).digest('hex');
const campaignOf = (id: string) => id.slice(0, id.lastIndexOf(':'));

test('same seed → identical dataset; another seed → a different one', () => {
  const again = demoEvents();
  assert.equal(digest(again.events), digest(demo.events));
  assert.deepEqual([...again.truth], [...demo.truth]);
  assert.notEqual(digest(demoEvents({ seed: 7 }).events), digest(demo.events));
});

test('every event passes the real schema; ids unique; size within budget', () => {
  const ids = new Set<string>();
  for (const e of demo.events) {
    const r = parseEvent(e);
    assert.ok(r.ok, r.ok ? '' : `${e.id}: ${r.reason}`);
    ids.add(e.id);
  }
  assert.equal(ids.size, demo.events.length);
  assert.ok(demo.events.length > 80_000 && demo.events.length < 200_000, `${demo.events.length} events`);
});

test('events are in time order and none is after now', () => {
  const now = Date.UTC(2026, 5, 15, 12, 34);
  const live = demoEvents({ now });
  let prev = -Infinity;
  for (const e of live.events) {
    const t = Date.parse(e.ts);
    assert.ok(t >= prev && t <= now);
    prev = t;
  }
  assert.ok(now - prev < 3_600_000, 'the dataset ends near now');
  assert.ok(Date.parse(demo.events.at(-1)!.ts) <= DEMO_DEFAULT_NOW);
});

test('the five campaigns are there at their sizes, with labels for every open and click', () => {
  const sent = new Map<string, number>();
  let impressions = 0;
  const ads = new Set<string>();
  for (const e of demo.events) {
    if (e.type === 'sent') sent.set(e.campaign as string, (sent.get(e.campaign as string) ?? 0) + 1);
    if (e.type === 'impression') {
      impressions++;
      ads.add(e.ad as string);
    }
    if (e.type === 'open' || e.type === 'click') assert.ok(demo.truth.has(e.id), `unlabelled ${e.id}`);
  }
  assert.deepEqual(
    demo.campaigns.map((c) => c.id),
    ['spring-sale', 'weekly-digest', 'outreach-q4', 'onboarding', 'retargeting'],
  );
  assert.equal(sent.get('spring-sale'), 8000);
  assert.equal(sent.get('weekly-digest'), 5000);
  assert.ok((sent.get('outreach-q4') ?? 0) > 4000, 'four steps to ~1,500 prospects');
  assert.ok((sent.get('onboarding') ?? 0) > 1000);
  assert.ok(impressions > 55_000 && impressions <= 64_000, `${impressions} impressions`);
  assert.deepEqual([...ads].sort(), ['carousel-shoes', 'static-banner', 'video-15s']);
  for (const id of demo.truth.keys()) assert.ok(demo.campaigns.some((c) => c.id === campaignOf(id)));
});

test("spring-sale: B's true human CTR beats A's; filtering matters (machine clicks are common)", () => {
  const variantOf = new Map<string, string>();
  const delivered = new Set<string>();
  const human = new Set<string>();
  let machineClicks = 0;
  for (const e of demo.events) {
    if (e.campaign === 'spring-sale' && e.type === 'sent') variantOf.set(e.message as string, e.variant as string);
    if (e.type === 'delivered') delivered.add(e.message as string);
    if (e.type === 'click' && e.message?.startsWith('spring-sale:')) {
      if (demo.truth.get(e.id)?.actor === 'human') human.add(e.message);
      else machineClicks++;
    }
  }
  const ctr = (v: string) => {
    const ms = [...variantOf].filter(([m, x]) => x === v && delivered.has(m)).map(([m]) => m);
    return ms.filter((m) => human.has(m)).length / ms.length;
  };
  assert.ok(ctr('B') > ctr('A') * 1.2, `A ${ctr('A')} B ${ctr('B')}`);
  assert.ok(machineClicks > human.size, 'scanner clicks outnumber human clickers');
});

test('outreach-q4: mostly business domains, replies mostly to steps 1–2', () => {
  const stepOf = new Map<string, number>();
  let business = 0;
  let prospects = 0;
  for (const e of demo.events) {
    if (e.campaign !== 'outreach-q4' || e.type !== 'sent') continue;
    stepOf.set(e.message as string, e.step as number);
    if (e.step === 1) {
      prospects++;
      if (!/@(gmail|googlemail|outlook|hotmail|live|icloud|me|mac)\.com$/.test(e.recipient as string)) business++;
    }
  }
  assert.equal(prospects, 1500);
  assert.ok(business / prospects > 0.7);
  const replies = [0, 0, 0, 0, 0];
  for (const e of demo.events) if (e.type === 'reply' && e.message?.startsWith('outreach-q4:')) replies[stepOf.get(e.message) as number]! += 1;
  assert.ok(replies[1]! + replies[2]! > 2 * (replies[3]! + replies[4]!), `replies per step ${replies}`);
});
