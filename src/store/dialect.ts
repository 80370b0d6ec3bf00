// The SQL dialect seam (Kysely's src/dialect/* pattern): the metrics compiler writes SQL through these
// primitives, and each engine's folder overrides only what differs. Values are always bound parameters.

export type ParamType = 'String' | 'Int64' | 'Float64';
export interface BoundParam {
  value: string | number;
  type: ParamType;
}
export interface CompiledQuery {
  sql: string;
  params: Record<string, BoundParam>;
}

/** Collects bound parameters while a query is being compiled; names are p0, p1, … */
export class ParamBag {
  readonly params: Record<string, BoundParam> = {};
  private n = 0;
  add(value: string | number, type: ParamType): string {
    const name = `p${this.n++}`;
    this.params[name] = { value, type };
    return name;
  }
}

/** Standard SQL with aggregate FILTER clauses (DuckDB speaks it as is); engines override what differs. */
export class SqlDialect {
  readonly name: string = 'standard';

  /** A placeholder for a bound value. */
  param(bag: ParamBag, value: string | number, type: ParamType): string {
    return `$${bag.add(value, type)}`;
  }
  countIf(cond: string): string {
    return `count(*) FILTER (WHERE ${cond})`;
  }
  sumIf(expr: string, cond: string): string {
    return `coalesce(sum(${expr}) FILTER (WHERE ${cond}), 0)`;
  }
  minIf(expr: string, cond: string): string {
    return `min(${expr}) FILTER (WHERE ${cond})`;
  }
  maxIf(expr: string, cond: string): string {
    return `max(${expr}) FILTER (WHERE ${cond})`;
  }
  anyIf(expr: string, cond: string): string {
    return `any_value(${expr}) FILTER (WHERE ${cond})`;
  }
  countDistinctIf(expr: string, cond: string): string {
    return `count(DISTINCT ${expr}) FILTER (WHERE ${cond})`;
  }
  /** 1 when any row of the group meets cond, else 0. */
  anyTrue(cond: string): string {
    return `max(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  }
  /** The lower-cased domain of an address-like string; '' when there is no '@'. */
  domainOf(expr: string): string {
    return `lower(CASE WHEN strpos(${expr}, '@') > 0 THEN split_part(${expr}, '@', 2) ELSE '' END)`;
  }
  /** Whole days since the epoch of an epoch-milliseconds expression. */
  dayOf(expr: string): string {
    return `CAST(floor(${expr} / 86400000) AS BIGINT)`;
  }
  /** A stable bucket 0…n−1 of a text expression, to split work over many rows into bounded chunks. */
  hashBucket(expr: string, n: number): string {
    return `(hash(${expr}) % ${Math.trunc(n)})`;
  }
  coalesce(...exprs: string[]): string {
    return `coalesce(${exprs.join(', ')})`;
  }
}
