// The SQL dialect seam (Kysely's src/dialect/* pattern): the metrics compiler writes SQL through these
// primitives, and each engine's folder overrides only what differs. Values are always bound parameters.
import { MAX_VALUE } from '../events/event.js';

export type ParamType = 'String' | 'Int64' | 'Float64';
/** Which verdict columns a reader of SqlDialect.events() reads (see there). */
export type Verdicts = boolean | 'machine';
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

/** Standard SQL with aggregate FILTER clauses (DuckDB speaks it as is); engines override what differs. */
export class SqlDialect {
  readonly name: string = 'standard';
  /** Boolean literals (engines without a boolean type use 1 and 0). */
  readonly true: string = 'true';
  readonly false: string = 'false';
  /** Join keywords; both sides of every join in the compilers are unique on the join key. */
  readonly innerJoin: string = 'JOIN';
  readonly leftJoin: string = 'LEFT JOIN';
  /**
   * True when verdicts are stored apart from events and joined in by events(): compilers then read
   * without verdicts where none are needed. False: verdicts are event columns and one scan serves all.
   */
  readonly verdictsApart: boolean = false;

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
  withQuery(ctes: ReadonlyArray<readonly [string, (ref: SubqueryRef) => string]>, body: (ref: SubqueryRef) => string): string {
    const ref: SubqueryRef = (name) => name;
    return `WITH ${ctes.map(([name, sql]) => `${name} AS (${sql(ref)})`).join(',\n')}\n${body(ref)}`;
  }

  /**
   * Several result sets (parts) over the same named subqueries. Here: one statement per part, each
   * with the subqueries it refers to. Engines that compute a subquery referred to more than once only
   * once override this to answer every part in one statement, so the shared work is done once.
   */
  withParts(ctes: ReadonlyArray<readonly [string, (ref: SubqueryRef) => string]>, parts: ReadonlyArray<readonly [string, (ref: SubqueryRef) => string]>): PartStatement[] {
    return parts.map(([name, body]) => ({ parts: [name], sql: this.withQuery(ctes, body) }));
  }

  /**
   * A FROM item (the caller adds `AS alias`): the stored events meeting `where` (a condition on the
   * event columns only), each with its current verdict columns machine, reasons and classifier_version
   * — unless `verdicts` is false, when the caller promises not to read them (engines that keep verdicts
   * apart then skip the join), or 'machine', when it reads only machine and the reasons of machine
   * events (a report; engines that keep verdicts apart then join the machine verdicts alone). `campaign`
   * (a bound placeholder), when given, is a campaign every selected event belongs to (names it, or is of
   * a message it sent): engines that sort verdicts by campaign then read that campaign's verdicts only.
   */
  events(where: string, _verdicts: Verdicts = true, _campaign?: string): string {
    return `(SELECT * FROM events WHERE ${where})`;
  }

  /**
   * A FROM item: the campaign's per-message facts, up to date (see src/store/duckdb/message-facts.ts
   * for the columns: send time, bounce flag, labels and engagement events as lists), or null when the
   * engine keeps none; reports then group the campaign's events. `campaign` is a bound placeholder;
   * `stale` false promises that factsStale() was false just before, so no fact needs building.
   */
  messageFacts(_campaign: string, _stale: boolean): string | null {
    return null;
  }

  /** A boolean SQL expression: some stored facts are out of date (null: the engine keeps none). */
  factsStale(): string | null {
    return null;
  }

  /**
   * A condition on event columns: the event names the campaign (`campaign` is a bound placeholder).
   * Engines whose layout sorts by campaign add a key-range condition that selects the same events.
   */
  campaignNamed(campaign: string): string {
    return `campaign = ${campaign}`;
  }

  /**
   * A subquery of `message`: the events naming the campaign that may be orphans (not sends, with a
   * message), given `own`, a FROM item of the events naming it (message, type). Engines that recorded at
   * ingest which events already had a send narrow it to the others.
   */
  orphanCandidates(own: string, _campaign: string): string {
    return `SELECT message FROM ${own} AS o WHERE message IS NOT NULL AND type NOT IN ('sent', 'delivered')`;
  }

  /** A condition on events: the event's message is one of those of `messages`, a subquery of non-null messages. */
  messageIn(messages: string): string {
    return `message IN (${messages})`;
  }

  /**
   * A FROM item: every event of the messages a campaign sent (SPEC.md: a message belongs to the campaign
   * its sent or delivered event names), with verdict columns. `campaign` is a bound placeholder.
   */
  campaignMessageEvents(campaign: string, verdicts: Verdicts = true): string {
    return this.events(`message IN (SELECT message FROM events WHERE campaign = ${campaign} AND message IS NOT NULL AND type IN ('sent', 'delivered'))`, verdicts, campaign);
  }
}
