// Flattens a report into CSV rows (one per group, or one for the totals): nested figures become
// prefixed columns (raw_ctr, ctr_ci_low, ctr_p_value…) so a spreadsheet gets every number.
import { stringify } from 'csv-stringify/sync';
import type { Report } from '../metrics/report-types.js';

type Flat = Record<string, string | number | boolean | null>;

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
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return stringify(rows, { header: true, columns, cast: { boolean: (b) => (b ? 'true' : 'false') } });
}
