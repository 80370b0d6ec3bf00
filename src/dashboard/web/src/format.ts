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
