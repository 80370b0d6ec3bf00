// The SQL dialect seam (Kysely's src/dialect/* pattern): how SQL is spelled (aggregates, parameters,
// buckets, named subqueries), apart from where a store keeps its data (StoreLayout, store-layout.ts). The
// compilers write SQL through these primitives; each engine overrides only what differs. Values are
// always bound parameters.
import { MAX_VALUE } from '../events/event.js';
import { StoreLayout, type Verdicts } from './store-layout.js';

export type ParamType = 'String' | 'Int64' | 'Float64';
export interface BoundParam {
  value: string | number;
  type: ParamType;
}
export interface CompiledQuery {
  sql: string;
  params: Record<string, BoundParam>;
}

/** One statement answering one or more named parts; with several, each row's `part` column says which. */
export interface PartStatement {
  parts: string[];
  sql: string;
}

/** Several result sets compiled together over shared subqueries, with one set of bound parameters. */
export interface CompiledParts {
  statements: PartStatement[];
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

/** Refers to a named subquery of withQuery, as a FROM item (the caller adds `AS name`). */
export type SubqueryRef = (name: string) => string;

/** Named subqueries (or parts), each able to refer to earlier ones through `ref`. */
export type NamedSubqueries = ReadonlyArray<readonly [string, (ref: SubqueryRef) => string]>;

/**
 * Standard SQL with aggregate FILTER clauses (DuckDB speaks it as is); engines override what differs.
 * A store hands out its dialect, which carries the layout of that store's tables (`layout`): the
 * compilers take both from it.
 */
export class SqlDialect {
  readonly name: string = 'standard';
  /** Boolean literals (engines without a boolean type use 1 and 0). */
  readonly true: string = 'true';
  readonly false: string = 'false';
  /** Join keywords; both sides of every join in the compilers are unique on the join key. */
  readonly innerJoin: string = 'JOIN';
  readonly leftJoin: string = 'LEFT JOIN';

  constructor(readonly layout: StoreLayout = new StoreLayout()) {}

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
  /** Exact distinct count (never an estimate: reports must match across engines). */
  countDistinct(expr: string): string {
    return `count(DISTINCT ${expr})`;
  }
  countDistinctIf(expr: string, cond: string): string {
    return `count(DISTINCT ${expr}) FILTER (WHERE ${cond})`;
  }
  /**
   * The lower median of `expr` over the group's non-null values: with an even count, the smaller of the
   * two middle values, so it is one of the values and every engine gives the same (metrics.md).
   */
  lowerMedian(expr: string): string {
    return `quantile_disc(${expr}, 0.5)`;
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
    return this.bucketOf(expr, 86_400_000);
  }
  /** Whole buckets of `ms` milliseconds since the epoch; `ms` is a constant of the code, never input. */
  bucketOf(expr: string, ms: number): string {
    return `CAST(floor(${expr} / ${Math.trunc(ms)}) AS BIGINT)`;
  }
  /** A stable bucket 0…n−1 of a text expression, to split work over many rows into bounded chunks. */
  hashBucket(expr: string, n: number): string {
    return `(hash(${expr}) % ${Math.trunc(n)})`;
  }
  /**
   * A money amount as whole ten-thousandths (BIGINT). Sums of these are exact, so every engine and every
   * summation order gives the same revenue; floating-point sums differ in the last digits by order.
   * TRICKY: a value past ±MAX_VALUE (events/event.ts) counts as no value. Entrances refuse such values,
   * but a store written before they did may hold one, and its cast overflowed BIGINT: every report and
   * the per-message facts failed, so the store could not be opened again.
   */
  fixed4(expr: string): string {
    return `CASE WHEN abs(${expr}) <= ${MAX_VALUE} THEN CAST(floor(${expr} * 10000 + 0.5) AS BIGINT) END`;
  }
  coalesce(...exprs: string[]): string {
    return `coalesce(${exprs.join(', ')})`;
  }

  /**
   * Named subqueries, each able to refer to earlier ones, and a body that refers to them: a WITH clause
   * here; engines without table CTEs (ClickHouse before 20.x) inline each reference instead.
   */
  withQuery(ctes: NamedSubqueries, body: (ref: SubqueryRef) => string): string {
    const ref: SubqueryRef = (name) => name;
    return `WITH ${ctes.map(([name, sql]) => `${name} AS (${sql(ref)})`).join(',\n')}\n${body(ref)}`;
  }

  /**
   * Several result sets (parts) over the same named subqueries. Here: one statement per part, each
   * with the subqueries it refers to. Engines that compute a subquery referred to more than once only
   * once override this to answer every part in one statement, so the shared work is done once.
   */
  withParts(ctes: NamedSubqueries, parts: NamedSubqueries): PartStatement[] {
    return parts.map(([name, body]) => ({ parts: [name], sql: this.withQuery(ctes, body) }));
  }

  /**
   * For callers outside the report compilers (classification, explain, the store worker), which read
   * through the store's dialect alone: the layout's events() and messageIn(), and its facts as before the
   * split (null: the store keeps none). The compilers use `layout` and its capabilities directly.
   */
  events(where: string, verdicts: Verdicts = true, campaign?: string): string {
    return this.layout.events(where, verdicts, campaign);
  }
  messageIn(messages: string): string {
    return this.layout.messageIn(messages);
  }
  messageFacts(campaign: string, stale: boolean): string | null {
    return this.layout.capabilities.messageFacts ? this.layout.messageFacts(campaign, stale) : null;
  }
  factsStale(): string | null {
    return this.layout.capabilities.messageFacts ? this.layout.factsStale() : null;
  }
}
