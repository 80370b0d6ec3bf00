// Step 4 of the report pipeline for reports compiled as parts (compile-email.ts): runs the statements
// and hands each part its rows, whether the dialect answered all parts in one statement or one each.
import { ClickrateError } from '../errors.js';
import type { BoundParam, CompiledParts } from '../store/dialect.js';
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
 * Rows per part name. Queries run one after another on an embedded store (one connection runs one
 * statement at a time), all at once on a server (Store.concurrentQueries): each statement there is
 * mostly one thread past its scan, so two statements on two cores take about the time of the longer.
 */
export async function runParts(store: Store, compiled: CompiledParts): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  const run = (sql: string) => store.query({ sql, params: paramsOf(sql, compiled.params) });
  const answers = store.concurrentQueries ? compiled.statements.map((st) => run(st.sql)) : [];
  // TRICKY: every promise is awaited below even when an earlier one fails, so none rejects unobserved.
  if (answers.length > 0) await Promise.allSettled(answers);
  for (const [i, st] of compiled.statements.entries()) {
    for (const name of st.parts) out.set(name, []);
    const rows = await (answers[i] ?? run(st.sql));
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
