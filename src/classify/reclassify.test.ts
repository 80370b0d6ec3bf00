// Runs the verdict-pass suite against DuckDB files, and checks how a pass cuts its work into chunks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { sliceRowsFor } from '../store/duckdb/duckdb-verdicts.js';
import { planChunks } from '../store/verdict-chunks.js';
import { reclassifySuite } from '../../test/support/reclassify-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-reclassify-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

reclassifySuite('duckdb', () => openDuckDbStore(join(dir, `r${++n}.duckdb`)));

test('chunks: runs of parts up to the limit (a quarter for the first); a larger part alone; empty parts skipped', () => {
  const counts = [
    { part: 3, n: 40 },
    { part: 0, n: 50 },
    { part: 1, n: 0 },
    { part: 2, n: 60 },
    { part: 5, n: 500 },
    { part: 7, n: 10 },
  ];
  assert.deepEqual(planChunks(counts, 400), [
    { lo: 0, hi: 0, n: 50 },
    { lo: 2, hi: 3, n: 100 },
    { lo: 5, hi: 5, n: 500 },
    { lo: 7, hi: 7, n: 10 },
  ]);
  // The first chunk is a quarter of the others.
  assert.deepEqual(planChunks(counts, 1000), [
    { lo: 0, hi: 3, n: 150 },
    { lo: 5, hi: 7, n: 510 },
  ]);
  assert.deepEqual(planChunks([], 100), []);
});

test('DuckDB write-back slices fit the memory limit as DuckDB prints it', () => {
  assert.equal(sliceRowsFor('244.1 MiB'), 1 << 19);
  assert.equal(sliceRowsFor('953.6 MiB'), 1 << 20);
  assert.equal(sliceRowsFor('18.8 GiB'), 1 << 20);
  assert.equal(sliceRowsFor('97.6 KiB'), 1 << 16);
  assert.equal(sliceRowsFor('64MB'), 1 << 18);
  assert.equal(sliceRowsFor('something else'), 1 << 20);
});
