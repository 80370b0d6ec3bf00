// The SQL each engine receives for a few representative reports, compared with snapshots committed in
// src/metrics/__snapshots__ (no server needed). Any change to a compiler or dialect shows up here as a
// diff to read; `UPDATE_SNAPSHOTS=1 node --test dist/src/metrics/report-sql.test.js` rewrites them.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CompiledParts, CompiledQuery, SqlDialect } from '../store/dialect.js';
import { ClickHouseDialect } from '../store/clickhouse/dialect.js';
import { DuckDbDialect } from '../store/duckdb/dialect.js';
import { compileAdMachineReasons, compileAdReport } from './compile-ads.js';
import { compileCampaignProfile, compileEmailReports, compileEmailTimeseries } from './compile-email.js';
import type { EmailPlan } from './email-ctes.js';
import { planReport, type ReportPlan } from './report-plan.js';
import { parseReportQuery, type ReportQueryInput } from './report-query.js';

/**
 * The snapshots' folder in the source tree. TRICKY: tests run from the compiled output (dist/…), whose
 * depth depends on the build's rootDir, so the repository is found by walking up to its package.json.
 */
function snapshotDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the compiled test');
    dir = up;
  }
  return join(dir, 'src', 'metrics', '__snapshots__');
}

/** Asserts `actual` equals the snapshot file `name`, or writes it when UPDATE_SNAPSHOTS=1. */
function matchSnapshot(name: string, actual: string): void {
  const file = join(snapshotDir(), name);
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) assert.fail(`no snapshot ${name}; write it with UPDATE_SNAPSHOTS=1 and read it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `the SQL differs from snapshot ${name}; if meant, rewrite it with UPDATE_SNAPSHOTS=1 and read the diff`);
}

/** Statements and their bound parameters, as one text to read in a diff. */
function render(q: CompiledQuery | CompiledParts): string {
  const statements = 'statements' in q ? q.statements : [{ parts: [], sql: q.sql }];
  const sql = statements.map((s) => `-- statement${s.parts.length > 0 ? ` (parts: ${s.parts.join(', ')})` : ''}\n${s.sql.trim()}\n`);
  return `${sql.join('\n')}\n-- params\n${JSON.stringify(q.params, null, 2)}\n`;
}

const DIALECTS: ReadonlyArray<readonly [string, () => SqlDialect]> = [
  ['duckdb', () => new DuckDbDialect(true)],
  ['duckdb-events', () => new DuckDbDialect(false)],
  ['clickhouse', () => new ClickHouseDialect()],
];

const EMAIL = { sends: 10, adEvents: 0, events: 30 };
const ADS = { sends: 0, adEvents: 10, events: 10 };
type Input = Omit<ReportQueryInput, 'campaign'>;
const plan = (d: SqlDialect, input: Input, profile = EMAIL): ReportPlan =>
  planReport(parseReportQuery({ campaign: 'spring', ...input }), profile, d.layout.capabilities);
const email = (d: SqlDialect, input: Input) => plan(d, input) as EmailPlan;
const ads = (d: SqlDialect, input: Input) => plan(d, input, ADS) as Extract<ReportPlan, { kind: 'ads' }>;

/** Representative queries: what `report` asks with and without a breakdown or window, a dashboard page, ads. */
const CASES: ReadonlyArray<readonly [string, (d: SqlDialect) => string]> = [
  ['profile', (d) => render(compileCampaignProfile('spring', d))],
  ['totals', (d) => render(compileEmailReports([email(d, {})], d))],
  ['totals-fresh', (d) => render(compileEmailReports([email(d, {})], d, false, false))],
  ['by-variant', (d) => render(compileEmailReports([email(d, { by: 'variant' })], d))],
  ['by-link', (d) => render(compileEmailReports([email(d, { by: 'link' })], d))],
  ['window', (d) => render(compileEmailReports([email(d, { window: '7d' })], d))],
  ['by-link-window', (d) => render(compileEmailReports([email(d, { by: 'link', window: '7d' })], d))],
  [
    'page',
    (d) =>
      render(
        compileEmailReports(
          [null, 'day', 'step', 'variant', 'link', 'provider'].map((by) => email(d, { by })),
          d,
        ),
      ),
  ],
  ['timeseries-window', (d) => render(compileEmailTimeseries(email(d, { window: '7d' }), 86_400_000, d))],
  ['ads-by-day', (d) => [render(compileAdReport(ads(d, { by: 'day' }), d)), render(compileAdMachineReasons(ads(d, {}), d))].join('\n')],
];

for (const [dialect, make] of DIALECTS) {
  for (const [name, compile] of CASES) {
    test(`[${dialect}] ${name}: the SQL is the snapshot's`, () => matchSnapshot(`${dialect}/${name}.sql`, compile(make())));
  }
}
