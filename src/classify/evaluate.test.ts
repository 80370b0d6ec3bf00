// Quality gate of the classifier on the labelled simulator (targets): machine-click precision
// ≥ 0.98 and recall ≥ 0.95; human CTR and CTOR within 3% (relative) of the truth while raw is far off.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoEvents } from '../demo/demo-dataset.js';
import { parseEvent } from '../events/parse-event.js';
import { classifyEvents } from './classify.js';
import { evaluate, type EvalEvent } from './evaluate.js';

describe('evaluate (arithmetic)', () => {
  const events: EvalEvent[] = [
    { id: 's1', type: 'sent', message: 'm1', campaign: 'c' },
    { id: 's2', type: 'sent', message: 'm2', campaign: 'c' },
    { id: 's3', type: 'sent', message: 'm3', campaign: 'c' },
    { id: 'b3', type: 'bounced', message: 'm3' },
    { id: 'o1', type: 'open', message: 'm1' }, // machine, called machine
    { id: 'k1', type: 'click', message: 'm1' }, // machine, called human (fn)
    { id: 'o2', type: 'open', message: 'm2' }, // human, called human
    { id: 'k2', type: 'click', message: 'm2' }, // human, called machine (fp)
    { id: 'i1', type: 'impression', campaign: 'ads' },
    { id: 'i2', type: 'impression', campaign: 'ads' },
    { id: 'a1', type: 'click', campaign: 'ads' }, // human, called human
  ];
  const truth = new Map<string, { actor: 'human' | 'machine' }>([
    ['o1', { actor: 'machine' }],
    ['k1', { actor: 'machine' }],
    ['o2', { actor: 'human' }],
    ['k2', { actor: 'human' }],
    ['a1', { actor: 'human' }],
  ]);
  const verdicts = new Map([
    ['o1', { machine: true }],
    ['k2', { machine: true }],
  ]);
  const r = evaluate(events, truth, verdicts);
  const c = r.campaigns.find((x) => x.campaign === 'c');
  const ads = r.campaigns.find((x) => x.campaign === 'ads');

  it('counts the confusion of clicks and opens', () => {
    assert.deepEqual([r.clicks.tp, r.clicks.fp, r.clicks.fn, r.clicks.tn], [0, 1, 1, 1]);
    assert.deepEqual([r.opens.tp, r.opens.fp, r.opens.fn, r.opens.tn], [1, 0, 0, 1]);
    assert.equal(r.clicks.precision, 0);
    assert.equal(r.opens.recall, 1);
  });
  it('computes CTR and CTOR per SPEC.md from truth, verdicts and raw', () => {
    assert.equal(c?.base, 2); // m3 bounced
    assert.deepEqual([c?.ctr.truth, c?.ctr.classified, c?.ctr.raw], [50, 50, 100]); // truth: m2; classified: m1 (k1)
    assert.deepEqual([c?.ctor?.truth, c?.ctor?.classified, c?.ctor?.raw], [100, 50, 100]); // classified: m1 opened by its click, m2 opened
    assert.equal(c?.ctr.rawError, 1);
    assert.deepEqual([ads?.base, ads?.ctr.truth, ads?.ctr.classified], [2, 50, 50]);
    assert.equal(ads?.ctor, null);
  });
});

describe('classifier on the seeded demo (quality gate)', () => {
  const demo = demoEvents({ seed: 7 });
  const events = demo.events.map((raw) => {
    const p = parseEvent(raw);
    assert.ok(p.ok, `simulator event ${raw.id} does not parse`);
    return { ...p.event, id: raw.id };
  });
  const verdicts = classifyEvents(events);
  const report = evaluate(events, demo.truth, verdicts);

  it('machine clicks: precision ≥ 0.98 and recall ≥ 0.95 overall and per campaign', () => {
    assert.ok((report.clicks.precision ?? 0) >= 0.98, `precision ${report.clicks.precision}`);
    assert.ok((report.clicks.recall ?? 0) >= 0.95, `recall ${report.clicks.recall}`);
    for (const c of report.campaigns) {
      if (c.clicks.tp + c.clicks.fn === 0) continue;
      assert.ok((c.clicks.precision ?? 0) >= 0.98, `${c.campaign} precision ${c.clicks.precision}`);
      assert.ok((c.clicks.recall ?? 0) >= 0.95, `${c.campaign} recall ${c.clicks.recall}`);
    }
  });

  it('machine opens: precision ≥ 0.98 and recall ≥ 0.95', () => {
    assert.ok((report.opens.precision ?? 0) >= 0.98, `precision ${report.opens.precision}`);
    assert.ok((report.opens.recall ?? 0) >= 0.95, `recall ${report.opens.recall}`);
  });

  for (const c of report.campaigns) {
    it(`${c.campaign}: human CTR and CTOR within 3% of the truth, raw far off`, () => {
      const show = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(2)}%`);
      assert.ok((c.ctr.classifiedError ?? 0) <= 0.03, `CTR ${c.ctr.classified} vs truth ${c.ctr.truth}: off by ${show(c.ctr.classifiedError)}`);
      if (c.ctor)
        assert.ok((c.ctor.classifiedError ?? 0) <= 0.03, `CTOR ${c.ctor.classified} vs truth ${c.ctor.truth}: off by ${show(c.ctor.classifiedError)}`);
      // The point of classifying: unfiltered figures are far from the truth.
      assert.ok((c.ctr.rawError ?? 0) > 0.1, `raw CTR only ${show(c.ctr.rawError)} off`);
    });
  }
});
