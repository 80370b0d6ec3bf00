// Text every store can hold: well-formed Unicode. A lone UTF-16 surrogate (JSON's `"\ud800"`) is valid
// JSON and a valid JavaScript string, but it has no UTF-8 form: DuckDB's JSON reader refuses the whole
// batch that holds one ("no low surrogate"), and other stores replace it. So every entrance refuses it.

/** Node 20 has String.prototype.isWellFormed (ES2024); the compile target's library predates it. */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored, naming the character and where it is; null when it is well-formed. */
export function illFormedReason(s: string): string | null {
  // isWellFormed first: V8 answers one-byte strings (all of JSON.parse's ASCII output) without a scan.
  if (isWellFormed(s)) return null;
  const m = LONE_SURROGATE.exec(s);
  const at = m?.index ?? 0;
  const unit = s.charCodeAt(at).toString(16).toUpperCase();
  return `contains a lone surrogate (U+${unit}) at character ${at + 1}; text must be well-formed Unicode`;
}

/** The first string field of a flat record that is not well-formed, as `field: reason`, or null. */
export function illFormedField(record: Readonly<Record<string, unknown>>): string | null {
  for (const key in record) {
    const v = record[key];
    if (typeof v !== 'string') continue;
    const reason = illFormedReason(v);
    if (reason !== null) return `${key}: ${reason}`;
  }
  return null;
}

/** The path and reason of the first ill-formed string anywhere in a JSON value (request bodies), or null. */
export function illFormedPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    const reason = illFormedReason(value);
    return reason === null ? null : `${path || 'body'}: ${reason}`;
  }
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedPath(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    // A key is text the store may keep too (an unknown field is named in an error message).
    const keyReason = illFormedReason(k);
    if (keyReason !== null) return `${path || 'body'}: a field name ${keyReason}`;
    const found = illFormedPath(v, path ? `${path}.${k}` : k);
    if (found !== null) return found;
  }
  return null;
}
