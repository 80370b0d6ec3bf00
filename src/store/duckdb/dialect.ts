// DuckDB's SQL dialect and the layout of its store. DuckDB speaks the standard base (aggregate FILTER,
// $name parameters) as is and answers several report parts in one statement (it materializes a CTE
// referred to more than once); its layout is the plain one, plus per-message facts (message-facts.ts).
import { ClickrateError } from '../../errors.js';
import { SqlDialect, type NamedSubqueries, type PartStatement } from '../dialect.js';
import { StoreLayout, type LayoutCapabilities } from '../store-layout.js';
import { currentFacts, FACTS_STALE } from './message-facts.js';

const PART_NAME = /^[a-z_]+$/;

/** The plain layout (verdicts are event columns), with the message_facts table when the file has it. */
class DuckDbLayout extends StoreLayout {
  override readonly capabilities: LayoutCapabilities;

  /** `facts`: the file has the message_facts table (schema 5) and reports may read it. */
  constructor(facts: boolean) {
    super();
    this.capabilities = { verdictsApart: false, messageFacts: facts };
  }

  override messageFacts(campaign: string, stale: boolean): string {
    return this.capabilities.messageFacts ? currentFacts(campaign, stale) : super.messageFacts(campaign, stale);
  }

  override factsStale(): string {
    return this.capabilities.messageFacts ? FACTS_STALE : super.factsStale();
  }
}

export class DuckDbDialect extends SqlDialect {
  override readonly name = 'duckdb';

  /** `facts`: the file has the message_facts table (schema 5) and reports may read it. */
  constructor(facts = true) {
    super(new DuckDbLayout(facts));
  }

  /**
   * Every part in one statement: `UNION ALL BY NAME` lines up the parts' columns by name (a column a
   * part lacks is NULL in its rows) and `part` tags each row. DuckDB materializes a CTE that several
   * parts refer to, so the campaign's events are read and grouped once for all of them.
   */
  override withParts(ctes: NamedSubqueries, parts: NamedSubqueries): PartStatement[] {
    if (parts.length < 2) return super.withParts(ctes, parts);
    for (const [name] of parts) {
      // Part names are constants of the compilers, never input; checked because they are spliced in.
      if (!PART_NAME.test(name)) throw new ClickrateError('CR_ERR_BAD_QUERY', `bad part name ${name}`);
    }
    const sql = this.withQuery(ctes, (ref) =>
      parts.map(([name, body]) => `(SELECT '${name}' AS part, * FROM (${body(ref)}) AS p)`).join('\nUNION ALL BY NAME\n'),
    );
    return [{ parts: parts.map(([name]) => name), sql }];
  }
}
