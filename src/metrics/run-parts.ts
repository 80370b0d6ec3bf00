// Step 4 of the report pipeline for reports compiled as parts (compile-email.ts): runs the statements
// and hands each part its rows, whether the dialect answered all parts in one statement or one each.
import { ClickrateError } from '../errors.js';
import type { BoundParam, CompiledParts, CompiledQuery } from '../store/dialect.js';
import type { Row, Store } from '../store/store.js';

/**
 * The parameters a statement uses. Parts compiled together share one bag, and a statement that answers
 * one part may not refer to a parameter of another; some engines refuse a value for no placeholder.
 */
function paramsOf(sql: string, params: Record<string, BoundParam>): Record<string, BoundParam> {
  const used: Record<string, BoundParam> = {};
  for (const [name, p] of Object.entries(params)) if (new RegExp(`\\b${name}\\b`).test(sql)) used[name] = p;
  return used;
}

/**
 * The rows of each query, in order: all sent at once on a store that takes concurrent queries (a
 * server: each statement there is mostly one thread past its scan, so two on two cores take about the
 * time of the longer), one after another on an embedded connection, which runs one statement at a time.
 */
export async function queryAll(store: Store, queries: readonly CompiledQuery[]): Promise<Row[][]> {
  if (!store.capabilities.concurrentQueries) {
    const rows: Row[][] = [];
    for (const q of queries) rows.push(await store.query(q));
    return rows;
  }
  // TRICKY: settled first, so that when one fails none of the others rejects unobserved.
  const settled = await Promise.allSettled(queries.map((q) => store.query(q)));
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

/** Rows per part name; the statements go through queryAll. */
export async function runParts(store: Store, compiled: CompiledParts): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  const answers = await queryAll(
    store,
    compiled.statements.map((st) => ({ sql: st.sql, params: paramsOf(st.sql, compiled.params) })),
  );
  for (const [i, st] of compiled.statements.entries()) {
    for (const name of st.parts) out.set(name, []);
    const rows = answers[i]!;
    if (st.parts.length === 1) {
      out.set(st.parts[0]!, rows);
      continue;
    }
    for (const row of rows) {
      const list = out.get(String(row.part));
      if (!list) throw new ClickrateError('CR_ERR_STORE', `a report row names an unknown part '${String(row.part)}'`);
      list.push(row);
    }
  }
  return out;
}
