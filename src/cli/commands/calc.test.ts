// Tests for `clickrate calc`: drives a real commander program with registerCalc in-process (stdout/stderr
// captured), and, once the command index wires calc, the real bin/clickrate for exit code and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { registerCalc } from './calc.js';

interface Run {
  stdout: string;
  stderr: string;
  error?: unknown;
}

async function run(args: string[]): Promise<Run> {
  const program = new Command().name('clickrate').exitOverride();
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerCalc(program);
  let stdout = '';
  let stderr = '';
  const realOut = process.stdout.write;
  const realErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(['calc', ...args], { from: 'user' });
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
}

test("calc prints SPEC.md's worked figures with 2 decimals, a 95% interval and the counts", async () => {
  const cases: Array<[string[], string[]]> = [
    [['--clicks', '1000', '--delivered', '10000'], ['CTR   10.00%  (95% CI 9.43–10.60%)  1,000 unique clicks / 10,000 delivered']],
    [['--clicks', '1240', '--opens', '8200'], ['CTOR  15.12%  (95% CI 14.36–15.91%)  1,240 unique clicks / 8,200 unique opens']],
    [['--clicks', '200', '--impressions', '50000'], ['CTR   0.40%  (95% CI 0.35–0.46%)  200 clicks / 50,000 impressions']],
    [
      ['--clicks', '1000', '--delivered', '10000', '--opens', '4500'],
      [
        'CTR        10.00%  (95% CI 9.43–10.60%)  1,000 unique clicks / 10,000 delivered',
        'CTOR       22.22%  (95% CI 21.03–23.46%)  1,000 unique clicks / 4,500 unique opens',
        'Open rate  45.00%  (95% CI 44.03–45.98%)  4,500 unique opens / 10,000 delivered',
      ],
    ],
  ];
  for (const [args, lines] of cases) {
    const r = await run(args);
    assert.equal(r.error, undefined, args.join(' '));
    assert.equal(r.stdout, `${lines.join('\n')}\n`, args.join(' '));
    assert.equal(r.stderr, '', 'no warnings for ordinary input');
  }
});

test('calc --json prints the full-precision calc object', async () => {
  const r = await run(['--clicks', '1000', '--delivered', '10000', '--opens', '4500', '--json']);
  const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(parsed.ctr, 10);
  assert.equal(parsed.ctor, 1000 / 45);
  assert.equal(parsed.open_rate, 45);
  assert.deepEqual(parsed.warnings, []);
  assert.ok(Array.isArray((parsed.ci as Record<string, unknown>).ctr));
});

test('calc shows n/a, not NaN, when a denominator is 0', async () => {
  const r = await run(['--clicks', '0', '--delivered', '0']);
  assert.match(r.stdout, /^CTR\s+n\/a\s+\(no delivered messages\)/);
  assert.doesNotMatch(r.stdout, /NaN|Infinity/);
});

test('calc refuses malformed or impossible flags with CR_ERR_BAD_INPUT naming the flag', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--clicks', '1.5', '--delivered', '10'], /--clicks .*"1\.5"/],
    [['--clicks', '-3', '--delivered', '10'], /--clicks .*"-3"/],
    [['--clicks', 'abc', '--delivered', '10'], /--clicks .*"abc"/],
    [['--clicks', '1e3', '--delivered', '10000'], /--clicks .*"1e3"/],
    [['--clicks', '1,000', '--delivered', '10000'], /--clicks .*"1,000"/],
    [['--clicks', '', '--delivered', '10'], /--clicks .*""/],
    [['--clicks', '5', '--delivered', '0x10'], /--delivered .*"0x10"/],
    [['--clicks', '5', '--opens', '-1'], /--opens .*"-1"/],
    [['--clicks', '5', '--impressions', 'Infinity'], /--impressions .*"Infinity"/],
    [['--delivered', '10'], /--clicks is required/],
    [['--clicks', '5'], /--delivered.*--impressions/],
    [['--clicks', '5', '--delivered', '10', '--impressions', '100'], /--impressions cannot be combined/],
    [['--clicks', '11', '--delivered', '10'], /--clicks \(11\) cannot exceed --delivered \(10\)/],
    [['--clicks', '1', '--delivered', '10', '--opens', '11'], /--opens \(11\) cannot exceed --delivered \(10\)/],
    [['--clicks', '1300', '--opens', '1240'], /--clicks \(1,300\) cannot exceed --opens \(1,240\): a click implies an open/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.ok(r.error instanceof ClickrateError, `${args.join(' ')}: expected ClickrateError, got ${String(r.error)}`);
    assert.equal(r.error.code, 'CR_ERR_BAD_INPUT');
    assert.match(r.error.message, message);
    assert.equal(r.stdout, '', 'nothing printed on refusal');
  }
});

// End to end through bin/clickrate: the command is registered, prints on stdout and refuses with exit 2.
const root = packageRoot(import.meta.url);

test('bin/clickrate calc: output on stdout, refusals as "clickrate: CODE: message" with exit code 2', () => {
  const bin = join(root, 'bin', 'clickrate');
  const ok = spawnSync(process.execPath, [bin, 'calc', '--clicks', '200', '--impressions', '50000'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^CTR\s+0\.40%/);

  const bad = spawnSync(process.execPath, [bin, 'calc', '--clicks', '1.5', '--delivered', '10'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^clickrate: CR_ERR_BAD_INPUT: --clicks .*"1\.5"/);
  assert.equal(bad.stdout, '');
});
