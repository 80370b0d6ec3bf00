// Runs one tier of the built tests: `unit` is every test that needs neither a ClickHouse server, a
// Dovecot IMAP server nor a browser, `all` is every test. What a test file needs is read from what it
// imports (the local ClickHouse or Dovecot support module, playwright-core), so a new test lands in the
// right tier by itself.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const NEEDS_SERVICE = [/support\/clickhouse\.js/, /support\/dovecot\.js/, /playwright-core/];

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'web' ? [] : testFiles(path);
    return e.name.endsWith('.test.js') ? [path] : [];
  });
}

const tier = process.argv[2] ?? 'all';
if (tier !== 'unit' && tier !== 'all') {
  console.error(`tiers: unknown tier '${tier}'; use unit or all`);
  process.exit(2);
}
const files = testFiles(dist)
  .filter((f) => tier === 'all' || !NEEDS_SERVICE.some((re) => re.test(readFileSync(f, 'utf8'))))
  .map((f) => relative(root, f))
  .sort();
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
