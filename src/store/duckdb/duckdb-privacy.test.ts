// The privacy conformance suite (address retention, erasure, export) on a real DuckDB file, with and
// without the per-message facts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { privacyConformanceSuite } from '../../../test/support/privacy-conformance.js';
import { openDuckDbStore } from './duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-privacy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

privacyConformanceSuite('duckdb', () => openDuckDbStore(join(dir, `p${++n}.duckdb`)));
privacyConformanceSuite('duckdb, no facts', () => openDuckDbStore(join(dir, `p${++n}.duckdb`), { messageFacts: false }));
