// The shared-client signal: one block and agent clicking several recipients' messages, each soon after
// its own delivery. Fires for a gateway's pool; stays silent for colleagues behind one NAT reading later,
// for one recipient's own messages, for too few recipients, other agents or a span too long; and keeps
// its memory bounded when one client hammers 100k messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyEvents, type ClassifiableEvent } from './classify.js';
import { DEFAULT_CLASSIFIER_CONFIG } from './config.js';
import { describeReason } from './reasons.js';
import { MAX_KEYS, SharedClientMemory, type PoolClick } from './shared-clients.js';
import { probabilityFromReasons } from './verdict-probability.js';

const T = Date.parse('2026-06-01T09:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;
const OLD = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36 Edg/148.0.0.0';

type Ev = ClassifiableEvent & { message?: string; recipient?: string };

/** A message to `who`, delivered at `at`, clicked `after` ms later from `ip` with `ua`. */
function msg(id: string, who: string, at: number, after: number, ip: string, ua: string): Ev[] {
  return [
    { id: `${id}-s`, type: 'sent', ts: at - 2000, message: id, recipient: who },
    { id: `${id}-d`, type: 'delivered', ts: at, message: id },
    { id: `${id}-c`, type: 'click', ts: at + after, message: id, url: 'https://shop.example.com/', ip, user_agent: ua },
  ];
}

interface Case {
  name: string;
  events: Ev[];
  /** Clicks that must carry shared-client (with the recipient count), and those that must not. */
  shared: Record<string, number>;
  not: string[];
  /** Machine verdicts expected among the clicks. */
  machine?: string[];
}

const CASES: Case[] = [
  {
    name: "a gateway's pool: four recipients' messages, each 90 s after delivery, one /24, one agent",
    events: [
      ...msg('a', 'ann@acme.example', T, 90_000, '198.51.100.7', OLD),
      ...msg('b', 'bob@acme.example', T + 20 * MIN, 90_000, '198.51.100.8', OLD),
      ...msg('c', 'cy@acme.example', T + 3 * H, 120_000, '198.51.100.7', OLD),
      ...msg('d', 'di@acme.example', T + 9 * H, 80_000, '198.51.100.9', OLD),
    ],
    shared: { 'a-c': 4, 'b-c': 4, 'c-c': 4, 'd-c': 4 },
    not: [],
    // shared-client 0.6 + old-browser 0.6: machine; nothing else pointed that way before.
    machine: ['a-c', 'b-c', 'c-c', 'd-c'],
  },
  {
    // One of them read at once: the others' later clicks must not make that a pool.
    name: 'colleagues behind one NAT with one managed browser, clicking hours after delivery (one at once)',
    events: [
      ...msg('a', 'ann@acme.example', T, 3 * H, '192.0.2.10', EDGE),
      ...msg('b', 'bob@acme.example', T + MIN, 2 * H, '192.0.2.10', EDGE),
      ...msg('c', 'cy@acme.example', T + 2 * MIN, 40 * MIN, '192.0.2.10', EDGE),
      ...msg('d', 'di@acme.example', T + 2 * H, 2 * MIN, '192.0.2.10', EDGE),
    ],
    shared: {},
    not: ['a-c', 'b-c', 'c-c', 'd-c'],
    machine: [],
  },
  {
    // Counted as timing: with `early` alone it does not decide, as timing never does.
    name: 'colleagues behind one NAT with a current browser, three reading within a minute: shown, but human',
    events: [
      ...msg('a', 'ann@acme.example', T, 30_000, '192.0.2.10', EDGE),
      ...msg('b', 'bob@acme.example', T + H, 40_000, '192.0.2.10', EDGE),
      ...msg('c', 'cy@acme.example', T + 2 * H, 50_000, '192.0.2.10', EDGE),
    ],
    shared: { 'a-c': 3, 'b-c': 3, 'c-c': 3 },
    not: [],
    machine: [],
  },
  {
    name: "one recipient's own five messages, each clicked within a minute of delivery",
    events: [0, 1, 2, 3, 4].flatMap((i) => msg(`s${i}`, 'ann@acme.example', T + i * H, 50_000, '192.0.2.10', EDGE)),
    shared: {},
    not: ['s0-c', 's1-c', 's2-c', 's3-c', 's4-c'],
  },
  {
    name: 'two recipients only',
    events: [...msg('a', 'ann@acme.example', T, 90_000, '198.51.100.7', OLD), ...msg('b', 'bob@acme.example', T + MIN, 90_000, '198.51.100.8', OLD)],
    shared: {},
    not: ['a-c', 'b-c'],
  },
  {
    name: 'one block, but a different agent on each recipient',
    events: [
      ...msg('a', 'ann@acme.example', T, 90_000, '198.51.100.7', OLD),
      ...msg('b', 'bob@acme.example', T + MIN, 90_000, '198.51.100.8', EDGE),
      ...msg('c', 'cy@acme.example', T + 2 * MIN, 90_000, '198.51.100.9', OLD.replace('109', '110')),
    ],
    shared: {},
    not: ['a-c', 'b-c', 'c-c'],
  },
  {
    name: 'three recipients clicked fast, but days apart (longer than the span)',
    events: [
      ...msg('a', 'ann@acme.example', T, 90_000, '198.51.100.7', OLD),
      ...msg('b', 'bob@acme.example', T + 2 * 24 * H, 90_000, '198.51.100.7', OLD),
      ...msg('c', 'cy@acme.example', T + 4 * 24 * H, 90_000, '198.51.100.7', OLD),
    ],
    shared: {},
    not: ['a-c', 'b-c', 'c-c'],
  },
  {
    name: "a pool, and a click from the same client while it scans, an hour after its own message's delivery: not that one",
    events: [
      ...msg('a', 'ann@acme.example', T, 30_000, '198.51.100.7', OLD),
      ...msg('b', 'bob@acme.example', T + MIN, 30_000, '198.51.100.7', OLD),
      ...msg('c', 'cy@acme.example', T + 2 * MIN, 30_000, '198.51.100.7', OLD),
      ...msg('e', 'ed@acme.example', T - H, H + 90_000, '198.51.100.7', OLD),
    ],
    shared: { 'a-c': 3, 'b-c': 3, 'c-c': 3 },
    not: ['e-c'],
  },
];

describe('shared client', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const verdicts = classifyEvents(c.events);
      for (const [id, n] of Object.entries(c.shared)) {
        const v = verdicts.get(id);
        assert.ok(v, id);
        assert.ok(v.reasons.includes(`shared-client:${n}-recipients`), `${id}: ${v.reasons.join()}`);
        assert.equal(probabilityFromReasons(v.reasons), v.probability);
      }
      for (const id of c.not) {
        const v = verdicts.get(id);
        assert.ok(v, id);
        assert.ok(!v.reasons.some((r) => r.startsWith('shared-client')), `${id}: ${v.reasons.join()}`);
      }
      if (c.machine) {
        const machine = [...verdicts].filter(([, v]) => v.machine).map(([id]) => id);
        assert.deepEqual(machine.sort(), [...c.machine].sort());
      }
    });
  }

  test('the reason reads in plain words', () => {
    assert.match(describeReason('shared-client:4-recipients'), /clicked 4 recipients' messages/);
  });

  test('one client hammering 100k messages: one span, and the memory keeps no more', () => {
    const clicks: PoolClick[] = [];
    for (let i = 0; i < 100_000; i++) {
      clicks.push({
        recipient: `r${i}@acme.example`,
        message: `m${i}`,
        ip: `198.51.100.${i % 250}`,
        user_agent: OLD,
        ts: T + i * 10,
        anchor: T + i * 10 - 5000,
      });
    }
    const memory = new SharedClientMemory(clicks, DEFAULT_CLASSIFIER_CONFIG);
    assert.equal(memory.size, 1);
    assert.equal(memory.spans, 1);
    assert.deepEqual(memory.match('198.51.100.3', OLD, T + 500_000, 5000), { block: '198.51.100.0/24', recipients: 100_000 });
    // Later than the window after its own delivery: a person's pace, whatever the client did elsewhere.
    assert.equal(memory.match('198.51.100.3', OLD, T + 500_000, 6 * MIN), null);
  });

  test('many distinct clients each reaching a pool: at most MAX_KEYS kept', () => {
    const clicks: PoolClick[] = [];
    for (let k = 0; k <= MAX_KEYS; k++) {
      for (let r = 0; r < 3; r++)
        clicks.push({ recipient: `r${r}`, message: `m${k}.${r}`, ip: '198.51.100.1', user_agent: `scanner/${k}`, ts: T + r, anchor: T });
    }
    const memory = new SharedClientMemory(clicks, DEFAULT_CLASSIFIER_CONFIG);
    assert.equal(memory.size, MAX_KEYS);
  });
});
