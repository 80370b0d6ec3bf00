// Runs the shared store conformance suite against a real DuckDB file, plus DuckDB-only checks
// (migrations on reopen, refusing a file from a newer build, the storage format of new and old files).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { storeConformanceSuite } from '../../../test/support/store-conformance.js';
import { ingest } from '../../../test/support/ingest-raw.js';
import { sends } from '../../../test/support/conformance-cases.js';
import { runReport } from '../../metrics/run-report.js';
import { openDuckDbStore } from './duckdb-store.js';
import { DUCKDB_MIGRATIONS } from './migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-duckdb-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `t${++n}.duckdb`);

storeConformanceSuite('duckdb', () => openDuckDbStore(freshPath()));
// The same cases answered from the events alone, as before message_facts (and as a read-only old file).
storeConformanceSuite('duckdb, no facts', () => openDuckDbStore(freshPath(), { messageFacts: false }));

test('[duckdb] events survive closing and reopening the file; migrations are not re-applied', async () => {
  const path = freshPath();
  const a = await openDuckDbStore(path);
  await ingest(a, sends(4, 'persist'));
  await a.close();
  const b = await openDuckDbStore(path);
  try {
    const r = await runReport(b, { campaign: 'persist' });
    assert.equal(r.kind === 'email' && r.totals.sent, 4);
    const [v] = await b.query({ sql: 'SELECT count(*) AS n, max(version) AS v FROM schema_migrations', params: {} });
    const latest = DUCKDB_MIGRATIONS.length;
    assert.deepEqual(v, { n: latest, v: latest });
  } finally {
    await b.close();
  }
});

const storageVersion = async (store: Awaited<ReturnType<typeof openDuckDbStore>>) => {
  const [row] = await store.query({ sql: "SELECT CAST(tags['storage_version'] AS VARCHAR) AS v FROM duckdb_databases() WHERE NOT internal", params: {} });
  return String(row?.v);
};

// A new file gets DuckDB 1.5's storage format (its newer compression: duckdb-store.ts); a file made in the
// old default format, as older builds made them, keeps its format and still opens, migrates and reports.
test('[duckdb] a new file is in the 1.5 storage format; a file in the old format keeps it and still works', async () => {
  const fresh = await openDuckDbStore(freshPath());
  try {
    assert.equal(await storageVersion(fresh), 'v1.5.0+');
  } finally {
    await fresh.close();
  }
  const path = freshPath();
  const old = await DuckDBInstance.create(path);
  old.closeSync();
  const store = await openDuckDbStore(path);
  try {
    assert.equal(await storageVersion(store), 'v1.0.0+', 'an existing file is not rewritten behind the user’s back');
    await ingest(store, sends(3, 'old-file'));
    const r = await runReport(store, { campaign: 'old-file' });
    assert.equal(r.kind === 'email' && r.totals.sent, 3);
  } finally {
    await store.close();
  }
});

test('[duckdb] a database from a newer build is refused, not silently misread', async () => {
  const path = freshPath();
  const a = await openDuckDbStore(path);
  await a.query({ sql: "INSERT INTO schema_migrations VALUES (999, 'from the future', 0)", params: {} });
  await a.close();
  await assert.rejects(openDuckDbStore(path), { code: 'CR_ERR_MIGRATION', message: /999/ });
});

test('[duckdb] a per-message facts build that fails at open warns and leaves the file usable', async () => {
  const path = freshPath();
  const a = await openDuckDbStore(path);
  await ingest(a, sends(3, 'facts-fail'));
  // The build's own bookkeeping gone: every refresh of the facts fails from now on.
  await a.query({ sql: 'DROP TABLE message_facts_dirty', params: {} });
  await a.close();
  const warnings: string[] = [];
  const b = await openDuckDbStore(path, { warn: (m) => warnings.push(m) });
  try {
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /the per-message facts could not be brought up to date/);
    assert.equal((await b.query({ sql: 'SELECT count(*) AS n FROM events', params: {} }))[0]?.n, 3, 'the events are there to read');
  } finally {
    await b.close();
  }
});

test('[duckdb] a classification pass on a closed store fails with a store error, not a raw one', async () => {
  const a = await openDuckDbStore(freshPath());
  await a.close();
  await assert.rejects(a.beginVerdictPass({ version: 'v-test', all: false }), { code: 'CR_ERR_STORE', message: /classification pass \(connecting\)/ });
});
