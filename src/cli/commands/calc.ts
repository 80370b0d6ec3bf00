// `clickrate calc`: CTR / CTOR / open rate from counts given as flags, with 95% intervals. Flags are taken
// as strings and validated here so "1.5", "-3", "abc" and "1e3" are refused by name, not coerced.
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { calc, type CalcInput, type CalcResult } from '../../metrics/calc.js';
import type { Interval } from '../../metrics/report-types.js';
import { out, warn } from '../io.js';

interface CalcFlags {
  clicks?: string;
  delivered?: string;
  opens?: string;
  impressions?: string;
  json?: boolean;
}

/** A count flag: digits only. TRICKY: Number("1e3") is 1000 and Number("") is 0, so never use Number alone. */
function parseCount(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `--${flag} must be a whole number ≥ 0 written with digits only (e.g. 1000); got "${raw}"`, {
      field: flag,
      value: raw,
    });
  }
  return Number(text);
}

const count = (n: number): string => n.toLocaleString('en-US');
const pct = (n: number): string => `${n.toFixed(2)}%`;

interface Line {
  label: string;
  value: number | null | undefined;
  ci: Interval | undefined;
  basis: string;
  whyNull: string;
}

function linesFor(r: CalcResult): Line[] {
  const lines: Line[] = [];
  if (r.kind === 'ad') {
    const basis = `${count(r.clicks)} clicks / ${count(r.impressions ?? 0)} impressions`;
    return [{ label: 'CTR', value: r.ctr, ci: r.ci.ctr, basis, whyNull: 'no impressions' }];
  }
  if (r.delivered !== undefined) {
    const basis = `${count(r.clicks)} unique clicks / ${count(r.delivered)} delivered`;
    lines.push({ label: 'CTR', value: r.ctr, ci: r.ci.ctr, basis, whyNull: 'no delivered messages' });
  }
  if (r.opens !== undefined) {
    const basis = `${count(r.clicks)} unique clicks / ${count(r.opens)} unique opens`;
    lines.push({ label: 'CTOR', value: r.ctor, ci: r.ci.ctor, basis, whyNull: 'no opens' });
    if (r.delivered !== undefined) {
      const rateBasis = `${count(r.opens)} unique opens / ${count(r.delivered)} delivered`;
      lines.push({ label: 'Open rate', value: r.open_rate, ci: r.ci.open_rate, basis: rateBasis, whyNull: 'no delivered messages' });
    }
  }
  return lines;
}

/** Human form: one aligned line per rate, e.g. `CTR   10.00%  (95% CI 9.43–10.60%)  1,000 unique clicks / 10,000 delivered`. */
function formatCalc(r: CalcResult): string {
  const lines = linesFor(r);
  const labelWidth = Math.max(6, ...lines.map((l) => l.label.length + 2));
  const values = lines.map((l) => (l.value === null || l.value === undefined ? 'n/a' : pct(l.value)));
  const valueWidth = Math.max(...values.map((v) => v.length));
  return lines
    .map((l, i) => {
      let interval: string;
      if (l.value === null || l.value === undefined) interval = `(${l.whyNull})`;
      else interval = l.ci ? `(95% CI ${l.ci[0].toFixed(2)}–${pct(l.ci[1])})` : '(no interval)';
      return `${l.label.padEnd(labelWidth)}${values[i]!.padStart(valueWidth)}  ${interval}  ${l.basis}`;
    })
    .join('\n');
}

export function registerCalc(program: Command): void {
  program
    .command('calc')
    .description('CTR, CTOR and open rate from counts, with 95% Wilson intervals (email: --delivered/--opens; ads: --impressions)')
    .option('--clicks <n>', 'unique clicks (email) or clicks (ads)')
    .option('--delivered <n>', 'delivered messages (email CTR = clicks ÷ delivered)')
    .option('--opens <n>', 'unique opens (CTOR = clicks ÷ opens)')
    .option('--impressions <n>', 'ad impressions (ad CTR = clicks ÷ impressions)')
    .option('--json', 'print the full-precision result as JSON')
    .action((flags: CalcFlags) => {
      const clicks = parseCount('clicks', flags.clicks);
      if (clicks === undefined) throw new ClickrateError('CR_ERR_BAD_INPUT', '--clicks is required', { field: 'clicks' });
      const input: CalcInput = { clicks };
      const delivered = parseCount('delivered', flags.delivered);
      const opens = parseCount('opens', flags.opens);
      const impressions = parseCount('impressions', flags.impressions);
      if (delivered !== undefined) input.delivered = delivered;
      if (opens !== undefined) input.opens = opens;
      if (impressions !== undefined) input.impressions = impressions;

      const result = calc(input);
      out(flags.json ? JSON.stringify(result, null, 2) : formatCalc(result));
      for (const w of result.warnings) warn(w);
    });
}
