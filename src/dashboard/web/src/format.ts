// How figures read on screen: percentages with two decimals (the CLI's precision), counts with separators,
// n/a for a rate with no denominator, money in the server's currency (CLICKRATE_CURRENCY). The e2e test
// formats the API's numbers the same way.
export const num = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toLocaleString('en-US'));
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)}%`);
export const ci = (v: [number, number] | null | undefined): string => (v ? `95% CI ${v[0].toFixed(2)}–${v[1].toFixed(2)}%` : 'no interval');
export const money = (v: number | null | undefined, currency: string): string =>
  v === null || v === undefined ? 'n/a' : v.toLocaleString('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const signed = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v > 0 ? '+' : ''}${v.toFixed(1)}%`);
export const pValue = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v < 0.0001 ? '< 0.0001' : v.toFixed(4));

const SPANS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];
/** Seconds as their two largest whole units ("4h 12m"), as the text report writes them; n/a for none. */
export function duration(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'n/a';
  const i = SPANS.findIndex(([, n]) => v >= n);
  if (i === -1) return '0s';
  const [unit, size] = SPANS[i]!;
  const next = SPANS[i + 1];
  const rest = next ? Math.floor((v % size) / next[1]) : 0;
  return rest > 0 && next ? `${Math.floor(v / size)}${unit} ${rest}${next[0]}` : `${Math.floor(v / size)}${unit}`;
}
