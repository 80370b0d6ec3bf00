// Every command beside a running server: a real `clickrate serve` child on a real DuckDB file, and the
// real bin/clickrate. Each command's output through the server is its output on the unlocked file; keys
// revoked through it are refused at once (sessions too); wrapped links redirect there and count; the
// credential file is private, withdrawn on a clean stop, and a killed server's is found stale.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN } from '../../test/support/paths.js';
import { startServe, stopServe, type ServeChild } from '../../test/support/serve-child.js';
import { waitFor } from '../../test/support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-beside-'));
const db = join(dir, 'shop.duckdb');
const credential = `${db}.serve.json`;
let serve: ServeChild | null = null;
let port = 0;
after(async () => {
  if (serve) await stopServe(serve);
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], stdin = ''): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: stdin, encoding: 'utf8', env: { ...process.env, CLICKRATE_DB: '', CLICKRATE_KEYRING: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const onDb = (...args: string[]) => run([...args, '--db', db]);

/**
 * One request on a connection of its own. TRICKY: not fetch: its pool keeps sockets open, and while the
 * spawnSync runs of the commands block this process, the server closes them idle; fetch then reuses one.
 */
function http(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

const events = [
  { id: 'e1', type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'zz1', campaign: 'news', recipient: 'ann@example.org', variant: 'A' },
  { id: 'e2', type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'zz2', campaign: 'news', recipient: 'bob@example.org', variant: 'B' },
  { id: 'e3', type: 'open', ts: '2026-03-01T10:00:00Z', message: 'zz1', ip: '81.2.69.160', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0' },
  { id: 'e4', type: 'click', ts: '2026-03-01T10:01:00Z', message: 'zz1', url: 'https://shop.example.com/', ip: '81.2.69.160', user_agent: 'curl/8.0' },
];

/** Commands that only read, each as [name, args]: run on the unlocked file, then through the server. */
const readers: Array<[string, string[]]> = [
  ['report', ['report', '--campaign', 'spring-sale']],
  ['report --by variant --json', ['report', '--campaign', 'spring-sale', '--by', 'variant', '--json']],
  ['report --by link --csv', ['report', '--campaign', 'news', '--by', 'link', '--csv']],
  ['report --window', ['report', '--campaign', 'outreach-q4', '--by', 'step', '--window', '7d']],
  ['report --by ad', ['report', '--campaign', 'retargeting', '--by', 'ad']],
  ['report of an unknown campaign', ['report', '--campaign', 'sprng-sale']],
  ['report --window on an ad campaign', ['report', '--campaign', 'retargeting', '--window', '7d']],
  ['explain', ['explain', '--message', 'zz1']],
  ['explain --json', ['explain', '--message', 'zz1', '--json']],
  ['campaigns', ['campaigns']],
  ['campaigns --json', ['campaigns', '--json']],
  ['keys list', ['keys', 'list']],
  ['demo (there already)', ['demo', '--now', '2026-03-01T00:00:00Z']],
];
const unlocked = new Map<string, Run>();

before(async () => {
  assert.equal(onDb('demo', '--now', '2026-03-01T00:00:00Z').code, 0);
  const file = join(dir, 'news.jsonl');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  assert.equal(onDb('import', file).code, 0);
  // A key before serve starts, so serve makes none and `keys list` reads the same on both sides.
  assert.equal(onDb('keys', 'create', '--name', 'before').code, 0);
  for (const [name, args] of readers) unlocked.set(name, onDb(...args));
  port = await freePort();
  serve = await startServe(['--db', db, '--port', String(port), '--base-url', `http://127.0.0.1:${port}`]);
});

test('serve publishes where it listens and a credential beside the database, readable by its owner only', () => {
  const info = JSON.parse(readFileSync(credential, 'utf8')) as { url: string; baseUrl: string; token: string; pid: number };
  assert.equal(info.url, `http://127.0.0.1:${port}`);
  assert.equal(info.pid, serve!.child.pid);
  assert.match(info.token, /^crl_[A-Za-z0-9_-]{43}$/);
  assert.equal(statSync(credential).mode & 0o777, 0o600);
});

test("each reading command's output through the running server is its output on the unlocked file", () => {
  for (const [name, args] of readers) {
    const there = onDb(...args);
    const before = unlocked.get(name)!;
    assert.deepEqual(there, before, name);
  }
  // The locked file was never opened by the commands: they would have failed with DuckDB's lock error.
  assert.match(unlocked.get('report of an unknown campaign')!.stderr, /did you mean 'spring-sale'\?/);
});

test('the local credential opens the local routes and nothing else does; explain has an API route', async () => {
  const info = JSON.parse(readFileSync(credential, 'utf8')) as { token: string };
  const key = onDb('keys', 'create', '--name', 'api').stdout.trim();
  const hello = (authorization: string) => http(`${serve!.base}/api/v1/local/hello`, { headers: { authorization } });
  assert.equal((await hello(`Bearer ${info.token}`)).status, 200);
  assert.equal((await hello(`Bearer ${key}`)).status, 401, 'an API key does not open the store');
  assert.equal((await hello(`Bearer crl_${'A'.repeat(43)}`)).status, 401);
  // explain's API route answers what `explain --json` prints.
  const explained = await http(`${serve!.base}/api/v1/messages/zz1/explain`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(explained.status, 200);
  assert.deepEqual(JSON.parse(explained.body), JSON.parse(unlocked.get('explain --json')!.stdout));
  const unknown = await http(`${serve!.base}/api/v1/messages/nope/explain`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(unknown.status, 404);
});

test('import, classify and keys through the running server; a revoked key and its sessions are refused at once', async () => {
  const more = join(dir, 'more.jsonl');
  writeFileSync(more, `${JSON.stringify({ id: 'e5', type: 'reply', ts: '2026-03-02T08:00:00Z', message: 'zz2' })}\n`);
  const imported = onDb('import', more);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /^.*more\.jsonl: 1 events imported, 0 already stored \(skipped\)$/m);
  // Through the server, nothing is left for the command's own pass: it says so rather than "classified 0".
  assert.match(imported.stdout, /^classified: nothing left to judge \(the running server judges new opens and clicks itself/m);
  assert.equal(JSON.parse(onDb('report', '--campaign', 'news', '--json').stdout).totals.replies, 1);
  assert.match(onDb('classify').stdout, /^\d[\d,]* events classified with rules /);

  const key = onDb('keys', 'create', '--name', 'to revoke').stdout.trim();
  assert.match(key, /^cr_/);
  const api = () => http(`${serve!.base}/api/v1/campaigns`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal((await api()).status, 200, 'a key made through the server works there at once');
  const login = await http(`${serve!.base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key, next: '/' }).toString(),
  });
  const cookie = (login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
  const session = () => http(`${serve!.base}/api/v1/campaigns`, { headers: { cookie } });
  assert.equal((await session()).status, 200);
  const id = (JSON.parse(onDb('keys', 'list', '--json').stdout) as Array<{ id: string; name: string }>).find((k) => k.name === 'to revoke')!.id;
  const revoked = onDb('keys', 'revoke', id);
  assert.deepEqual([revoked.code, revoked.stdout], [0, `key ${id} revoked\n`]);
  assert.equal((await api()).status, 401, 'the key is refused at once, not after the 30 s cache');
  assert.equal((await session()).status, 401, 'and so is the session it signed in');
});

test('wrap through the running server: its keys sign, its sent is recorded, the links redirect there and their clicks count', async () => {
  const html = '<p><a href="https://shop.example.com/sale">Sale</a></p>';
  const wrapped = onDb('wrap', '--campaign', 'wrapped', '--recipient', 'cy@example.org', '--json');
  assert.equal(wrapped.code, 0, wrapped.stderr);
  const viaCli = run(['wrap', '--campaign', 'wrapped', '--recipient', 'dee@example.org', '--json', '--db', db], html);
  const result = JSON.parse(viaCli.stdout) as { message: string; html: string; links: Array<{ url: string; tracked: boolean }>; warnings: string[] };
  // What POST /api/v1/wrap answers, field for field.
  assert.deepEqual(Object.keys(result).sort(), ['html', 'links', 'message', 'message_id_header', 'warnings']);
  const href = /href="([^"]+\/c\/[^"]+)"/.exec(result.html)![1]!.replace(/&amp;/g, '&');
  assert.ok(href.startsWith(`http://127.0.0.1:${port}/c/`), href);
  const click = await http(href, {
    headers: { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15' },
  });
  assert.equal(click.status, 302);
  assert.equal(click.headers.location, 'https://shop.example.com/sale');
  // Refused rather than signed for another origin than the server's.
  const other = run(['wrap', '--campaign', 'wrapped', '--recipient', 'e@example.org', '--base-url', 'https://t.example.com', '--db', db], html);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /^clickrate: CR_ERR_BAD_INPUT: --base-url https:\/\/t\.example\.com differs from the running server's/);
  const report = await waitFor(
    'the click to be stored and counted',
    () => {
      // Raw: a click a second after its send reads as a scanner's, and counts among the people's only if human.
      const r = JSON.parse(onDb('report', '--campaign', 'wrapped', '--json').stdout) as { totals: { sent: number; raw: { unique_clicks: number } } };
      return r.totals.raw.unique_clicks === 1 ? r : null;
    },
    { tries: 120, everyMs: 250 },
  );
  assert.equal(report.totals.sent, 2, 'both wrapped messages recorded their sent');
});

test('a clean stop withdraws the credential; a killed server leaves a stale one that the next command sees through', async () => {
  await stopServe(serve!);
  serve = null;
  assert.equal(existsSync(credential), false, 'withdrawn on SIGTERM');
  const s = await startServe(['--db', db]);
  assert.ok(existsSync(credential));
  s.child.kill('SIGKILL');
  await s.exited;
  assert.ok(existsSync(credential), 'a killed server cannot withdraw it');
  const r = onDb('campaigns', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.ok((JSON.parse(r.stdout) as unknown[]).length >= 6);
  assert.equal(existsSync(credential), false, 'the stale credential is removed');
});
