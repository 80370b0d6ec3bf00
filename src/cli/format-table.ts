// Plain-text tables and number formats for the terminal: right-aligned figures, left-aligned labels.
// Every cell is stored text or made from it, so each goes through safeText.
import { safeText } from './safe-text.js';

export type Cell = string | number | null;

export const fmtInt = (n: number): string => n.toLocaleString('en-US');
export const fmtPct = (n: number | null, digits = 2): string => (n === null ? 'n/a' : `${n.toFixed(digits)}%`);
export const fmtCi = (ci: [number, number] | null): string => (ci === null ? '' : `${ci[0].toFixed(1)}–${ci[1].toFixed(1)}%`);
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** A duration in seconds as its two largest whole units ("4h 12m", "2d 3h", "45s"); n/a for none. */
export function fmtDuration(s: number | null): string {
  if (s === null) return 'n/a';
  const at = Math.max(
    0,
    UNITS.findIndex(([, n]) => s >= n),
  );
  const [big, size] = s < 1 ? (['s', 1] as const) : UNITS[at]!;
  const small = s < 1 ? undefined : UNITS[at + 1];
  const rest = small ? Math.floor((s % size) / small[1]) : 0;
  return `${Math.floor(s / size)}${big}${rest > 0 && small ? ` ${rest}${small[0]}` : ''}`;
}
export const fmtMoney = (n: number): string => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Renders rows under a header; the first column is left-aligned, the others right-aligned. Cells are
 * escaped (safe-text.ts) before widths are measured, so an escaped name still lines up.
 */
export function table(header: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null ? '—' : safeText(String(c)))));
  const head = header.map(safeText);
  const widths = head.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}
