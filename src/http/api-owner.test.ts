// The API under the rule that a message belongs to the campaign of its first sent (store/message-owner.ts),
// over real HTTP with a real DuckDB file and spool: POST /api/v1/events names each refused sent among its
// rejected events and stores the rest; POST /api/v1/wrap answers 409 for another campaign's message id
// before anything is spooled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useApiServer } from '../../test/support/api-server.js';

const api = useApiServer('owner-api');

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${api.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${api.key}`, 'content-type': type }, body });
const sent = (message: string, campaign: string, extra: object = {}) => ({
  type: 'sent',
  ts: '2026-03-01T09:00:00Z',
  message,
  campaign,
  recipient: `${message}@x.com`,
  ...extra,
});
const appended = () => (api.server.status() as { spool: { recordsAppended: number } }).spool.recordsAppended;

interface EventsAnswer {
  received: number;
  accepted: number;
  inserted: number;
  duplicates: number;
  rejected: Array<{ index: number; line?: number; reason: string }>;
}

test("POST /api/v1/events: a sent naming another campaign's message is rejected by index and line; the others are stored", async () => {
  const first = await post('/api/v1/events', JSON.stringify([sent('spring:m1', 'spring', { id: 'e1' })]));
  assert.equal(first.status, 200);
  const lines = [
    JSON.stringify(sent('spring:m1', 'other', { id: 'e2' })),
    JSON.stringify({ id: 'e3', type: 'click', ts: '2026-03-01T09:05:00Z', message: 'spring:m1', url: 'https://a.example.com/' }),
    '{broken',
    // No id: the store names it by digest, and the answer still finds its line.
    JSON.stringify(sent('spring:m1', 'third')),
    JSON.stringify(sent('other:m1', 'other', { id: 'e5' })),
  ];
  const res = await post('/api/v1/events', lines.join('\n'), 'application/x-ndjson');
  assert.equal(res.status, 200);
  const body = (await res.json()) as EventsAnswer;
  assert.deepEqual(
    body.rejected.map((r) => [r.index, r.line]),
    [
      [0, 1],
      [2, 3],
      [3, 4],
    ],
  );
  assert.match(body.rejected[0]!.reason, /message 'spring:m1' belongs to campaign 'spring', so a sent naming campaign 'other' is refused/);
  assert.match(body.rejected[2]!.reason, /campaign 'third' is refused/);
  assert.deepEqual([body.received, body.accepted, body.inserted, body.duplicates], [5, 2, 2, 0]);
  const rows = await api.store.query({ sql: "SELECT id FROM events WHERE type = 'sent' ORDER BY id", params: {} });
  assert.deepEqual(
    rows.map((r) => r.id),
    ['e1', 'e5'],
  );

  // A JSON array names the index alone; a batch whose only event is refused takes nothing.
  const alone = await post('/api/v1/events', JSON.stringify([sent('spring:m1', 'other', { id: 'e6' })]));
  assert.equal(alone.status, 400);
  assert.deepEqual(
    ((await alone.json()) as EventsAnswer).rejected.map((r) => [r.index, r.line]),
    [[0, undefined]],
  );
});

test("POST /api/v1/wrap: another campaign's message id is a 409 and nothing is spooled; its own campaign wraps", async () => {
  await post('/api/v1/events', JSON.stringify([sent('news:m7', 'news', { id: 'n7' })]));
  const wrap = (message: string, campaign: string) =>
    post('/api/v1/wrap', JSON.stringify({ html: '<a href="https://a.example.com/">a</a>', campaign, recipient: 'r@x.com', message }));
  const before = appended();
  const refused = await wrap('news:m7', 'promo');
  assert.equal(refused.status, 409);
  const { error } = (await refused.json()) as { error: { code: string; message: string } };
  assert.equal(error.code, 'CR_ERR_CONFLICT');
  assert.match(error.message, /message 'news:m7' belongs to campaign 'news'/);
  assert.equal(appended(), before, 'nothing was spooled');
  assert.equal((await wrap('news:m7', 'news')).status, 200);
  assert.equal((await wrap('promo:m1', 'promo')).status, 200);
  assert.equal(appended(), before + 2);
});
