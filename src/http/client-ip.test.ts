// X-Forwarded-For is believed only from trusted proxies, read from the right (table-driven).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { clientIp, parseTrustedProxies } from './client-ip.js';

const req = (peer: string, xff?: string) =>
  ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

const cases: Array<[string, string, string | undefined, string, string]> = [
  ['no proxies configured: the peer, whatever the header says', '', '1.2.3.4', '198.51.100.7', '198.51.100.7'],
  ['trusted proxy: the hop it appended', '10.0.0.0/8', '203.0.113.5', '10.1.2.3', '203.0.113.5'],
  ['client-written left entry is not believed', '10.0.0.0/8', '6.6.6.6, 203.0.113.5', '10.1.2.3', '203.0.113.5'],
  ['chain of trusted proxies is skipped', '10.0.0.0/8', '203.0.113.5, 10.9.9.9', '10.1.2.3', '203.0.113.5'],
  ['untrusted peer with a header: the peer', '10.0.0.0/8', '203.0.113.5', '198.51.100.7', '198.51.100.7'],
  ['IPv4-mapped IPv6 peer', '127.0.0.1', '2001:db8::1', '::ffff:127.0.0.1', '2001:db8::1'],
  ['garbage hop: the peer', '127.0.0.1', 'not-an-ip', '127.0.0.1', '127.0.0.1'],
];

for (const [name, proxies, xff, peer, expected] of cases) {
  test(`client ip: ${name}`, () => assert.equal(clientIp(req(peer, xff), parseTrustedProxies(proxies)), expected));
}

test("no trusted proxies (unset, empty or only commas) is null: nobody's X-Forwarded-For is believed", () => {
  for (const spec of [undefined, '', ' , ,']) assert.equal(parseTrustedProxies(spec), null, JSON.stringify(spec));
  assert.equal(clientIp(req('127.0.0.1', '203.0.113.5'), null), '127.0.0.1');
});

test('a bad trusted-proxy entry is a configuration error naming it', () => {
  assert.throws(() => parseTrustedProxies('10.0.0.0/8, nope'), { code: 'CR_ERR_CONFIG', message: /'nope'/ });
  assert.throws(() => parseTrustedProxies('10.0.0.0/40'), { code: 'CR_ERR_CONFIG' });
});
