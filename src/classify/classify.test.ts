// Table-driven tests of classifyMessage/classifyAdEvent: Apple prefetch, Gmail proxy, scanner bursts,
// HEAD, fast people (timing alone never decides), re-checks, provider flags and imported data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAdEvent, classifyEvents, classifyMessage, type ClassifiableEvent } from './classify.js';
import { classifierConfig } from './config.js';
import { describeReason } from './reasons.js';
import { probabilityFromReasons } from './verdict-probability.js';

const T = Date.UTC(2026, 2, 1, 9, 0, 0);
const S = 1000;
const H = 3600 * S;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36';
const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const HOME = '73.12.44.9';
const MAIL_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const MAIL_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1';
/** Chrome 109 (January 2023): three years old at T. */
const OLD_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36';
const LINKS = ['https://shop.example.com/a', 'https://shop.example.com/b', 'https://shop.example.com/c', 'https://shop.example.com/d'];

let n = 0;
type Spec = Omit<ClassifiableEvent, 'id' | 'ts'> & { at: number; id?: string };
const ev = (p: Spec): ClassifiableEvent => {
  const { at, id, ...rest } = p;
  return { id: id ?? `e${++n}`, ts: T + at, method: 'GET', ...rest };
};
const delivered = (at = 0): ClassifiableEvent => ev({ type: 'delivered', at });
const open = (at: number, ip: string | null, ua: string | null, extra: Partial<ClassifiableEvent> = {}) =>
  ev({ type: 'open', at, ip, user_agent: ua, ...extra });
const click = (at: number, url: string, ip: string | null, ua: string | null, extra: Partial<ClassifiableEvent> = {}) =>
  ev({ type: 'click', at, url, ip, user_agent: ua, ...extra });

interface Case {
  name: string;
  events: ClassifiableEvent[];
  /** Expected verdict per open/click, in event order, with a reason prefix each must carry. */
  want: [machine: boolean, reason?: string][];
}

