// Flattens a report into CSV rows (one per group, or one for the totals): nested figures become
// prefixed columns (raw_ctr, ctr_ci_low, comparison_ctr_p_value…) so a spreadsheet gets every number.
// The dashboard's table exports use the same names and units: the convention is docs/metrics.md "CSV
// exports", and the browser test compares the two cell for cell.
import { stringify } from 'csv-stringify/sync';
import type { Report } from '../metrics/report-types.js';

type Flat = Record<string, string | number | boolean | null>;

/**
 * Text a spreadsheet would run as a formula (OWASP "CSV Injection": cells starting with `=`, `+`, `-`,
 * `@`, tab or carriage return) gets a leading `'`, so Excel, LibreOffice and Sheets show it as text.
 * Campaign, variant, segment and link values come from senders' data, so any of them may be hostile.
 * TRICKY: only text is prefixed. A negative figure (a lift, a CI bound) is a number cell and stays `-2.5`;
 * text that merely looks numeric ("-2+3", a variant named "-1") is still text and is prefixed.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function flatten(obj: Record<string, unknown>, prefix = '', into: Flat = {}): Flat {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}_${k}` : k;
    if (k.endsWith('_ci')) {
      // An interval is [low, high], or null when its rate is undefined: both columns exist either way.
      const ci = Array.isArray(v) ? (v as number[]) : [null, null];
      into[`${name}_low`] = ci[0] ?? null;
      into[`${name}_high`] = ci[1] ?? null;
    } else if (v !== null && typeof v === 'object') {
      flatten(v as Record<string, unknown>, name, into);
    } else {
      into[name] = v === undefined ? null : (v as Flat[string]);
    }
  }
  return into;
}

export function reportToCsv(r: Report): string {
  const rows: Flat[] =
    r.groups.length > 0
      ? (r.groups as unknown as Record<string, unknown>[]).map((g) => ({ campaign: r.campaign, window: r.window, ...flatten(g) }))
      : [{ campaign: r.campaign, window: r.window, key: 'total', ...flatten(r.totals as unknown as Record<string, unknown>) }];
  const all = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  // TRICKY: an object that is null in some groups (the control's `comparison`) flattens to one empty
  // column of its own name beside the prefixed columns of the others; its empty columns say it already.
  const columns = all.filter((c) => !(all.some((o) => o.startsWith(`${c}_`)) && rows.every((row) => row[c] === null || row[c] === undefined)));
  return stringify(rows, { header: true, columns, cast: { boolean: (b) => (b ? 'true' : 'false'), string: spreadsheetSafe } });
}
