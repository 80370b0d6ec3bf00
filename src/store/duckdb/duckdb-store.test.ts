// Runs the shared store conformance suite against a real DuckDB file, plus DuckDB-only checks
// (migrations on reopen, refusing a file from a newer build).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ingest, storeConformanceSuite } from '../store-conformance.js';
import { sends } from '../conformance-cases.js';
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

test('[duckdb] a database from a newer build is refused, not silently misread', async () => {
  const path = freshPath();
  const a = await openDuckDbStore(path);
  await a.query({ sql: "INSERT INTO schema_migrations VALUES (999, 'from the future', 0)", params: {} });
  await a.close();
  await assert.rejects(openDuckDbStore(path), { code: 'CR_ERR_MIGRATION', message: /999/ });
});

test('[duckdb] a classification pass on a closed store fails with a store error, not a raw one', async () => {
  const a = await openDuckDbStore(freshPath());
  await a.close();
  await assert.rejects(a.beginVerdictPass({ version: 'v-test', all: false }), { code: 'CR_ERR_STORE', message: /classification pass \(connecting\)/ });
});
