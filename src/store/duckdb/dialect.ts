// DuckDB's SQL dialect: DuckDB speaks the standard base (aggregate FILTER, $name parameters) as is.
import { SqlDialect } from '../dialect.js';

export class DuckDbDialect extends SqlDialect {
  override readonly name = 'duckdb';
}