const cases: Case[] = [
  { name: 'Apple MPP prefetch → machine', events: [delivered(), open(11 * 60 * S, '17.58.101.9', 'Mozilla/5.0')], want: [[true, 'apple-mpp-proxy']] },
  { name: 'Apple MPP via Private Relay egress → machine', events: [delivered(), open(3 * H, '104.28.40.2', 'Mozilla/5.0')], want: [[true, 'apple-mpp-proxy']] },
  // Apple Mail's own agent (no Safari token): from Apple's addresses the proxy; elsewhere a person.
  {
    name: "Apple Mail's agent from Apple's addresses → machine",
    events: [delivered(), open(40 * 60 * S, '17.58.101.9', MAIL_MAC)],
    want: [[true, 'apple-mail-proxy:Apple']],
  },
  {
    name: "Apple Mail's iPhone agent via Private Relay egress → machine",
    events: [delivered(), open(2 * H, '104.28.40.2', MAIL_IOS)],
    want: [[true, 'apple-mail-proxy:Apple Private Relay']],
  },
  {
    name: 'Safari through Private Relay (Safari token) → human, the address alone',
    events: [delivered(), open(2 * H, '104.28.40.2', SAFARI_IOS)],
    want: [[false, 'apple-ip:Apple Private Relay']],
  },
  { name: "Apple Mail's agent from the reader's home (MPP off) → human", events: [delivered(), open(2 * H, HOME, MAIL_MAC)], want: [[false]] },
  {
    name: "the same agent from Exchange Online hours later (Outlook's image proxy, a person) → human",
    events: [delivered(), open(24 * 60 * S, '40.97.10.3', MAIL_MAC)],
    want: [[false, 'late-proxy-open:Microsoft']],
  },
  {
    name: 'Gmail image proxy open → human (isbot would say bot)',
    events: [delivered(), open(2 * H, '66.249.84.10', GMAIL)],
    want: [[false, 'human-image-proxy:Gmail']],
  },
  {
    name: 'Gmail proxy open right after delivery → still human',
    events: [delivered(), open(6 * S, '66.249.84.10', GMAIL)],
    want: [[false, 'human-image-proxy:Gmail']],
  },
  {
    name: 'scanner clicks all 4 links within 3 s of delivery, ordinary UA and unknown address → machine each',
    events: [delivered(), ...LINKS.map((u, i) => click(1000 + i * 600, u, '203.0.113.7', CHROME))],
    want: LINKS.map(() => [true, 'burst:4-links-in-2s'] as [boolean, string]),
  },
  {
    name: 'scanner from Microsoft EOP range, HEAD probe then GET → machine',
    events: [delivered(), click(4 * S, LINKS[0] as string, '40.107.3.4', CHROME, { method: 'HEAD' }), click(4.3 * S, LINKS[0] as string, '40.107.3.4', CHROME)],
    want: [
      [true, 'security-vendor-ip:Microsoft'],
      [true, 'security-vendor-ip:Microsoft'],
    ],
  },
  {
    name: 'HEAD click hours later from a home address → machine',
    events: [delivered(), click(3 * H, LINKS[0] as string, HOME, CHROME, { method: 'HEAD' })],
    want: [[true, 'head-request']],
  },
  {
    name: 'a person opens and clicks one link 40 s after delivery from home → human (timing alone never decides)',
    events: [delivered(), open(25 * S, HOME, OUTLOOK), click(40 * S, LINKS[0] as string, HOME, CHROME)],
    want: [
      [false, 'early:25s-after-delivery'],
      [false, 'early:40s-after-delivery'],
    ],
  },
  {
    name: 'a click 1.5 s after delivery with nothing else against it → human',
    events: [delivered(), click(1.5 * S, LINKS[0] as string, HOME, CHROME)],
    want: [[false, 'before-human-possible:1500ms-after-delivery']],
  },
  {
    name: "one click from a vendor range hours later, current browser → machine (link protection's time-of-click check)",
    events: [delivered(), click(7 * H, LINKS[1] as string, '148.163.140.2', CHROME)],
    want: [[true, 'security-vendor-ip:Proofpoint']],
  },
  {
    name: "Safe Links on a one-link message: Exchange Online a few minutes after delivery, Outlook's agent → machine",
    events: [delivered(), click(84 * S, LINKS[0] as string, '40.107.22.9', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)')],
    want: [[true, 'security-vendor-ip:Microsoft']],
  },
  {
    name: 'vendor range hours later with a scripted agent → machine (the range decides with a non-browser agent)',
    events: [delivered(), click(7 * H, LINKS[1] as string, '148.163.140.2', 'Java/1.8.0_292')],
    want: [[true, 'scripted-ua:java']],
  },
  {
    name: 'vendor range hours later with a browser years old → machine',
    events: [delivered(), click(7 * H, LINKS[1] as string, '148.163.140.2', OLD_CHROME)],
    want: [[true, 'old-browser:Chrome-109-superseded-36-months-earlier']],
  },
  {
    name: 'Outlook on the web: open from Exchange Online hours later with a browser agent → human',
    events: [delivered(), open(5 * H, '40.97.10.20', CHROME)],
    want: [[false, 'late-proxy-open:Microsoft']],
  },
  {
    name: 'the same address range while gateways scan → machine',
    events: [delivered(), open(8 * S, '40.97.10.20', CHROME)],
    want: [[true, 'security-vendor-ip:Microsoft']],
  },
  {
    name: 'unknown scanner: pixel then one link a second later, seconds after delivery, old browser → machine both',
    events: [delivered(), open(4 * S, '198.51.100.20', OLD_CHROME), click(4.6 * S, LINKS[0] as string, '198.51.100.20', OLD_CHROME)],
    want: [
      [true, 'old-browser:Chrome-109-superseded-36-months-earlier'],
      [true, 'open-then-click:600ms'],
    ],
  },
  {
    name: 'unknown scanner with a current browser: open-then-click right after delivery → machine',
    events: [delivered(), open(1 * S, '198.51.100.20', CHROME), click(1.5 * S, LINKS[0] as string, '198.51.100.20', CHROME)],
    want: [
      [true, 'same-machine'],
      [true, 'open-then-click:500ms'],
    ],
  },
  {
    name: 'a person in Outlook desktop opening and clicking hours later a second apart → human (needs another signal)',
    events: [delivered(), open(3 * H, HOME, OUTLOOK), click(3 * H + 800, LINKS[0] as string, HOME, CHROME)],
    want: [
      [false, undefined],
      [false, 'open-then-click:800ms'],
    ],
  },
  {
    name: 'old browser alone, hours later from home → human (Firefox ESR, old iPhones)',
    events: [delivered(), click(3 * H, LINKS[0] as string, HOME, OLD_CHROME)],
    want: [[false, 'old-browser:Chrome-109-superseded-36-months-earlier']],
  },
  {
    name: 'early click never seen again while the reader engages later from elsewhere → context added',
    events: [delivered(), click(20 * S, LINKS[0] as string, '198.51.100.7', CHROME), open(2 * H, HOME, OUTLOOK)],
    want: [
      [false, 'later-other-client'],
      [false, undefined],
    ],
  },
  {
    name: 'a fast reader seen again later from the same device → same-client-later',
    events: [delivered(), click(20 * S, LINKS[0] as string, HOME, CHROME), click(2 * H, LINKS[0] as string, HOME, CHROME)],
    want: [
      [false, 'same-client-later'],
      [false, undefined],
    ],
  },
  {
    name: 'honeypot link requested → machine by construction, even hours later from home',
    events: [delivered(), click(3 * H, 'https://t.example.com/clickrate-honeypot', HOME, CHROME)],
    want: [[true, 'honeypot']],
  },
  {
    name: 'one link, Azure address, seconds after delivery → machine (address + timing)',
    events: [delivered(), click(9 * S, LINKS[0] as string, '40.94.12.7', CHROME)],
    want: [[true, 'datacenter-ip:Microsoft']],
  },
  {
    name: 'one link, Azure address, hours later, nothing else → human (VPNs, cloud desktops)',
    events: [delivered(), click(5 * H, LINKS[0] as string, '40.94.12.7', CHROME)],
    want: [[false, 'datacenter-ip:Microsoft']],
  },
  {
    name: 're-check: same UA as the burst, fresh data-centre address, hours later → machine',
    events: [
      delivered(),
      ...LINKS.slice(0, 3).map((u, i) => click(5 * S + i * 500, u, '40.94.1.1', CHROME)),
      click(9 * H, LINKS[0] as string, '40.94.200.3', CHROME),
    ],
    want: [
      [true, 'burst:3-links-in-1s'],
      [true, 'burst:3-links-in-1s'],
      [true, 'burst:3-links-in-1s'],
      [true, 'datacenter-ip:Microsoft'],
    ],
  },
  {
    name: 'scanner pixel fetched with the burst from the same client → machine',
    events: [delivered(), open(8 * S, '203.0.113.9', CHROME), ...LINKS.map((u, i) => click(8 * S + i * 400, u, '203.0.113.9', CHROME))],
    want: [[true, 'same-machine'], ...LINKS.map(() => [true, 'burst:4-links-in-2s'] as [boolean, string])],
  },
  {
    name: 'two links 2 s apart hours later from home → human; right after delivery → machine',
    events: [delivered(), click(3 * H, LINKS[0] as string, HOME, CHROME), click(3 * H + 2 * S, LINKS[1] as string, HOME, CHROME)],
    want: [
      [false, 'late-burst:2-links-in-2s'],
      [false, 'late-burst:2-links-in-2s'],
    ],
  },
  {
    name: 'a person opening three links into tabs hours after delivery, from home → human (a late burst weighs as a pair)',
    events: [delivered(), ...LINKS.slice(0, 3).map((u, i) => click(6 * H + i * 900, u, HOME, CHROME))],
    want: LINKS.slice(0, 3).map(() => [false, 'late-burst:3-links-in-2s'] as [boolean, string]),
  },
  {
    name: "the same three links within a minute of delivery → machine (the gateways' pass)",
    events: [delivered(), ...LINKS.slice(0, 3).map((u, i) => click(40 * S + i * 900, u, HOME, CHROME))],
    want: LINKS.slice(0, 3).map(() => [true, 'burst:3-links-in-2s'] as [boolean, string]),
  },
  {
    name: 'three links hours later from a cloud range → machine (a re-check from a sandbox, not tabs)',
    events: [delivered(), ...LINKS.slice(0, 3).map((u, i) => click(6 * H + i * 900, u, '40.94.12.7', CHROME))],
    want: LINKS.slice(0, 3).map(() => [true, 'burst:3-links-in-2s'] as [boolean, string]),
  },
  {
    name: 'three links hours later from home with a scripted agent → machine',
    events: [delivered(), ...LINKS.slice(0, 3).map((u, i) => click(6 * H + i * 900, u, HOME, 'python-requests/2.31.0'))],
    want: LINKS.slice(0, 3).map(() => [true, 'burst:3-links-in-2s'] as [boolean, string]),
  },
  {
    name: 'two links within 2 s, 10 s after delivery → machine',
    events: [delivered(), click(10 * S, LINKS[0] as string, HOME, CHROME), click(12 * S, LINKS[1] as string, HOME, CHROME)],
    want: [
      [true, 'burst:2-links-in-2s'],
      [true, 'burst:2-links-in-2s'],
    ],
  },
  {
    name: 'scripted client → machine',
    events: [delivered(), click(2 * H, LINKS[0] as string, HOME, 'python-requests/2.31.0')],
    want: [[true, 'scripted-ua:python']],
  },
  { name: 'no User-Agent header → machine', events: [delivered(), click(2 * H, LINKS[0] as string, HOME, '')], want: [[true, 'empty-ua']] },
  {
    name: "provider's machine flag is a signal, not the verdict: Gmail's proxy still opened for a person",
    events: [delivered(), open(2 * H, '66.249.84.10', GMAIL, { machine_flag: true })],
    want: [[false, 'provider-flag']],
  },
  {
    name: "provider's machine flag (in the id) with a second signal → machine",
    events: [delivered(), { ...open(2 * H, '66.249.84.10', 'curl/8.0'), id: 'pf:sendgrid:open:ev1' }],
    want: [[true, 'provider-flag:sendgrid']],
  },
  {
    name: "provider's machine flag (in the id) alone → human, the reason kept",
    events: [delivered(), { ...open(2 * H, HOME, CHROME), id: 'pf:mailgun:open:ev2' }],
    want: [[false, 'provider-flag:mailgun']],
  },
  {
    name: 'imported data without ip or UA → human, no signals',
    events: [delivered(), open(2 * H, null, null), click(2 * H + 30 * S, LINKS[0] as string, null, null)],
    want: [[false], [false]],
  },
  {
    name: 'no delivery event: timing from the send',
    events: [ev({ type: 'sent', at: 0 }), click(0.5 * S, LINKS[0] as string, '209.222.82.9', 'curl/7.81.0')],
    want: [[true, 'before-human-possible:500ms-after-send']],
  },
  { name: 'no delivery nor send: no timing signals', events: [click(0.5 * S, LINKS[0] as string, HOME, CHROME)], want: [[false]] },
];

describe('classifyMessage', () => {
  for (const c of cases) {
    it(c.name, () => {
      const verdicts = classifyMessage(c.events);
      const judged = c.events.filter((e) => e.type === 'open' || e.type === 'click');
      assert.equal(verdicts.size, judged.length);
      judged.forEach((e, i) => {
        const v = verdicts.get(e.id);
        const [machine, reason] = c.want[i] as [boolean, string?];
        assert.ok(v, `no verdict for event ${i}`);
        assert.equal(v.machine, machine, `event ${i}: ${JSON.stringify(v)}`);
        if (reason) assert.ok(v.reasons.includes(reason), `event ${i}: no reason ${reason} in ${v.reasons.join(', ')}`);
        for (const r of v.reasons) assert.notEqual(describeReason(r), r, `reason ${r} has no text`);
      });
    });
  }

  it('timing alone never decides, whatever its weight', () => {
    const heavy = classifierConfig({ weights: { beforeHumanPossible: 5, earlyAfterDelivery: 5 } });
    const e = click(0.3 * S, LINKS[0] as string, HOME, CHROME);
    const v = classifyMessage([delivered(), e], heavy).get(e.id);
    assert.equal(v?.machine, false);
    assert.ok(v?.reasons.includes('timing-alone'));
  });

  it('a probability with every verdict: at least one half exactly when machine; the stored reasons give it back', () => {
    let last = -1;
    for (const c of cases) {
      const verdicts = [...classifyMessage(c.events).values()].sort((a, b) => a.score - b.score);
      for (const v of verdicts) {
        assert.equal(v.probability >= 0.5, v.machine, JSON.stringify(v));
        assert.ok(v.probability >= 0 && v.probability <= 1);
      }
      last = Math.max(last, ...verdicts.map((v) => v.probability));
    }
    assert.ok(last > 0.9);
    for (const c of cases)
      for (const v of classifyMessage(c.events).values()) assert.equal(probabilityFromReasons(v.reasons), v.probability, JSON.stringify(v));
    assert.equal(probabilityFromReasons(['no-such-reason']), null);
    const lone = classifyMessage([delivered(), click(3 * H, LINKS[0] as string, HOME, OLD_CHROME)]);
    assert.equal([...lone.values()][0]?.probability, 0.168); // σ(4·(0.6 − 1))
  });

  it('takes events in any order', () => {
    const events = [...LINKS.map((u, i) => click(1000 + i * 600, u, '203.0.113.7', CHROME)), delivered()].reverse();
    for (const v of classifyMessage(events).values()) assert.equal(v.machine, true);
  });
});

describe('classifyAdEvent and classifyEvents', () => {
  const ad = (ua: string, ip: string, method: 'GET' | 'HEAD' = 'GET') => ev({ type: 'click', at: 0, url: LINKS[0], ip, user_agent: ua, method });
  const table: [string, ClassifiableEvent, boolean][] = [
    [
      'person on a phone',
      ad('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36', '172.56.3.4'),
      false,
    ],
    ['AdsBot', ad('AdsBot-Google (+http://www.google.com/adsbot.html)', '66.249.66.1'), true],
    ['curl from a VPS', ad('curl/8.4.0', '164.92.1.2'), true],
    ['browser UA from a data centre only', ad(CHROME, '54.160.3.3'), false],
    ['HEAD', ad(CHROME, HOME, 'HEAD'), true],
  ];
  for (const [name, e, machine] of table) it(`${name} → ${machine ? 'machine' : 'human'}`, () => assert.equal(classifyAdEvent(e).machine, machine));

  it('classifyEvents groups email events by message and judges ad clicks alone', () => {
    const a = { ...delivered(), message: 'm1' };
    const b = { ...click(3 * H, LINKS[0] as string, HOME, CHROME), message: 'm1' };
    const c = { ...click(4 * S, LINKS[1] as string, HOME, CHROME), message: 'm2' };
    const d = { ...ad('curl/8.4.0', HOME), campaign: 'ads' };
    const out = classifyEvents([a, b, c, d]);
    assert.deepEqual([...out.keys()].sort(), [b.id, c.id, d.id].sort());
    assert.equal(out.get(d.id)?.machine, true);
    // m2 has no delivery: no timing reason at all.
    assert.ok(!out.get(c.id)?.reasons.some((r) => r.startsWith('early')));
  });
});
