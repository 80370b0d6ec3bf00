// Names close to one that was not found (a misspelled campaign), for "did you mean …?". The same measure
// commander uses for options and commands: Damerau–Levenshtein distance, close when at most 40% of the
// name's length differs, or when one name contains the other.
import { ClickrateError, isClickrateError } from '../errors.js';

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      // A swap of two neighbours counts once (`sping` ↔ `spirng`).
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Up to `max` of `names` near `wanted`, nearest first. */
function nearNames(wanted: string, names: readonly string[], max = 3): string[] {
  const w = wanted.toLowerCase();
  return names
    .map((name) => {
      const n = name.toLowerCase();
      const contains = w.length >= 3 && (n.includes(w) || w.includes(n));
      return { name, d: contains ? 0.5 : distance(w, n) };
    })
    .filter((c) => c.d <= Math.max(1, Math.ceil(wanted.length * 0.4)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((c) => c.name);
}

/**
 * A CR_ERR_NOT_FOUND about campaign `wanted` (details.campaign) with the near names added (`…; did you mean 'spring-sale'?`), or
 * pointing at the list when none is near; other errors are returned as they are.
 */
export function withSuggestions(err: unknown, wanted: string, names: readonly string[], listCommand: string): unknown {
  if (!isClickrateError(err) || err.code !== 'CR_ERR_NOT_FOUND' || err.details.campaign !== wanted) return err;
  const near = nearNames(wanted, names);
  const hint = near.length > 0 ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : names.length > 0 ? ` (\`${listCommand}\` lists them)` : '';
  return new ClickrateError(err.code, `${err.message}${hint}`, { ...err.details, suggestions: near }, { cause: err });
}
