// The diagnosis rules, one row per situation an analyst would recognise, and the benchmark configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BENCHMARKS, parseBenchmarks } from './benchmarks.js';
import { diagnose, type AdFacts, type EmailFacts } from './diagnose.js';

const email = (over: Partial<EmailFacts>): EmailFacts => ({
  kind: 'email',
  delivered: 10_000,
  unique_opens: 2500,
  unique_clicks: 400,
  replies: 0,
  ctr: 4,
  ctor: 16,
  reply_rate: 0,
  privacy_hidden_rate: 10,
  raw_ctr: 5,
  sequence: false,
  email_kind: 'promotional',
  link_clicks: [300, 100],
  cohorts: [],
  ...over,
});
const ads = (over: Partial<AdFacts>): AdFacts => ({ kind: 'ads', impressions: 50_000, clicks: 300, ctr: 0.6, raw_clicks: 310, ...over });

const cases: Array<{ name: string; facts: EmailFacts | AdFacts; codes: string[]; says?: RegExp }> = [
  { name: 'healthy email', facts: email({}), codes: ['healthy'], says: /CTR 4\.00% and CTOR 16\.0%/ },
  {
    name: 'low CTR, healthy CTOR → deliverability, subject, targeting',
    facts: email({ ctr: 0.8, ctor: 16, raw_ctr: 1 }),
    codes: ['low-ctr-healthy-ctor'],
    says: /deliverability, the subject line or the targeting/,
  },
  {
    name: 'low CTOR → content, offer, CTA',
    facts: email({ ctr: 0.8, ctor: 6, raw_ctr: 1 }),
    codes: ['low-ctor'],
    says: /content, the offer or the call to action/,
  },
  { name: 'benchmark shown beside the figure', facts: email({ ctor: 6 }), codes: ['low-ctor'], says: /10–18% \(promotional email\)/ },
  { name: 'high privacy-hidden share → read CTR', facts: email({ privacy_hidden_rate: 42 }), codes: ['healthy', 'privacy-hidden'], says: /CTOR is unreliable/ },
  { name: 'many competing links', facts: email({ link_clicks: [90, 80, 70, 60, 50, 0] }), codes: ['healthy', 'many-links'], says: /5 links shared the clicks/ },
  { name: 'one dominant link among many is fine', facts: email({ link_clicks: [500, 20, 20, 20, 20] }), codes: ['healthy'] },
  { name: 'scanners inflate raw CTR', facts: email({ ctr: 4, raw_ctr: 19.7 }), codes: ['healthy', 'machine-clicks'], says: /19\.7%/ },
  {
    name: 'CTOR up while CTR falls → fewer openers',
    facts: email({
      cohorts: [
        { delivered: 1000, unique_opens: 400, unique_clicks: 40 },
        { delivered: 1000, unique_opens: 380, unique_clicks: 38 },
        { delivered: 1000, unique_opens: 200, unique_clicks: 30 },
        { delivered: 1000, unique_opens: 180, unique_clicks: 28 },
      ],
    }),
    codes: ['healthy', 'fewer-openers'],
    says: /fewer people open/,
  },
  {
    name: 'CTR and CTOR falling together is not "fewer openers"',
    facts: email({
      cohorts: [
        { delivered: 1000, unique_opens: 400, unique_clicks: 40 },
        { delivered: 1000, unique_opens: 400, unique_clicks: 40 },
        { delivered: 1000, unique_opens: 400, unique_clicks: 20 },
        { delivered: 1000, unique_opens: 400, unique_clicks: 20 },
      ],
    }),
    codes: ['healthy'],
  },
  {
    name: 'a sequence\u2019s send days mix steps, so no "fewer openers" there',
    facts: email({
      sequence: true,
      email_kind: 'outreach',
      reply_rate: 3,
      cohorts: [400, 380, 200, 180].map((o, i) => ({ delivered: 1000, unique_opens: o, unique_clicks: [40, 38, 30, 28][i]! })),
    }),
    codes: ['healthy-reply-rate'],
  },
  { name: 'too few delivered to judge', facts: email({ delivered: 120, ctr: 0.5, ctor: 2 }), codes: ['too-few'], says: /Only 120 messages/ },
  {
    name: 'sequence judged by reply rate (low)',
    facts: email({ sequence: true, email_kind: 'outreach', reply_rate: 0.4, ctr: 0.5, raw_ctr: 0.9 }),
    codes: ['low-reply-rate'],
    says: /Reply rate is 0\.40%/,
  },
  { name: 'sequence judged by reply rate (healthy)', facts: email({ sequence: true, email_kind: 'outreach', reply_rate: 3.1 }), codes: ['healthy-reply-rate'] },
  { name: 'ads: low CTR', facts: ads({ ctr: 0.2 }), codes: ['low-ad-ctr'], says: /0\.20%, below the typical 0\.35–1%/ },
  { name: 'ads: healthy CTR', facts: ads({}), codes: ['healthy-ad-ctr'] },
  { name: 'ads: bot clicks set aside', facts: ads({ clicks: 277, raw_clicks: 329 }), codes: ['healthy-ad-ctr', 'machine-clicks'], says: /bots and crawlers/ },
  { name: 'ads: too few impressions', facts: ads({ impressions: 900 }), codes: ['too-few'] },
];

