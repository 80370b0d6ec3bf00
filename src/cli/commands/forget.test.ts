// `forget`, `export` and `retention` as a person runs them: real processes on a real DuckDB file, their
// output, and the clear error each gives when it cannot do what was asked.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ingest } from '../../../test/support/ingest-raw.js';
import { spawnClickrate } from '../../../test/support/serve-child.js';
import { openDuckDbStore } from '../../store/duckdb/duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-forget-cli-'));
const db = join(dir, 'f.duckdb');
const DAY = 86_400_000;
after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  const store = await openDuckDbStore(db);
  const old = new Date(Date.now() - 60 * DAY).toISOString();
  // Clicks a minute after their sends: the export is in time order.
  const later = new Date(Date.now() - 60 * DAY + 60_000).toISOString();
  await ingest(store, [
    { type: 'sent', ts: old, message: 'a1', campaign: 'c', recipient: 'ann@example.com' },
    { type: 'click', ts: later, message: 'a1', url: 'https://x.example.com/', ip: '192.0.2.10', user_agent: 'curl/8.5.0' },
    { type: 'sent', ts: old, message: 'b1', campaign: 'c', recipient: 'ben@example.com' },
    { type: 'click', ts: later, message: 'b1', url: 'https://x.example.com/', ip: '192.0.2.11', user_agent: 'curl/8.5.0' },
  ]);
  await store.close();
});

async function run(...args: string[]): Promise<{ code: number | null; output: string }> {
  const c = spawnClickrate([...args, '--db', db]);
  return { code: await c.exited, output: c.output() };
}

test('export prints the recipient events as JSON Lines; forget erases them and says what it did', async () => {
  const ex = await run('export', '--recipient', 'ann@example.com');
  assert.equal(ex.code, 0, ex.output);
  const lines = ex.output.split('\n').filter((l) => l.startsWith('{'));
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { type: string; ip: string | null }).ip),
    [null, '192.0.2.10'],
  );
  const fg = await run('forget', '--recipient', 'ann@example.com', '--json');
  assert.equal(fg.code, 0, fg.output);
  const r = JSON.parse(fg.output) as { messages: number; erased: Array<{ rows: number }> };
  assert.deepEqual([r.messages, ...r.erased.map((e) => e.rows)], [1, 1, 1, 0, 0]);
  const again = await run('export', '--recipient', 'ann@example.com');
  assert.match(again.output, /^0 events of this recipient$/m);
});

test('retention cuts with --apply and says how many; a second run cuts none', async () => {
  const first = await run('retention', '--ip-retention', '30d', '--apply');
  assert.equal(first.code, 0, first.output);
  assert.match(first.output, /^Cut the addresses and user agents of 1 opens and clicks from before /m);
  assert.match((await run('retention', '--ip-retention', '30d', '--apply')).output, /of 0 opens and clicks/);
});

const refusals: Array<{ name: string; args: string[]; error: RegExp }> = [
  {
    name: 'retention without --apply',
    args: ['retention', '--ip-retention', '30d'],
    error: /^clickrate: CR_ERR_BAD_INPUT: the cut cannot be undone: add --apply/m,
  },
  { name: 'retention without an age', args: ['retention', '--apply'], error: /^clickrate: CR_ERR_BAD_INPUT: say how long addresses are kept/m },
  {
    name: 'retention with a bad age',
    args: ['retention', '--ip-retention', '30 days', '--apply'],
    error: /^clickrate: CR_ERR_CONFIG: --ip-retention must be/m,
  },
  { name: 'forget with an empty id', args: ['forget', '--recipient', ' '], error: /^clickrate: CR_ERR_BAD_INPUT: --recipient is empty/m },
];

for (const r of refusals) {
  test(`refused: ${r.name}`, async () => {
    const res = await run(...r.args);
    assert.equal(res.code, 2);
    assert.match(res.output, r.error);
  });
}
