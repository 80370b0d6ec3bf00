// Drives the real `bin/clickrate` over real files and a real DuckDB file, as a user would: the output
// a person reads, the JSON a script reads, and the exit codes and messages of bad input.
import { BIN } from '../../test/support/paths.js';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'cli.duckdb');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CLICKRATE_DB: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('import then report --json gives the SPEC figures; re-import changes nothing', () => {
  const rows: object[] = [];
  for (let i = 0; i < 200; i++)
    rows.push({ type: 'sent', ts: '2026-03-01T09:00:00Z', message: `m${i}`, campaign: 'news', recipient: `r${i}@x.com`, variant: i % 2 ? 'B' : 'A' });
  for (let i = 0; i < 90; i++) rows.push({ type: 'open', ts: '2026-03-01T10:00:00Z', message: `m${i}` });
  for (let i = 0; i < 20; i++) rows.push({ type: 'click', ts: '2026-03-01T10:05:00Z', message: `m${i}`, url: 'https://shop.example.com/' });
  const file = join(dir, 'news.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  const imp = run('import', file, '--db', db);
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, /310 events imported/);
  assert.match(run('import', file, '--db', db).stdout, /0 events imported, 310 already stored/);

  const rep = run('report', '--campaign', 'news', '--db', db, '--json');
  assert.equal(rep.code, 0, rep.stderr);
  const json = JSON.parse(rep.stdout);
  assert.equal(json.campaign, 'news');
  assert.equal(json.totals.delivered, 200);
  assert.equal(json.totals.ctr, 10);
  assert.ok(Math.abs(json.totals.ctor - (20 / 90) * 100) < 1e-9);
  assert.deepEqual(Object.keys(json.totals.raw).sort(), ['ctor', 'ctr', 'open_rate', 'total_clicks', 'unique_clicks', 'unique_opens']);

  const text = run('report', '--campaign', 'news', '--db', db, '--by', 'variant');
  assert.match(text.stdout, /CTR\s+10\.00%/);
  assert.match(text.stdout, /^A\s+100\s.*control/m);

  const csv = run('report', '--campaign', 'news', '--db', db, '--by', 'variant', '--csv');
  const [header, first] = csv.stdout.split('\n');
  assert.match(header ?? '', /^campaign,window,key,sent,/);
  assert.match(first ?? '', /^news,,A,100,/);
});

test('a bad file is refused with file and line, exit code 2, and the store is unchanged', () => {
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(
    bad,
    '{"type":"sent","ts":"2026-03-01T09:00:00Z","message":"z1","campaign":"news","recipient":"q"}\n{"type":"click","ts":"2026-03-01T09:00:00Z","message":"z1"}\n',
  );
  const r = run('import', bad, '--db', db);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.jsonl:2: url is required/);
  const rep = JSON.parse(run('report', '--campaign', 'news', '--db', db, '--json').stdout);
  assert.equal(rep.totals.sent, 200);
});

test('calc reproduces the SPEC worked figures and refuses impossible input', () => {
  assert.match(run('calc', '--clicks', '1000', '--delivered', '10000').stdout, /CTR\s+10\.00%/);
  assert.match(run('calc', '--clicks', '1240', '--opens', '8200').stdout, /CTOR\s+15\.12%/);
  assert.match(run('calc', '--clicks', '200', '--impressions', '50000').stdout, /CTR\s+0\.40%/);
  const bad = run('calc', '--clicks', '11', '--delivered', '10');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /CR_ERR_BAD_INPUT/);
});

test('report on an unknown campaign or grouping says what is wrong', () => {
  const r = run('report', '--campaign', 'nope', '--db', db);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /CR_ERR_NOT_FOUND: no events for campaign 'nope'/);
  assert.match(run('report', '--campaign', 'news', '--db', db, '--by', 'colour').stderr, /cannot break down by 'colour'/);
});

test('demo builds a database a newcomer can report on, and is idempotent', () => {
  const demoDb = join(dir, 'demo.duckdb');
  const first = run('demo', '--db', demoDb, '--now', '2026-03-01T00:00:00Z');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /events stored \(0 were already there\)/);
  const before = run('campaigns', '--db', demoDb, '--json').stdout;
  // Run again, at another time (the demo's times follow --now): nothing changes.
  const second = run('demo', '--db', demoDb, '--now', '2026-04-01T00:00:00Z');
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /the demo is there already; nothing changed/);
  assert.equal(run('campaigns', '--db', demoDb, '--json').stdout, before);
  const list = JSON.parse(before) as Array<{ campaign: string; kind: string }>;
  assert.deepEqual(list.map((c) => c.campaign).sort(), ['onboarding', 'outreach-q4', 'retargeting', 'spring-sale', 'weekly-digest']);
  const ab = JSON.parse(run('report', '--campaign', 'spring-sale', '--by', 'variant', '--db', demoDb, '--json').stdout);
  assert.deepEqual(
    ab.groups.map((g: { key: string }) => g.key),
    ['A', 'B'],
  );
  assert.equal(ab.groups[1].comparison.control, 'A');
  const ads = JSON.parse(run('report', '--campaign', 'retargeting', '--by', 'ad', '--db', demoDb, '--json').stdout);
  assert.equal(ads.kind, 'ads');
  assert.equal(ads.groups.length, 3);
});