for (const c of cases) {
  test(`diagnosis: ${c.name}`, () => {
    const findings = diagnose(c.facts, DEFAULT_BENCHMARKS);
    assert.deepEqual(
      findings.map((f) => f.code),
      c.codes,
    );
    if (c.says) assert.match(findings.map((f) => f.text).join('\n'), c.says);
  });
}

test('benchmarks: a partial JSON override changes only what it names', () => {
  const b = parseBenchmarks('{"email":{"ctor":{"low":8,"high":15,"label":"B2B"}}}');
  assert.deepEqual(b.email.promotional.ctor, { low: 8, high: 15, label: 'B2B' });
  assert.deepEqual(b.email.outreach.ctor, { low: 8, high: 15, label: 'B2B' }, 'a metric directly under email applies to every kind');
  assert.deepEqual(b.email.promotional.ctr, DEFAULT_BENCHMARKS.email.promotional.ctr);
  const findings = diagnose(email({ ctor: 9 }), b);
  assert.equal(findings[0]!.code, 'healthy', 'CTOR 9% is healthy against a B2B range starting at 8%');
  const own = parseBenchmarks('{"email":{"ctor":{"low":8},"outreach":{"reply_rate":{"low":2,"high":8}}}}');
  assert.deepEqual(own.email.outreach.reply_rate, { low: 2, high: 8, label: 'cold outreach' });
  assert.equal(own.email.outreach.ctor.low, 8);
  assert.deepEqual(own.email.newsletter.reply_rate, DEFAULT_BENCHMARKS.email.newsletter.reply_rate);
});

test('benchmarks follow the kind: the same figures read differently for outreach, promotional and transactional mail', () => {
  const f = { ctr: 3, ctor: 12, raw_ctr: 3, replies: 50, reply_rate: 0.5 };
  const codes = (email_kind: EmailFacts['email_kind']) => diagnose(email({ ...f, email_kind }), DEFAULT_BENCHMARKS).map((x) => x.code);
  assert.deepEqual(codes('promotional'), ['healthy']);
  assert.deepEqual(codes('outreach'), ['low-reply-rate'], 'outreach is judged by its replies');
  assert.deepEqual(codes('transactional'), ['low-ctor'], 'transactional mail draws far more clicks per open');
});

test('benchmarks: nonsense is refused with CR_ERR_CONFIG', () => {
  for (const bad of [
    '{',
    '{"email":{"ctr":{"low":5,"high":2}}}',
    '{"ads":{"ctr":{"low":-1}}}',
    '{"email":{"outreach":{"ctr":{"high":101}}}}',
    '{"email":{"b2b":{"ctr":{"low":1}}}}',
  ]) {
    assert.throws(() => parseBenchmarks(bad), { code: 'CR_ERR_CONFIG' }, bad);
  }
});
