// Every error of the built command line reads `clickrate: CR_ERR_…: …` and exits 2: the parser's own
// (unknown options with the nearest known one, missing required options, bad arguments), an unknown
// campaign with near names, a --db that is missing or not clickrate's, --window on an ad campaign, and
// import's partial failures. Table-driven over bin/clickrate and real DuckDB files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { BIN } from '../../test/support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const demo = join(dir, 'demo.duckdb');
const foreign = join(dir, 'foreign.duckdb');
const text = join(dir, 'notes.txt');
const missing = join(dir, 'missing.duckdb');
const good = join(dir, 'good.jsonl');
const bad = join(dir, 'bad.jsonl');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: '', encoding: 'utf8', env: { ...process.env, CLICKRATE_DB: '', CLICKRATE_STORE: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  assert.equal(run('demo', '--db', demo, '--now', '2026-03-01T00:00:00Z').code, 0);
  const other = await DuckDBInstance.create(foreign);
  const conn = await other.connect();
  await conn.run('CREATE TABLE invoices (id INTEGER, total DOUBLE)');
  conn.closeSync();
  other.closeSync();
  writeFileSync(text, 'not a database\n');
  writeFileSync(good, `${JSON.stringify({ type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'g1', campaign: 'goods', recipient: 'r' })}\n`);
  writeFileSync(bad, 'not json\n');
});

/** [what, args, message]: each must exit 2 with `clickrate: <message>` as its first line of stderr. */
const cases: Array<[string, string[], RegExp]> = [
  [
    'a misspelled option names the nearest',
    ['report', '--campain', 'spring-sale', '--db', demo],
    /^CR_ERR_BAD_INPUT: unknown option '--campain' \(did you mean --campaign\?\)$/,
  ],
  ['a misspelled option of serve', ['serve', '--hots', '0.0.0.0', '--db', demo], /^CR_ERR_BAD_INPUT: unknown option '--hots' \(did you mean --host\?\)$/],
  ['a missing required option', ['report', '--db', demo], /^CR_ERR_BAD_INPUT: required option '--campaign <id>' not specified$/],
  ['a missing required option of wrap', ['wrap', '--campaign', 'c', '--db', demo], /^CR_ERR_BAD_INPUT: required option '--recipient <id>' not specified$/],
  ['an option without its value', ['report', '--campaign'], /^CR_ERR_BAD_INPUT: option '--campaign <id>' argument missing$/],
  ['a misspelled command', ['reprot', '--campaign', 'x'], /^CR_ERR_BAD_INPUT: unknown command 'reprot' \(did you mean report\?\)$/],
  ['an argument too many', ['campaigns', 'extra', '--db', demo], /^CR_ERR_BAD_INPUT: too many arguments for 'campaigns'/],
  ['no file to import', ['import', '--db', demo], /^CR_ERR_BAD_INPUT: missing required argument 'files'$/],
  ['no command', [], /^CR_ERR_BAD_INPUT: a command is required/],
  [
    'an unknown campaign suggests near names',
    ['report', '--campaign', 'sprng-sale', '--db', demo],
    /^CR_ERR_NOT_FOUND: no events for campaign 'sprng-sale'; did you mean 'spring-sale'\?$/,
  ],
  [
    'an unknown campaign with none near points at the list',
    ['report', '--campaign', 'zzzz', '--db', demo],
    /^CR_ERR_NOT_FOUND: no events for campaign 'zzzz' \(`clickrate campaigns` lists them\)$/,
  ],
  [
    '--window on an ad campaign',
    ['report', '--campaign', 'retargeting', '--window', '7d', '--db', demo],
    /^CR_ERR_BAD_QUERY: the reporting window \(7d\) does not apply to 'retargeting', an ad campaign/,
  ],
  ['a --db that does not exist, for report', ['report', '--campaign', 'x', '--db', missing], /^CR_ERR_NOT_FOUND: no clickrate store at .*missing\.duckdb/],
  ['a --db that does not exist, for campaigns', ['campaigns', '--db', missing], /^CR_ERR_NOT_FOUND: no clickrate store at /],
  ['a --db that does not exist, for explain', ['explain', '--message', 'm', '--db', missing], /^CR_ERR_NOT_FOUND: no clickrate store at /],
  ['a --db that does not exist, for keys list', ['keys', 'list', '--db', missing], /^CR_ERR_NOT_FOUND: no clickrate store at /],
  ['a --db that does not exist, for classify', ['classify', '--db', missing], /^CR_ERR_NOT_FOUND: no clickrate store at /],
  ['a --db that is not a database', ['campaigns', '--db', text], /^CR_ERR_BAD_INPUT: .*notes\.txt is not a clickrate store: it is not a DuckDB database file$/],
  [
    'a --db that is another DuckDB database',
    ['import', good, '--db', foreign],
    /^CR_ERR_BAD_INPUT: .*foreign\.duckdb is not a clickrate store: a DuckDB database without clickrate tables$/,
  ],
  ['a --db that is a folder', ['campaigns', '--db', dir], /^CR_ERR_BAD_INPUT: .* is not a clickrate store: it cannot be read as a file \(EISDIR\)$/],
  ['serve on another DuckDB database', ['serve', '--port', '0', '--db', foreign], /^CR_ERR_BAD_INPUT: .*foreign\.duckdb is not a clickrate store/],
  ['an unknown key to revoke', ['keys', 'revoke', 'nope', '--db', demo], /^CR_ERR_NOT_FOUND: no active API key with id 'nope'$/],
  ['one file of one not imported', ['import', bad, '--db', demo], /^CR_ERR_BAD_FILE: 1 of 1 file was not imported \(reasons above\)$/],
  [
    'one file of two not imported',
    ['import', bad, good, '--db', demo],
    /^CR_ERR_BAD_FILE: 1 of 2 files were not imported \(reasons above\); the other file is stored$/,
  ],
];

test('every error of the command line: exit 2 and `clickrate: CR_ERR_…: message`', () => {
  for (const [what, args, message] of cases) {
    const r = run(...args);
    assert.equal(r.code, 2, `${what}: exit code (stderr: ${r.stderr})`);
    const line = r.stderr.split('\n').find((l) => l.startsWith('clickrate: ')) ?? '';
    assert.match(line.slice('clickrate: '.length), message, `${what}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^error:|^\s+at .+:\d+:\d+\)?$/m, `${what}: no parser text, no stack`);
  }
});

test('refused stores are left as they were: no new file, no clickrate tables added to another database', async () => {
  assert.equal(run('report', '--campaign', 'x', '--db', missing).code, 2);
  assert.equal(run('keys', 'list', '--db', missing).code, 2);
  assert.equal(existsSync(missing), false, 'a reading command made no store');
  assert.equal(run('import', good, '--db', foreign).code, 2);
  assert.equal(run('demo', '--db', foreign).code, 2);
  const other = await DuckDBInstance.create(foreign, { access_mode: 'READ_ONLY' });
  const conn = await other.connect();
  const tables = (await conn.runAndReadAll('SELECT table_name FROM information_schema.tables ORDER BY 1')).getRowObjectsJS();
  conn.closeSync();
  other.closeSync();
  assert.deepEqual(
    tables.map((t) => t.table_name),
    ['invoices'],
  );
});

test('serve --host is an option of serve, and help is no error', () => {
  const help = run('serve', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--host <addr>/);
});
