// A DuckDB store's file and write-ahead log are owner-only (0600) whatever the umask: when made, after
// every kind of write, after a checkpoint made DuckDB start a new WAL, and an older wider file at open.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { reclassify } from '../../classify/reclassify.js';
import { createApiKey } from '../../http/api-keys.js';
import { sends } from '../../../test/support/conformance-cases.js';
import { ingest } from '../../../test/support/ingest-raw.js';
import { openDuckDbStore, type DuckDbStore } from './duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-modes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

test('the file and every WAL DuckDB makes are 0600, after each kind of write', async () => {
  // TRICKY: the test process's umask (022 in CI) would make 0644 files; that is the case under test.
  const path = join(dir, `t${++n}.duckdb`);
  const store = await openDuckDbStore(path, { warn: (m) => assert.fail(`a new store warns of nothing: ${m}`) });
  try {
    assert.equal(mode(path), '600', 'the new file');
    // A verdict pass may end in a checkpoint of its own, leaving no WAL to look at.
    const writes: Array<[string, (s: DuckDbStore) => Promise<unknown>, { leavesWal: boolean }]> = [
      ['an ingest', (s) => ingest(s, sends(20, `c${n}`)), { leavesWal: true }],
      ['an API key', (s) => createApiKey(s, 'k'), { leavesWal: true }],
      ['a revoked session', (s) => s.revokeSession('sid', Date.now() + 60_000), { leavesWal: true }],
      ['a template', (s) => s.saveTemplate({ campaign: 'c', step: null, variant: null, html: '<p>', saved_at: 1 }), { leavesWal: true }],
      ['a verdict pass', (s) => reclassify(s, { all: true }), { leavesWal: false }],
    ];
    for (const [what, write, { leavesWal }] of writes) {
      // A checkpoint deletes the WAL; the write then makes a new one, which must be owner-only too.
      await store.query({ sql: 'CHECKPOINT', params: {} });
      assert.equal(existsSync(`${path}.wal`), false, `no WAL right after a checkpoint (before ${what})`);
      await write(store);
      if (leavesWal) assert.equal(existsSync(`${path}.wal`), true, `${what} wrote a WAL`);
      if (existsSync(`${path}.wal`)) assert.equal(mode(`${path}.wal`), '600', `the WAL after ${what}`);
      assert.equal(mode(path), '600', `the file after ${what}`);
    }
  } finally {
    await store.close();
  }
});

test('a file readable by others is made owner-only at open, and the operator is told', async () => {
  const path = join(dir, `t${++n}.duckdb`);
  await (await openDuckDbStore(path)).close();
  chmodSync(path, 0o644);
  const warnings: string[] = [];
  const store = await openDuckDbStore(path, { warn: (m) => warnings.push(m) });
  await store.close();
  assert.equal(mode(path), '600');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /was readable by other users \(mode 644\); it is now owner-only \(600\)/);
});
