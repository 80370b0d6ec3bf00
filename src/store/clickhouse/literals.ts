// Bound parameters for ClickHouse: server-side `{name:Type}` binding when the server has it (19.11+),
// else the one audited function below that encodes each value as a strict, typed SQL literal.
import { ClickrateError } from '../../errors.js';
import type { BoundParam, CompiledQuery } from '../dialect.js';

/**
 * One value as a ClickHouse literal of its declared type. This is the only place values become SQL text.
 * Strings: single-quoted, with backslash, quote and every control character escaped, so nothing in the
 * value can end the literal or start an escape of its own (ClickHouse string literals honour C escapes,
 * https://clickhouse.com/docs/en/sql-reference/syntax#string). Numbers: checked to be finite (and whole,
 * for Int64) and wrapped in a cast, so the literal's type is the declared one whatever the digits.
 */
export function encodeLiteral(p: BoundParam): string {
  switch (p.type) {
    case 'String': {
      if (typeof p.value !== 'string') throw badParam(p);
      let out = "'";
      for (const ch of p.value) {
        const code = ch.codePointAt(0) as number;
        if (ch === '\\') out += '\\\\';
        else if (ch === "'") out += "\\'";
        else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else out += ch;
      }
      return `${out}'`;
    }
    case 'Int64': {
      const v = p.value;
      if (typeof v === 'number' ? !Number.isSafeInteger(v) : !/^-?\d{1,19}$/.test(v)) throw badParam(p);
      return `toInt64(${String(v)})`;
    }
    case 'Float64': {
      const v = typeof p.value === 'number' ? p.value : Number.NaN;
      if (!Number.isFinite(v)) throw badParam(p);
      return `toFloat64(${String(v)})`;
    }
    default:
      throw badParam(p);
  }
}

function badParam(p: BoundParam): ClickrateError {
  return new ClickrateError('CR_ERR_STORE', `a ${String(p.type)} parameter cannot hold ${JSON.stringify(p.value)}`);
}

/** `{name:Type}` placeholders, as the ClickHouse dialect and store write them. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):(String|Int64|Float64)\}/g;

/**
 * For servers without query parameters: every placeholder replaced by its literal. TRICKY: the SQL text
 * around the placeholders is the compilers' own (values never enter it), so the pattern cannot be
 * forged by data; a placeholder whose type differs from its parameter's is refused, never guessed.
 */
export function inlineParams(q: CompiledQuery): string {
  return q.sql.replace(PLACEHOLDER, (_m, name: string, type: string) => {
    const p = q.params[name];
    if (!p || p.type !== type) throw new ClickrateError('CR_ERR_STORE', `query placeholder {${name}:${type}} has no matching parameter`);
    return encodeLiteral(p);
  });
}

/** Parameters as the client sends them for server-side binding (`param_<name>` in the URL). */
export function serverParams(q: CompiledQuery): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, p] of Object.entries(q.params)) out[name] = p.value;
  return out;
}
