// Wrong API keys are throttled per client address over real HTTP on loopback, at /login and as Bearer
// keys alike: after 5 in 15 minutes, 429 with Retry-After, even for the right key; other addresses are
// untouched; IPv6 counts per /64; a success starts again; each refusal is logged at warn with the
// address. The client address comes from X-Forwarded-For, as --trust-proxy 127.0.0.1 allows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { createApiKey } from './api-keys.js';
import { ClickrateServer } from '../server/server.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-throttle-'));
let store: Store;
let server: ClickrateServer;
let base = '';
let key = '';
const logged: Array<{ level: number; msg: string; client?: string; reason?: string }> = [];

before(async () => {
  store = await openDuckDbStore(join(dir, 'throttle.duckdb'));
  key = (await createApiKey(store, 'test')).key;
  const sink = new Writable({
    write: (line: Buffer, _enc, done) => {
      logged.push(JSON.parse(line.toString()));
      done();
    },
  });
  server = new ClickrateServer({
    store,
    keyring: createKeyring('k1', { k1: generateKey() }),
    baseUrl: 'http://t.example.com',
    spoolDir: join(dir, 'spool'),
    trustedProxies: '127.0.0.1',
    logger: pino(sink),
  });
  base = `http://127.0.0.1:${await server.listen(0)}`;
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A sign-in with `k` from `client`; resolves to the status. */
async function login(client: string, k: string): Promise<Response> {
  return fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
    body: new URLSearchParams({ key: k, next: '/' }).toString(),
  });
}

/** An API read with Bearer `k` from `client`. */
async function bearer(client: string, k: string): Promise<Response> {
  return fetch(`${base}/api/v1/campaigns`, { headers: { authorization: `Bearer ${k}`, 'x-forwarded-for': client } });
}

const WRONG = 'cr_wrongwrongwrongwrongwrongwrongw';
type Try = (client: string, k: string) => Promise<Response>;

test('after 5 wrong keys from one address, that address gets 429 with Retry-After, even with the right key', async () => {
  // [what, the five wrong tries, the try after them, the status a right key gets when not held off]
  const cases: Array<[string, Try[], Try, number]> = [
    ['sign-ins', [login, login, login, login, login], login, 303],
    ['Bearer keys', [bearer, bearer, bearer, bearer, bearer], bearer, 200],
    ['both, counted together', [login, bearer, login, bearer, login], bearer, 200],
  ];
  for (const [i, [what, wrong, next, okStatus]] of cases.entries()) {
    const client = `203.0.113.${10 + i}`;
    for (const t of wrong) assert.equal((await t(client, WRONG)).status, 401, what);
    const held = await next(client, key);
    assert.equal(held.status, 429, what);
    const retry = Number(held.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 900, `${what}: Retry-After ${retry}`);
    assert.equal((await next(`203.0.113.${100 + i}`, key)).status, okStatus, `${what}: another address is not held off`);
  }
  const body = (await (await bearer('203.0.113.11', key)).json()) as { error: { code: string; details: { retry_after_s: number } } };
  assert.equal(body.error.code, 'CR_ERR_RATE_LIMITED');
});

test('IPv6 addresses count per /64', async () => {
  for (let i = 1; i <= 5; i++) assert.equal((await login(`2001:db8:1:2::${i}`, WRONG)).status, 401);
  assert.equal((await login('2001:db8:1:2:ffff::9', key)).status, 429, 'another address of the same /64');
  assert.equal((await login('2001:db8:1:3::1', key)).status, 303, 'the next /64');
});

test('a right key starts the count again', async () => {
  const client = '198.51.100.20';
  for (let i = 0; i < 4; i++) assert.equal((await login(client, WRONG)).status, 401);
  assert.equal((await login(client, key)).status, 303);
  for (let i = 0; i < 4; i++) assert.equal((await bearer(client, WRONG)).status, 401, `wrong key ${i + 1} since the success`);
  assert.equal((await bearer(client, key)).status, 200);
});

test('each refusal is logged at warn with the client address and the reason', async () => {
  logged.length = 0;
  await login('198.51.100.30', WRONG);
  await login('198.51.100.30', '');
  await bearer('198.51.100.31', WRONG);
  const WARN = 40;
  // The info-level request lines (request-log.ts) are beside these; the refusals are the warn lines.
  const lines = logged.filter(({ level }) => level >= WARN).map(({ level, msg, client, reason }) => ({ level, msg, client, reason }));
  assert.deepEqual(lines, [
    { level: WARN, msg: 'dashboard login refused', client: '198.51.100.30', reason: 'the API key is unknown or revoked' },
    { level: WARN, msg: 'dashboard login refused', client: '198.51.100.30', reason: 'no key given' },
    { level: WARN, msg: 'API key refused', client: '198.51.100.31', reason: 'the API key is unknown or revoked' },
  ]);
});
