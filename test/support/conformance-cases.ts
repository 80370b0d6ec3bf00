// The metric cases every store backend must pass (Hono's common.case.test.ts pattern): each case is a
// list of events and the figures SPEC.md says a report over them shows. Backends run them through
// store-conformance.ts; nothing here knows which engine answers.
import type { ReportQueryInput } from '../../src/metrics/report-query.js';

export type RawEvent = Record<string, string | number>;

const T0 = Date.parse('2026-03-02T09:00:00Z');
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

/** n sent messages m<prefix><i> of a campaign, each to a recipient; extra fields go on the sent event. */
export function sends(n: number, campaign: string, prefix = 'm', extra: (i: number) => RawEvent = () => ({})): RawEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'sent',
    ts: at(0),
    message: `${prefix}${i}`,
    campaign,
    recipient: `r${prefix}${i}@example.com`,
    ...extra(i),
  }));
}

export function on(type: string, messages: number[], prefix = 'm', minutes = 60, extra: RawEvent = {}): RawEvent[] {
  return messages.map((i) => ({ type, ts: at(minutes), message: `${prefix}${i}`, ...extra }));
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

export interface MetricCase {
  name: string;
  events: RawEvent[];
  query: ReportQueryInput;
  /** Paths into the report JSON (dot-separated, groups.N.field) and their exact expected values. */
  expect: Record<string, unknown>;
  /** Verdicts written after the events (replies read from a mailbox carry theirs: src/replies/). */
  verdicts?: Array<{ id: string; machine: boolean; reasons: string[] }>;
}

/** Replies as the mailbox reader stores them: a `reply` event with an id, and its verdict. */
const mailReplies: RawEvent[] = [
  { id: 'mr-h0', type: 'reply', ts: at(120), message: 'm0' },
  { id: 'mr-a2', type: 'reply', ts: at(61), message: 'm2' },
  { id: 'mr-o4', type: 'reply', ts: at(300), message: 'm4' },
  { id: 'mr-h1', type: 'reply', ts: at(600), message: 'm1' },
  { id: 'mr-a1', type: 'reply', ts: at(62), message: 'm1' },
  { id: 'mr-a3', type: 'reply', ts: at(20 * 24 * 60), message: 'm3' },
];
const mailVerdicts: NonNullable<MetricCase['verdicts']> = [
  { id: 'mr-h1', machine: false, reasons: ['match:in-reply-to'] },
  { id: 'mr-a2', machine: true, reasons: ['auto-submitted:auto-replied', 'match:in-reply-to'] },
  { id: 'mr-a1', machine: true, reasons: ['ooo-subject:de', 'match:references'] },
  { id: 'mr-a3', machine: true, reasons: ['x-autoreply', 'match:in-reply-to'] },
  { id: 'mr-o4', machine: true, reasons: ['opt-out:en', 'match:in-reply-to'] },
];
const stepOf = (i: number): RawEvent => ({ step: 1 + (i % 2) });

const click = (url = 'https://shop.example.com/a'): RawEvent => ({ url });

/**
 * First replies to time (metrics.md "Time to first reply"): people's first replies come 10, 30, 20 and 50
 * minutes after the send (m0…m3; m0 writes again later, m3 after an auto-reply); m4 only opts out, m5
 * bounced, m6 replies after two days when `late`. Recipients m0…m3 are at Gmail, the rest at Outlook.
 */
function timedReplies(campaign: string, late: boolean): RawEvent[] {
  const r = (id: string, i: number, minutes: number): RawEvent => ({ id: `${campaign}-${id}`, type: 'reply', ts: at(minutes), message: `m${i}` });
  return [
    ...sends(7, campaign, 'm', (i) => ({ ...stepOf(i), recipient: `p${i}@${i < 4 ? 'gmail.com' : 'outlook.com'}` })),
    r('h0', 0, 10),
    r('h0b', 0, 5000),
    r('h1', 1, 30),
    r('h2', 2, 20),
    r('a3', 3, 1),
    r('h3', 3, 50),
    r('o4', 4, 2),
    ...on('bounced', [5], 'm', 1),
    r('h5', 5, 3),
    ...(late ? [r('h6', 6, 2 * 24 * 60)] : []),
    ...on('click', [0], 'm', 5, click()),
  ];
}
const timedVerdicts = (campaign: string): NonNullable<MetricCase['verdicts']> => [
  { id: `${campaign}-a3`, machine: true, reasons: ['ooo-subject:en', 'match:in-reply-to'] },
  { id: `${campaign}-o4`, machine: true, reasons: ['opt-out:en', 'match:in-reply-to'] },
];

export const METRIC_CASES: MetricCase[] = [
  {
    name: 'SPEC worked figure: 10,000 delivered, 1,000 unique clicks → CTR 10%',
    events: [...sends(10_000, 'w1'), ...on('click', range(0, 1000), 'm', 60, click())],
    query: { campaign: 'w1' },
    expect: { 'totals.delivered': 10_000, 'totals.unique_clicks': 1000, 'totals.ctr': 10 },
  },
  {
    name: 'SPEC worked figure: 4,500 unique opens, 1,000 unique clicks → CTOR 22.22%',
    events: [...sends(10_000, 'w2'), ...on('open', range(0, 4500)), ...on('click', range(0, 1000), 'm', 61, click())],
    query: { campaign: 'w2' },
    expect: { 'totals.unique_opens': 4500, 'totals.ctr': 10, 'totals.ctor': (1000 / 4500) * 100, 'totals.open_rate': 45, 'totals.implied_opens': 0 },
  },
  {
    name: 'total clicks count events, unique clicks count messages',
    events: [...sends(10, 'u'), ...on('click', [0, 0, 0, 1], 'm', 60, click()), ...on('click', [1], 'm', 62, click('https://shop.example.com/b'))],
    query: { campaign: 'u' },
    expect: { 'totals.unique_clicks': 2, 'totals.total_clicks': 5, 'totals.raw.total_clicks': 5 },
  },
  {
    name: 'a click implies an open (images blocked), so CTOR never exceeds 100%',
    events: [...sends(10, 'imp'), ...on('open', [0]), ...on('click', [0, 1, 2], 'm', 60, click())],
    query: { campaign: 'imp' },
    expect: { 'totals.unique_opens': 3, 'totals.implied_opens': 2, 'totals.ctor': 100 },
  },
  {
    name: 'every message bounced: delivered 0 and every rate null, not an error',
    events: [...sends(3, 'b0'), ...on('bounced', [0, 1, 2], 'm', 1), ...on('click', [0], 'm', 60, click())],
    query: { campaign: 'b0' },
    expect: {
      'totals.sent': 3,
      'totals.bounced': 3,
      'totals.delivered': 0,
      'totals.unique_clicks': 0,
      'totals.ctr': null,
      'totals.ctor': null,
      'totals.ctr_ci': null,
      'totals.bounce_rate': 100,
    },
  },
  {
    name: 'opens and clicks of bounced messages do not count',
    events: [...sends(4, 'bc'), ...on('bounced', [3], 'm', 1), ...on('open', [0, 3]), ...on('click', [3], 'm', 60, click())],
    query: { campaign: 'bc' },
    expect: { 'totals.delivered': 3, 'totals.unique_opens': 1, 'totals.unique_clicks': 0, 'totals.raw.unique_clicks': 0 },
  },
  {
    name: 'the window applies to opens, clicks and replies alike',
    events: [
      ...sends(4, 'win'),
      ...on('open', [0], 'm', 60),
      ...on('open', [1], 'm', 8 * 24 * 60),
      ...on('click', [0], 'm', 61, click()),
      ...on('click', [1], 'm', 8 * 24 * 60 + 1, click()),
      ...on('reply', [2], 'm', 2 * 24 * 60),
      ...on('reply', [3], 'm', 10 * 24 * 60),
    ],
    query: { campaign: 'win', window: '7d' },
    expect: { window: '7d', 'totals.unique_opens': 1, 'totals.unique_clicks': 1, 'totals.replies': 1, 'totals.reply_rate': 25 },
  },
  {
    name: 'with no window, late engagement counts',
    events: [...sends(2, 'nowin'), ...on('click', [0], 'm', 30 * 24 * 60, click()), ...on('reply', [1], 'm', 40 * 24 * 60)],
    query: { campaign: 'nowin' },
    expect: { window: null, 'totals.unique_clicks': 1, 'totals.replies': 1 },
  },
  {
    name: 'a delivered event alone makes a message sent; a bounce alone does not',
    events: [
      { type: 'delivered', ts: at(0), message: 'd0', campaign: 'dl', recipient: 'x@example.com' },
      { type: 'delivered', ts: at(0), message: 'd1', campaign: 'dl' },
      { type: 'click', ts: at(5), message: 'd1', url: 'https://a.example.com/' },
    ],
    query: { campaign: 'dl' },
    expect: { 'totals.sent': 2, 'totals.delivered': 2, 'totals.unique_clicks': 1, 'totals.ctr': 50 },
  },
  {
    name: 'orphans (events for a message never sent) are counted and in no rate',
    events: [
      ...sends(2, 'orph'),
      { type: 'click', ts: at(3), message: 'ghost', campaign: 'orph', url: 'https://a.example.com/' },
      { type: 'open', ts: at(5), message: 'ghost-2' }, // names no campaign: an orphan of the store, not of this report
    ],
    query: { campaign: 'orph' },
    expect: { 'totals.orphans': 1, 'totals.unique_clicks': 0, 'totals.sent': 2 },
  },
  {
    name: 'a campaign whose events all name messages it never sent reports zeros and its orphans, not "not found"',
    events: [
      ...sends(1, 'owner', 'own'),
      { type: 'click', ts: at(3), message: 'ghost', campaign: 'stray', url: 'https://a.example.com/' },
      { type: 'open', ts: at(4), message: 'own0', campaign: 'stray' }, // the message is owner's: not an orphan, not stray's
    ],
    query: { campaign: 'stray' },
    expect: { kind: 'email', 'totals.sent': 0, 'totals.orphans': 1, 'totals.unique_opens': 0, 'totals.ctr': null },
  },
  {
    name: 'replies from a mailbox: people count in reply_rate, auto-replies and opt-outs apart, per step',
    events: [...sends(6, 'mbx', 'm', stepOf), ...mailReplies, ...on('bounced', [5], 'm', 1)],
    verdicts: mailVerdicts,
    query: { campaign: 'mbx', by: 'step' },
    expect: {
      'totals.replies': 2,
      'totals.auto_replies': 3,
      'totals.opt_out_replies': 1,
      'totals.reply_rate': 40,
      'groups.0.key': 1,
      'groups.0.replies': 1,
      'groups.0.auto_replies': 1,
      'groups.0.opt_out_replies': 1,
      'groups.0.reply_rate': 100 / 3,
      'groups.1.key': 2,
      'groups.1.delivered': 2,
      'groups.1.replies': 1,
      'groups.1.auto_replies': 2,
      'groups.1.opt_out_replies': 0,
      'groups.1.reply_rate': 50,
    },
  },
  {
    name: 'replies from a mailbox within a window: a late auto-reply falls outside it',
    events: [...sends(6, 'mbxw', 'm', stepOf), ...mailReplies, ...on('bounced', [5], 'm', 1)],
    verdicts: mailVerdicts,
    query: { campaign: 'mbxw', window: '7d' },
    expect: { 'totals.replies': 2, 'totals.auto_replies': 2, 'totals.opt_out_replies': 1 },
  },
  {
    name: 'median time to first reply: the lower of two middles, per step; auto-replies, opt-outs and bounced messages left out',
    events: timedReplies('ttr', false),
    verdicts: timedVerdicts('ttr'),
    query: { campaign: 'ttr', by: 'step' },
    expect: {
      'totals.replies': 4,
      'totals.median_time_to_reply_s': 20 * 60,
      'groups.0.key': 1,
      'groups.0.median_time_to_reply_s': 10 * 60,
      'groups.1.key': 2,
      'groups.1.median_time_to_reply_s': 30 * 60,
    },
  },
  {
    name: 'median time to first reply per provider: domains merged before the median; none without a reply',
    events: timedReplies('ttrp', false),
    verdicts: timedVerdicts('ttrp'),
    query: { campaign: 'ttrp', by: 'provider' },
    expect: {
      'groups.0.key': 'gmail',
      'groups.0.median_time_to_reply_s': 20 * 60,
      'groups.1.key': 'outlook',
      'groups.1.replies': 0,
      'groups.1.median_time_to_reply_s': null,
    },
  },
  {
    name: 'median time to first reply of an odd count, beside links',
    events: timedReplies('ttro', true),
    verdicts: timedVerdicts('ttro'),
    query: { campaign: 'ttro', by: 'link' },
    expect: { 'totals.replies': 5, 'totals.median_time_to_reply_s': 30 * 60, 'groups.0.unique_clicks': 1 },
  },
  {
    name: 'median time to first reply within a window, per send day: a reply after it does not count',
    events: timedReplies('ttrw', true),
    verdicts: timedVerdicts('ttrw'),
    query: { campaign: 'ttrw', window: '1d', by: 'day' },
    expect: { 'totals.replies': 4, 'totals.median_time_to_reply_s': 20 * 60, 'groups.0.key': '2026-03-02', 'groups.0.median_time_to_reply_s': 20 * 60 },
  },
  {
    name: 'no reply: the median time to first reply is null',
    events: [...sends(3, 'ttrn'), ...on('open', [0])],
    query: { campaign: 'ttrn', by: 'variant' },
    expect: { 'totals.median_time_to_reply_s': null, 'groups.0.key': null, 'groups.0.median_time_to_reply_s': null },
  },
  {
    name: 'replies, unsubscribes and complaints are per message; conversions are events with revenue',
    events: [
      ...sends(10, 'rep'),
      ...on('reply', [0, 0, 1]),
      ...on('unsubscribe', [2]),
      ...on('complaint', [3]),
      ...on('conversion', [4], 'm', 90, { value: 20 }),
      ...on('conversion', [4], 'm', 95, { value: 5.5 }),
    ],
    query: { campaign: 'rep' },
    expect: {
      'totals.replies': 2,
      'totals.reply_rate': 20,
      'totals.unsubscribes': 1,
      'totals.complaints': 1,
      'totals.conversions': 2,
      'totals.revenue': 25.5,
      'totals.revenue_per_recipient': 2.55,
    },
  },
  {
    name: 'until a classifier marks machines, raw equals the headline',
    events: [...sends(20, 'raw'), ...on('open', range(0, 8)), ...on('click', range(0, 3), 'm', 60, click())],
    query: { campaign: 'raw' },
    expect: {
      'totals.raw.unique_opens': 8,
      'totals.raw.unique_clicks': 3,
      'totals.raw.ctr': 15,
      'totals.raw.ctor': 37.5,
      'totals.machine_opens': 0,
      'totals.scanner_clicks': 0,
    },
  },
  {
    name: 'by variant: each variant against the first by name',
    events: [
      ...sends(1000, 'ab', 'a', () => ({ variant: 'A' })),
      ...sends(1000, 'ab', 'b', () => ({ variant: 'B' })),
      ...on('click', range(0, 100), 'a', 60, click()),
      ...on('click', range(0, 150), 'b', 60, click()),
    ],
    query: { campaign: 'ab', by: 'variant' },
    expect: {
      control: 'A',
      'groups.0.key': 'A',
      'groups.0.comparison': null,
      'groups.1.key': 'B',
      'groups.1.ctr': 15,
      'groups.1.comparison.control': 'A',
      'groups.1.comparison.ctr.lift': 50,
      'groups.1.comparison.ctr.significant': true,
    },
  },
  {
    name: 'by variant with --control B',
    events: [...sends(10, 'ab2', 'a', () => ({ variant: 'A' })), ...sends(10, 'ab2', 'b', () => ({ variant: 'B' }))],
    query: { campaign: 'ab2', by: 'variant', control: 'B' },
    expect: { control: 'B', 'groups.0.comparison.control': 'B', 'groups.1.comparison': null },
  },
  {
    name: 'by link: unique clicks per URL over delivered of the whole selection, and click share',
    events: [
      ...sends(10, 'lk'),
      ...on('click', [0, 1, 2], 'm', 60, click('https://a.example.com/')),
      ...on('click', [0, 0], 'm', 61, click('https://b.example.com/')),
    ],
    query: { campaign: 'lk', by: 'link' },
    expect: {
      'totals.unique_clicks': 3,
      'groups.0.key': 'https://a.example.com/',
      'groups.0.unique_clicks': 3,
      'groups.0.ctr': 30,
      'groups.0.click_share': 0.75,
      'groups.1.key': 'https://b.example.com/',
      'groups.1.unique_clicks': 1,
      'groups.1.total_clicks': 2,
      'groups.1.click_share': 0.25,
    },
  },
  {
    name: 'by step: a sequence reported per step',
    events: [
      ...sends(4, 'seq', 's1-', () => ({ step: 1 })),
      ...sends(4, 'seq', 's2-', () => ({ step: 2 })),
      ...on('reply', [0, 1], 's1-'),
      ...on('reply', [0], 's2-'),
    ],
    query: { campaign: 'seq', by: 'step' },
    expect: { 'groups.0.key': 1, 'groups.0.reply_rate': 50, 'groups.1.key': 2, 'groups.1.reply_rate': 25, 'totals.replies': 3 },
  },
  {
    name: 'by segment, messages without one last as null',
    events: [...sends(2, 'sg', 'x', () => ({ segment: 'vip' })), ...sends(3, 'sg', 'y')],
    query: { campaign: 'sg', by: 'segment' },
    expect: { 'groups.0.key': 'vip', 'groups.0.sent': 2, 'groups.1.key': null, 'groups.1.sent': 3 },
  },
  {
    name: 'by provider: consumer domains named, business domains other, ids without @ unknown',
    events: [
      ...sends(2, 'pv', 'g', (i) => ({ recipient: `p${i}@Gmail.com` })),
      ...sends(1, 'pv', 'o', () => ({ recipient: 'z@hotmail.com' })),
      ...sends(1, 'pv', 'w', () => ({ recipient: 'boss@acme-corp.com' })),
      ...sends(1, 'pv', 'u', () => ({ recipient: 'crm-4471' })),
    ],
    query: { campaign: 'pv', by: 'provider' },
    expect: { 'groups.0.key': 'gmail', 'groups.0.sent': 2, 'groups.1.key': 'other', 'groups.2.key': 'outlook', 'groups.3.key': 'unknown', 'groups.3.sent': 1 },
  },
  {
    name: 'by day: cohorts by UTC send day',
    events: [
      { type: 'sent', ts: '2026-03-01T23:30:00-02:00', message: 'n0', campaign: 'dy', recipient: 'a@x.com' },
      { type: 'sent', ts: '2026-03-01T10:00:00Z', message: 'n1', campaign: 'dy', recipient: 'b@x.com' },
      { type: 'click', ts: '2026-03-02T12:00:00Z', message: 'n1', url: 'https://a.example.com/' },
    ],
    query: { campaign: 'dy', by: 'day' },
    expect: { 'groups.0.key': '2026-03-01', 'groups.0.unique_clicks': 1, 'groups.1.key': '2026-03-02', 'groups.1.sent': 1 },
  },
  {
    name: 'SPEC worked figure for ads: 50,000 impressions, 200 clicks → CTR 0.4%',
    events: [
      ...Array.from({ length: 50_000 }, (_, i) => ({ type: 'impression', ts: at(i % 600), campaign: 'ad1', ad: i % 2 ? 'left' : 'right', id: `i${i}` })),
      ...Array.from({ length: 200 }, (_, i) => ({
        type: 'click',
        ts: at(i),
        campaign: 'ad1',
        ad: i < 150 ? 'right' : 'left',
        url: 'https://shop.example.com/',
      })),
    ],
    query: { campaign: 'ad1', by: 'ad' },
    expect: {
      kind: 'ads',
      'totals.impressions': 50_000,
      'totals.clicks': 200,
      'totals.ctr': 0.4,
      'groups.0.key': 'left',
      'groups.0.clicks': 50,
      'groups.0.ctr': 0.2,
      'groups.1.ctr': 0.6,
    },
  },
  {
    name: 'machines are set aside: Apple prefetch, a scanner burst with HEAD; raw keeps them; privacy-hidden counted',
    events: [
      ...sends(4, 'mach'),
      ...on('delivered', [0, 1, 2, 3], 'm', 0.05),
      // Apple Mail Privacy Protection fetches the pixel of m0 and m1: bare UA from Apple's 17/8.
      ...on('open', [0, 1], 'm', 3, { ip: '17.58.101.4', user_agent: 'Mozilla/5.0' }),
      // A mail-security scanner clicks every link of m2 within a second of delivery, HEAD first.
      {
        type: 'click',
        ts: at(0.06),
        message: 'm2',
        url: 'https://a.example.com/',
        ip: '40.94.12.7',
        user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
        method: 'HEAD',
      },
      { type: 'click', ts: at(0.065), message: 'm2', url: 'https://b.example.com/', ip: '40.94.12.7', user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' },
      // A person opens m1 and clicks one link 40 s after delivery, from home: fast, but human.
      {
        type: 'open',
        ts: at(0.6),
        message: 'm1',
        ip: '73.12.40.8',
        user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      },
      {
        type: 'click',
        ts: at(0.7),
        message: 'm1',
        url: 'https://a.example.com/',
        ip: '73.12.40.8',
        user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      },
    ],
    query: { campaign: 'mach' },
    expect: {
      'totals.unique_clicks': 1,
      'totals.total_clicks': 1,
      'totals.unique_opens': 1,
      'totals.machine_opens': 2,
      'totals.scanner_clicks': 2,
      'totals.privacy_hidden': 1,
      'totals.ctr': 25,
      'totals.ctor': 100,
      'totals.raw.unique_clicks': 2,
      'totals.raw.total_clicks': 3,
      'totals.raw.unique_opens': 3,
      'totals.machine_reasons.opens.apple-mpp-proxy': 2,
      'totals.machine_reasons.clicks.head-request': 1,
    },
  },
  {
    name: 'ad clicks from crawlers and scripts are machine; CTR counts people',
    events: [
      ...Array.from({ length: 1000 }, (_, i) => ({ type: 'impression', ts: at(i % 60), campaign: 'adm', ad: 'x', id: `im${i}` })),
      ...Array.from({ length: 5 }, (_, i) => ({
        type: 'click',
        ts: at(i),
        campaign: 'adm',
        ad: 'x',
        ip: `73.1.2.${i}`,
        user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
      })),
      {
        type: 'click',
        ts: at(7),
        campaign: 'adm',
        ad: 'x',
        ip: '66.249.66.1',
        user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      },
      { type: 'click', ts: at(8), campaign: 'adm', ad: 'x', ip: '3.4.5.6', user_agent: 'python-requests/2.31.0' },
    ],
    query: { campaign: 'adm' },
    expect: { 'totals.clicks': 5, 'totals.machine_clicks': 2, 'totals.ctr': 0.5, 'totals.raw.clicks': 7, 'totals.raw.ctr': 0.7 },
  },
];

/**
 * Message ids are global, and a message belongs to one campaign: that of its first sent
 * (store/message-owner.ts). `stored` holds the owner's messages (ids `spring-sale:mN`, variants A and B)
 * with opens and a click, and another campaign's own messages. `intruder` names spring-sale:m1 under
 * the other campaign, earlier than its first sent (the stored owner stays all the same), with a
 * recipient and variant of its own that must show nowhere.
 */
export interface OwnershipCase {
  owner: string;
  other: string;
  stored: RawEvent[];
  intruder: RawEvent;
  alongside: RawEvent;
  disagreeing: RawEvent[];
  sameBatch: RawEvent[];
  legacy: RawEvent[];
}

export const OWNERSHIP: OwnershipCase = {
  owner: 'spring-sale',
  other: 'other',
  stored: [
    // spring-sale:m1 has no variant, so that one lent by a sent of another campaign would show.
    ...sends(4, 'spring-sale', 'spring-sale:m', (i): RawEvent => (i === 1 ? {} : { variant: i % 2 ? 'B' : 'A' })),
    ...on('open', [0, 1, 2], 'spring-sale:m'),
    ...on('click', [1], 'spring-sale:m', 61, click()),
    ...sends(2, 'other', 'other:m'),
  ],
  intruder: { id: 'intruder-sent', type: 'sent', ts: at(-60), message: 'spring-sale:m1', campaign: 'other', recipient: 'intruder@example.com', variant: 'X' },
  /** Stored with the intruder: a send of the other campaign's own, which is kept. */
  alongside: { id: 'other-m2', type: 'sent', ts: at(5), message: 'other:m2', campaign: 'other', recipient: 'rother:m2@example.com' },
  /** Events of the owner's messages naming the other campaign: kept, and the owner's. */
  disagreeing: [
    { id: 'dis-open', type: 'open', ts: at(70), message: 'spring-sale:m3', campaign: 'other' },
    { id: 'dis-delivered', type: 'delivered', ts: at(1), message: 'spring-sale:m3', campaign: 'other' },
  ],
  /**
   * One new message sent under two campaigns in one batch, at the same instant: the first by (ts, id)
   * wins, so `tie-a` (campaign `fourth`) keeps it and `tie-b` (campaign `third`) is refused.
   */
  sameBatch: [
    { id: 'tie-b', type: 'sent', ts: at(3), message: 'tie:m1', campaign: 'third', recipient: 'x@example.com' },
    { id: 'tie-a', type: 'sent', ts: at(3), message: 'tie:m1', campaign: 'fourth', recipient: 'x@example.com' },
  ],
  /**
   * What builds before the rule stored: spring-sale:m1 sent again under the other campaign (later than
   * its first send, so spring-sale still owns it), and a click of it after that.
   */
  legacy: [
    { id: 'legacy-sent', type: 'sent', ts: at(5), message: 'spring-sale:m1', campaign: 'other', recipient: 'legacy@example.com', variant: 'X' },
    { id: 'legacy-click', type: 'click', ts: at(90), message: 'spring-sale:m1', url: 'https://shop.example.com/a' },
  ],
};
