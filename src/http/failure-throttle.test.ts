// The throttle of failed keys: held off after 5 failures in 15 minutes until the oldest leaves the
// window, a success starts again, IPv6 counts per /64, and memory stays bounded (on a test clock).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureThrottle, throttleKey } from './failure-throttle.js';

const MIN = 60_000;

function clocked(opts: { capacity?: number } = {}): { t: FailureThrottle; at: (ms: number) => void } {
  let now = 0;
  return { t: new FailureThrottle({ ...opts, now: () => now }), at: (ms) => (now = ms) };
}

test('held off after 5 failures within 15 minutes, until the oldest of them leaves the window', () => {
  const { t, at } = clocked();
  // [time of the step, failures added then, retryAfter (s) expected after them]
  const steps: Array<[number, number, number]> = [
    [0, 4, 0], // 4 failures: not yet
    [10 * MIN, 1, 5 * 60], // the 5th: held off until the first leaves the window, at 15 min
    [14 * MIN, 0, 60],
    [15 * MIN, 0, 0], // the four from 0 min left the window
    [15 * MIN, 1, 0], // 2 failures in the window now (10 and 15 min)
    [16 * MIN, 3, 9 * 60], // 5 again: until the one at 10 min leaves, at 25 min
  ];
  for (const [when, fails, want] of steps) {
    at(when);
    for (let i = 0; i < fails; i++) t.fail('203.0.113.7');
    assert.equal(t.retryAfter('203.0.113.7'), want, `at ${when / MIN} min after ${fails} more`);
  }
  assert.equal(t.retryAfter('203.0.113.8'), 0, 'another client is not held off');
});

test('failures older than the window are forgotten, and a success starts the count again', () => {
  const { t, at } = clocked();
  for (let i = 0; i < 4; i++) t.fail('a');
  at(16 * MIN);
  t.fail('a');
  assert.equal(t.retryAfter('a'), 0, 'the four old ones are outside the window');
  for (let i = 0; i < 3; i++) t.fail('a');
  t.succeed('a');
  for (let i = 0; i < 4; i++) t.fail('a');
  assert.equal(t.retryAfter('a'), 0, '4 since the success');
});

test('memory is bounded: past the capacity the client whose last failure is oldest is forgotten', () => {
  const { t, at } = clocked({ capacity: 3 });
  for (const [i, client] of ['a', 'b', 'c'].entries()) {
    at(i);
    for (let k = 0; k < 5; k++) t.fail(client);
  }
  at(10);
  t.fail('a'); // a failed last now: b is the oldest
  t.fail('d');
  assert.equal(t.size, 3);
  assert.equal(t.retryAfter('b'), 0, 'b was forgotten');
  assert.ok(t.retryAfter('a') > 0 && t.retryAfter('c') > 0, 'a and c are still held off');
});

test('throttleKey: IPv4 as it is, IPv6 by its /64', () => {
  const cases: Array<[string | null, string]> = [
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:0db8:0001:0002::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002::/64'],
    ['2001:db8:1:3::1', '2001:0db8:0001:0003::/64'],
    ['::ffff:203.0.113.7', '::ffff:203.0.113.7'],
    [null, 'unknown'],
  ];
  for (const [ip, want] of cases) assert.equal(throttleKey(ip), want, String(ip));
});
