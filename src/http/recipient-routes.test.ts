// The privacy and backup routes over real HTTP on loopback, with a real DuckDB file: a recipient's
// events export as JSON Lines, DELETE erases it and keeps the report, a backup is a DuckDB file holding
// the store, and every malformed request gets a clear error.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingest } from '../../test/support/ingest-raw.js';
import { at, sends } from '../../test/support/conformance-cases.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { useApiServer } from '../../test/support/api-server.js';

const api = useApiServer('recipients', (store) =>
  ingest(store, [
    ...sends(3, 'rc'),
    { type: 'open', ts: at(30), message: 'm0', ip: '198.51.100.4', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    {
      type: 'click',
      ts: at(31),
      message: 'm0',
      url: 'https://shop.example.com/a',
      ip: '198.51.100.4',
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
    },
    { type: 'click', ts: at(40), message: 'm1', url: 'https://shop.example.com/a', ip: '203.0.113.9', user_agent: 'curl/8.5.0' },
  ]).then(() => undefined),
);

const call = (method: string, path: string, withKey = true) =>
  fetch(`${api.base}${path}`, { method, headers: withKey ? { authorization: `Bearer ${api.key}` } : {} });

test('export, erase, export again: exactly the recipient events, then nothing; the report stays', async () => {
  const report = async () => (await call('GET', '/api/v1/campaigns/rc/report?by=link')).json();
  const before = await report();
  const res = await call('GET', `/api/v1/recipients/${encodeURIComponent('rm0@example.com')}/events.jsonl`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/x-ndjson/);
  const lines = (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; message: string; ip: string | null; verdict: string | null });
  assert.deepEqual(
    lines.map((e) => [e.type, e.message, e.ip, e.verdict]),
    [
      ['sent', 'm0', null, null],
      ['open', 'm0', '198.51.100.4', 'human'],
      ['click', 'm0', '198.51.100.4', 'human'],
    ],
  );

  const erased = await call('DELETE', `/api/v1/recipients/${encodeURIComponent('rm0@example.com')}`);
  assert.equal(erased.status, 200);
  const body = (await erased.json()) as { messages: number; erased: Array<{ table: string; rows: number }> };
  assert.equal(body.messages, 1);
  assert.deepEqual(
    body.erased.map((e) => e.rows),
    [1, 2, 0, 0],
  );
  assert.equal(await (await call('GET', '/api/v1/recipients/rm0%40example.com/events.jsonl')).text(), '');
  assert.deepEqual(await report(), before);
});

test('a backup is a DuckDB file holding the store', async () => {
  const res = await call('POST', '/api/v1/backup');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-clickrate-events'), '6');
  const file = join(api.dir, 'copy.duckdb');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()), { mode: 0o600 });
  const copy = await openDuckDbStore(file, { readOnly: true });
  try {
    assert.deepEqual(await copy.query({ sql: 'SELECT count(*) AS n FROM events', params: {} }), [{ n: 6 }]);
  } finally {
    await copy.close();
  }
});

const refusals: Array<{ name: string; method: string; path: string; withKey?: boolean; status: number; code: string }> = [
  { name: 'no API key', method: 'GET', path: '/api/v1/recipients/x/events.jsonl', withKey: false, status: 401, code: 'CR_ERR_UNAUTHORIZED' },
  { name: 'erasure without an API key', method: 'DELETE', path: '/api/v1/recipients/x', withKey: false, status: 401, code: 'CR_ERR_UNAUTHORIZED' },
  { name: 'a broken percent-encoding', method: 'DELETE', path: '/api/v1/recipients/%E0%A4%A', status: 400, code: 'CR_ERR_BAD_INPUT' },
  { name: 'an id longer than 1024 characters', method: 'DELETE', path: `/api/v1/recipients/${'a'.repeat(1025)}`, status: 400, code: 'CR_ERR_BAD_INPUT' },
  { name: 'POST on a recipient', method: 'POST', path: '/api/v1/recipients/x', status: 405, code: 'CR_ERR_BAD_INPUT' },
  { name: 'DELETE on the export', method: 'DELETE', path: '/api/v1/recipients/x/events.jsonl', status: 405, code: 'CR_ERR_BAD_INPUT' },
  { name: 'GET on the backup', method: 'GET', path: '/api/v1/backup', status: 405, code: 'CR_ERR_BAD_INPUT' },
];

for (const r of refusals) {
  test(`refused: ${r.name} → ${r.status} ${r.code}`, async () => {
    const res = await call(r.method, r.path, r.withKey ?? true);
    assert.equal(res.status, r.status);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, r.code);
  });
}
