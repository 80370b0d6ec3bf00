// The honeypot's destination, address blocks, the memory of hits (block and agent within the window),
// and what it does to verdicts on other messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyMessage, type ClassifiableEvent } from './classify.js';
import { HONEYPOT_PATH, HoneypotMemory, addressBlock, isHoneypotUrl } from './honeypot.js';

const T = Date.UTC(2026, 5, 1, 9);
const H = 3_600_000;
const DAY = 24 * H;
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36';

describe('honeypot', () => {
  it('names its destination on any tracking origin, and nothing else', () => {
    assert.equal(isHoneypotUrl(`https://t.example.com${HONEYPOT_PATH}`), true);
    assert.equal(isHoneypotUrl(`http://127.0.0.1:8080${HONEYPOT_PATH}`), true);
    for (const u of [`https://shop.example.com/?next=${HONEYPOT_PATH}`, `https://t.example.com${HONEYPOT_PATH}/x`, 'not a url', null, undefined]) {
      assert.equal(isHoneypotUrl(u), false, String(u));
    }
  });

  it('address blocks: /24 for IPv4, /48 for IPv6 (also IPv4-mapped)', () => {
    assert.equal(addressBlock('203.0.113.77'), '203.0.113.0/24');
    assert.equal(addressBlock('::ffff:198.51.100.9'), '198.51.100.0/24');
    assert.equal(addressBlock('2a01:111:f400:1:2::3'), '2a01:111:f400::/48');
    assert.equal(addressBlock('nonsense'), null);
  });

  it('remembers a hit by block and exact agent, within the window either side', () => {
    const m = new HoneypotMemory([{ ip: '203.0.113.77', user_agent: UA, ts: T }], 30 * DAY);
    assert.equal(m.match('203.0.113.5', UA, T + 29 * DAY), '203.0.113.0/24');
    assert.equal(m.match('203.0.113.5', UA, T - 2 * DAY), '203.0.113.0/24');
    assert.equal(m.match('203.0.113.5', UA, T + 31 * DAY), null);
    assert.equal(m.match('203.0.114.5', UA, T), null);
    assert.equal(m.match('203.0.113.5', `${UA} Edg/148.0.0.0`, T), null);
    assert.equal(new HoneypotMemory([{ ip: null, user_agent: UA, ts: T }], DAY).size, 0);
  });

  it('a learned block and agent make another message’s lone late click machine, with its own reason', () => {
    const events: ClassifiableEvent[] = [
      { id: 'd', type: 'delivered', ts: T },
      { id: 'c', type: 'click', ts: T + 5 * H, url: 'https://shop.example.com/a', ip: '203.0.113.9', user_agent: UA, method: 'GET' },
    ];
    assert.equal(classifyMessage(events).get('c')?.machine, false);
    const honeypots = new HoneypotMemory([{ ip: '203.0.113.200', user_agent: UA, ts: T - DAY }], 30 * 86_400_000);
    const v = classifyMessage(events, undefined, undefined, { honeypots }).get('c');
    assert.equal(v?.machine, true);
    assert.ok(v?.reasons.includes('honeypot-learned:203.0.113.0/24'), v?.reasons.join());
  });
});
