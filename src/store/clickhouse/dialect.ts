// ClickHouse's SQL dialect, written for both Debian's 18.16 and current releases: -If aggregate
// combinators instead of FILTER, uniqExact for distinct counts, explicit join strictness, no table CTEs
// (inlined), UInt8 booleans. Its tables are read through ClickHouseLayout (clickhouse-layout.ts).
import { SqlDialect, type NamedSubqueries, type ParamBag, type ParamType, type SubqueryRef } from '../dialect.js';
import { ClickrateError } from '../../errors.js';
import { MAX_VALUE } from '../../events/event.js';
import { ClickHouseLayout } from './clickhouse-layout.js';

export class ClickHouseDialect extends SqlDialect {
  override readonly name = 'clickhouse';
  override readonly true = '1';
  override readonly false = '0';
  // 18.16 wants the strictness spelled out in places; ANY and ALL agree here since joins are 1:1 on the key.
  override readonly innerJoin = 'ALL INNER JOIN';
  override readonly leftJoin = 'ANY LEFT JOIN';

  constructor() {
    super(new ClickHouseLayout());
  }

  override param(bag: ParamBag, value: string | number, type: ParamType): string {
    // Server-side binding syntax; the store inlines typed literals for servers older than 19.11.
    return `{${bag.add(value, type)}:${type}}`;
  }
  override countIf(cond: string): string {
    return `countIf(${cond})`;
  }
  override sumIf(expr: string, cond: string): string {
    return `ifNull(sumIf(${expr}, ${cond}), 0)`;
  }
  // TRICKY: minIf/anyIf over no matching row give the type's default (0, '') on non-Nullable columns,
  // where SQL gives NULL; the -OrNull combinator is missing from 18.16, hence the explicit guard.
  override minIf(expr: string, cond: string): string {
    return `if(countIf(${cond}) > 0, minIf(${expr}, ${cond}), NULL)`;
  }
  override maxIf(expr: string, cond: string): string {
    return `if(countIf(${cond}) > 0, maxIf(${expr}, ${cond}), NULL)`;
  }
  override anyIf(expr: string, cond: string): string {
    return `if(countIf(${cond}) > 0, anyIf(${expr}, ${cond}), NULL)`;
  }
  override countDistinct(expr: string): string {
    return `uniqExact(${expr})`;
  }
  override countDistinctIf(expr: string, cond: string): string {
    return `uniqExactIf(${expr}, ${cond})`;
  }
  // TRICKY: quantileExact takes the upper of the two middle values of an even count, and 18.16 lacks
  // quantileExactLow; the upper median of the negated values is the lower median, negated.
  override lowerMedian(expr: string): string {
    return `-quantileExact(0.5)(-(${expr}))`;
  }
  override domainOf(expr: string): string {
    const s = `ifNull(${expr}, '')`;
    return `lower(if(position(${s}, '@') > 0, splitByChar('@', ${s})[2], ''))`;
  }
  override dayOf(expr: string): string {
    // Float division and floor, exactly as the standard dialect computes it (intDiv truncates negatives).
    return `toInt64(floor(${expr} / 86400000))`;
  }
  override bucketOf(expr: string, ms: number): string {
    return `toInt64(floor(${expr} / ${Math.trunc(ms)}))`;
  }
  override fixed4(expr: string): string {
    // toInt64 wraps instead of failing; the range test keeps both engines' revenue the same (SqlDialect).
    return `if(abs(${expr}) <= ${MAX_VALUE}, toInt64(floor(${expr} * 10000 + 0.5)), NULL)`;
  }
  override hashBucket(expr: string, n: number): string {
    return `(cityHash64(${expr}) % ${Math.trunc(n)})`;
  }

  /** No table CTEs before 20.x: each reference becomes the subquery itself. */
  override withQuery(ctes: NamedSubqueries, body: (ref: SubqueryRef) => string): string {
    const sqls = new Map<string, string>();
    const ref: SubqueryRef = (name) => {
      const sql = sqls.get(name);
      if (sql === undefined) throw new ClickrateError('CR_ERR_BAD_QUERY', `no subquery named ${name}`);
      return `(${sql})`;
    };
    for (const [name, sql] of ctes) sqls.set(name, sql(ref));
    return body(ref);
  }
}
