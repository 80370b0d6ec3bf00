// Dashboard session cookies: only an untampered, unexpired cookie signed by this keyring is a session,
// and only a same-origin browser request may change state under it.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { createKeyring, generateKey } from '../tracking/keyring.js';
import { isSameOrigin, SessionCookies, SESSION_TTL_MS } from './session.js';

const hash = 'a'.repeat(64);
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;

test('a session cookie is HttpOnly, SameSite=Strict, and read back only untampered and unexpired', () => {
  const ring = createKeyring('k1', { k1: generateKey() });
  const s = new SessionCookies(ring, false);
  const set = s.issue(hash, 1000);
  assert.match(set, /; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  const c = cookieOf(set);
  const read = s.read(req({ cookie: `other=1; ${c}` }), 2000);
  assert.deepEqual(read, { keyHash: hash, expires: 1000 + SESSION_TTL_MS, id: read?.id });
  assert.match(read?.id ?? '', /^[A-Za-z0-9_-]{22}$/, '128 random bits');
  assert.notEqual(s.read(req({ cookie: cookieOf(s.issue(hash, 1000)) }), 2000)?.id, read?.id, 'each login its own id');
  assert.equal(s.read(req({ cookie: c }), 1000 + SESSION_TTL_MS), null, 'expired');
  assert.equal(s.read(req({ cookie: c.replace('.', 'b.') }), 2000), null, 'tampered hash');
  assert.equal(s.read(req({ cookie: c.replace(/\.(\d+)\./, '.9$1.') }), 2000), null, 'extended expiry');
  // Another id under the same signature would let one logout miss a copy of the session.
  assert.equal(
    s.read(req({ cookie: c.replace(/\.([A-Za-z0-9_-]{22})\./, (_m, id: string) => `.${id.startsWith('A') ? 'B' : 'A'}${id.slice(1)}.`) }), 2000),
    null,
    'tampered id',
  );
  const v1 = c.replace(/\.[A-Za-z0-9_-]{22}\./, '.');
  assert.equal(s.read(req({ cookie: v1 }), 2000), null, 'a cookie without an id (the old format) is no session');
  const other = new SessionCookies(createKeyring('k1', { k1: generateKey() }), true);
  assert.equal(other.read(req({ cookie: c }), 2000), null, 'signed by another keyring');
  assert.match(other.issue(hash), /; Secure$/);
});

test('same-origin check', () => {
  const cases: Array<[Record<string, string>, boolean]> = [
    [{ host: 'dash.example.com', origin: 'https://dash.example.com' }, true],
    [{ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' }, true],
    [{ host: 'dash.example.com', origin: 'https://evil.example.net' }, false],
    [{ host: 'dash.example.com', origin: 'null' }, false],
    [{ host: 'dash.example.com', 'sec-fetch-site': 'same-origin' }, true],
    [{ host: 'dash.example.com', 'sec-fetch-site': 'cross-site' }, false],
    [{ host: 'dash.example.com' }, false],
  ];
  for (const [h, want] of cases) assert.equal(isSameOrigin(req(h)), want, JSON.stringify(h));
});