test('stored names with terminal escapes and bidi controls print escaped for people, raw in --json and --csv', () => {
  const hostile = 'ansi\u001b]0;PWNED\u0007\u001b[31mRED';
  const file = join(dir, 'hostile.jsonl');
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 \u009b2J\u202Eevil';
  writeFileSync(
    file,
    [
      { type: 'sent', ts: '2026-03-01T09:00:00Z', message: `h\u001b[2J1`, campaign: hostile, recipient: 'r1', variant: 'A\u202Egnp.exe' },
      {
        type: 'click',
        ts: '2026-03-01T10:00:00Z',
        message: `h\u001b[2J1`,
        url: 'https://shop.example.com/\u001b]8;;https://evil.example/\u0007x',
        user_agent: ua,
        ip: '81.2.69.160',
      },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  const hdb = join(dir, 'hostile.duckdb');
  assert.equal(run('import', file, '--db', hdb).code, 0);
  const keyName = run('keys', 'create', '--name', `k\u001b[8m`, '--db', hdb);
  // Newlines end lines; any other control character reaching the terminal is the bug.
  const raw = /[\p{Cc}\p{Bidi_Control}]/u;
  const shown = [
    run('campaigns', '--db', hdb),
    run('report', '--campaign', hostile, '--by', 'variant', '--db', hdb),
    run('report', '--campaign', hostile, '--by', 'link', '--db', hdb),
    run('explain', '--message', `h\u001b[2J1`, '--db', hdb),
    run('keys', 'list', '--db', hdb),
    run('report', '--campaign', `nope\u001b[31m`, '--db', hdb),
    keyName,
  ];
  for (const r of shown) {
    for (const text of [r.stdout, r.stderr]) {
      for (const line of text.split('\n')) assert.doesNotMatch(line, raw, JSON.stringify(line));
    }
  }
  assert.match(shown[0]!.stdout, /ansi\\x1b\]0;PWNED\\x07\\x1b\[31mRED/);
  assert.match(shown[1]!.stdout, /A\\u202egnp\.exe/);
  assert.match(shown[2]!.stdout, /\\x1b\]8;;https:\/\/evil\.example\/\\x07x/);
  assert.match(shown[3]!.stdout, /\\x9b2J\\u202eevil/);
  assert.match(shown[4]!.stdout, /k\\x1b\[8m/);
  assert.match(shown[5]!.stderr, /nope\\x1b\[31m/);
  // Data for programs stays the data: JSON strings hold the text as stored.
  const list = JSON.parse(run('campaigns', '--db', hdb, '--json').stdout) as Array<{ campaign: string }>;
  assert.deepEqual(
    list.map((c) => c.campaign),
    [hostile],
  );
  const csv = run('report', '--campaign', hostile, '--db', hdb, '--csv').stdout;
  assert.ok(csv.includes(hostile), 'CSV keeps the name as stored');
});

/**
 * Runs the CLI with stdout read by a reader that goes away: after the first line, or before any
 * (`at once`). The exit status and stderr are what a shell pipeline like `| head -1` would see.
 */
function runIntoClosedPipe(args: string[], stdin: string, closeAfter: 'first line' | 'at once'): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CLICKRATE_DB: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (closeAfter === 'at once') child.stdout.destroy();
  else child.stdout.setEncoding('utf8').on('data', (d: string) => d.includes('\n') && child.stdout.destroy());
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('a reader that stops early (| head -1) ends the output quietly: exit 0, no stack, the work done', async () => {
  // Far more than a pipe holds (64 KiB), so the writer is still writing when the reader leaves.
  const html = `<html><body>${Array.from({ length: 5000 }, (_, i) => `<p><a href="https://shop.example.com/${i}">link ${i}</a></p>\n`).join('')}</body></html>`;
  const pipeDb = join(dir, 'pipe.duckdb');
  const cases: Array<{ args: string[]; stdin?: string; closeAfter: 'first line' | 'at once' }> = [
    { args: ['wrap', '--campaign', 'c', '--recipient', 'r', '--db', pipeDb], stdin: html, closeAfter: 'first line' },
    { args: ['demo', '--db', pipeDb, '--now', '2026-03-01T00:00:00Z'], closeAfter: 'at once' },
    { args: ['campaigns', '--db', pipeDb], closeAfter: 'at once' },
  ];
  for (const c of cases) {
    const r = await runIntoClosedPipe(c.args, c.stdin ?? '', c.closeAfter);
    assert.equal(r.code, 0, `${c.args[0]}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|^\s+at /m, c.args[0]);
  }
  // demo finished its load and closed the store although nobody read what it printed (5 campaigns,
  // and the wrapped message's own, whose sent event wrap recorded).
  const list = JSON.parse(run('campaigns', '--db', pipeDb, '--json').stdout) as unknown[];
  assert.equal(list.length, 6);
});
