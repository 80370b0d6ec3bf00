// DuckDB's SQL dialect: DuckDB speaks the standard base (aggregate FILTER, $name parameters) as is,
// answers several report parts in one statement (it materializes a CTE referred to more than once) and
// keeps per-message facts (message-facts.ts) for reports to read.
import { ClickrateError } from '../../errors.js';
import { SqlDialect, type PartStatement, type SubqueryRef } from '../dialect.js';
import { currentFacts, FACTS_STALE } from './message-facts.js';

const PART_NAME = /^[a-z_]+$/;

export class DuckDbDialect extends SqlDialect {
  override readonly name = 'duckdb';

  /** `facts`: the file has the message_facts table (schema 5) and reports may read it. */
  constructor(private readonly facts = true) {
    super();
  }

  override messageFacts(campaign: string, stale: boolean): string | null {
    return this.facts ? currentFacts(campaign, stale) : null;
  }

  override factsStale(): string | null {
    return this.facts ? FACTS_STALE : null;
  }

  /**
   * Every part in one statement: `UNION ALL BY NAME` lines up the parts' columns by name (a column a
   * part lacks is NULL in its rows) and `part` tags each row. DuckDB materializes a CTE that several
   * parts refer to, so the campaign's events are read and grouped once for all of them.
   */
  override withParts(ctes: ReadonlyArray<readonly [string, (ref: SubqueryRef) => string]>, parts: ReadonlyArray<readonly [string, (ref: SubqueryRef) => string]>): PartStatement[] {
    if (parts.length < 2) return super.withParts(ctes, parts);
    for (const [name] of parts) {
      // Part names are constants of the compilers, never input; checked because they are spliced in.
      if (!PART_NAME.test(name)) throw new ClickrateError('CR_ERR_BAD_QUERY', `bad part name ${name}`);
    }
    const sql = this.withQuery(ctes, (ref) => parts.map(([name, body]) => `(SELECT '${name}' AS part, * FROM (${body(ref)}) AS p)`).join('\nUNION ALL BY NAME\n'));
    return [{ parts: parts.map(([name]) => name), sql }];
  }
}
