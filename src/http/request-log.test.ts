// Addresses in logs are cut to their network (/24, /48); request ids from clients are echoed only when sane.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { requestId, truncateIp } from './request-log.js';

const cuts: Array<[string | null, string | null]> = [
  ['203.0.113.9', '203.0.113.0/24'],
  ['::ffff:198.51.100.77', '198.51.100.0/24'],
  ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
  ['2001:0db8:0000:0012::1', '2001:db8:0::/48'],
  ['::1', '0:0:0::/48'],
  ['fe80::', 'fe80:0:0::/48'],
  ['unknown', null],
  [null, null],
];
for (const [addr, cut] of cuts) test(`truncateIp(${addr}) = ${cut}`, () => assert.equal(truncateIp(addr), cut));

const ids: Array<[string | string[] | undefined, boolean]> = [
  ['abc-123', true],
  ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', true],
  ['x'.repeat(128), true],
  ['x'.repeat(129), false],
  ['has space', false],
  ['<script>', false],
  ['', false],
  [['a', 'b'], false],
  [undefined, false],
];
for (const [given, kept] of ids)
  test(`X-Request-Id ${JSON.stringify(given)?.slice(0, 40)} is ${kept ? 'kept' : 'replaced'}`, () => {
    const id = requestId({ headers: { 'x-request-id': given } } as unknown as IncomingMessage);
    if (kept) assert.equal(id, given);
    else assert.match(id, /^[0-9a-f-]{36}$/);
  });
