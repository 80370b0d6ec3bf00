// What the campaign tables share: the line that says whether a table counts people or everything (raw),
// and the CSV columns of an interval, named and valued as `clickrate report --csv` writes them
// (docs/metrics.md, "CSV exports"): `<rate>_ci_low`, `<rate>_ci_high`, percentages as plain numbers.
import type { Cell } from './csv';

export const viewNote = (raw: boolean, of = 'messages'): string =>
  raw
    ? `Raw: every open and click counted, machines included (security scanners, privacy proxies, crawlers). Counts are ${of}.`
    : `People only: machine opens and clicks are set aside. Counts are ${of}.`;

export function ciCsv<R>(name: string, get: (row: R) => [number, number] | null | undefined): Array<[string, (row: R) => Cell]> {
  return [
    [`${name}_ci_low`, (r) => get(r)?.[0] ?? null],
    [`${name}_ci_high`, (r) => get(r)?.[1] ?? null],
  ];
}

/** The columns `report --csv` starts every row with. */
export const csvLead = (campaign: string, window: string | null): Array<[string, Cell]> => [
  ['campaign', campaign],
  ['window', window],
];
