// The import's fast path: the event JSON Schema, derived from zod, compiled by ajv into one function that
// answers valid or not several times faster than zod; zod still writes every reason a person reads.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { ClickrateError } from '../errors.js';
import { eventShapeSchema } from './event.js';
import { typeRuleSchema, type JsonSchema } from './event-rules.js';

/**
 * The JSON Schema (draft 2020-12) of one event on the wire, derived so that zod stays the one source
 * of truth: zod's own translation of the field shapes, plus one branch per event type from
 * event-rules.ts (zod refinements do not translate, which is why the cross-field rules live there).
 */
export function eventJsonSchema(): JsonSchema {
  // `unrepresentable: 'throw'`: a zod check with no JSON Schema form must fail here, loudly, rather
  // than silently vanish from the fast validator and let bad rows through.
  const shape = z.toJSONSchema(eventShapeSchema, { io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  return { ...shape, ...typeRuleSchema() };
}

const DEPRECATED_UNICODE = /option unicode/;

const ajv = new Ajv2020({
  // A schema that ajv would have to guess about (unknown keywords, loose types) throws at startup.
  strict: true,
  // The per-type branches name fields that are declared once at the top of the schema.
  strictRequired: false,
  // Only "valid or not" is asked here, so the first failure is enough.
  allErrors: false,
  // The per-type rules pick their branch by `type` (see event-rules.ts).
  discriminator: true,
  // TRICKY: zod 4 measures a string's length in code points, as ajv does by default, but counting
  // code points (ajv's ucs2length) was 40% of the validator's time. `unicode: false` counts UTF-16
  // units instead, which are never fewer: a maxLength that passes in units passes in code points, so
  // the fast path can only refuse more (a long run of emoji near a limit), and a refused row goes to
  // zod, which decides. That holds for maxLength and for minLength 1, not for a larger minLength
  // (checked below). ajv calls the option deprecated, still honours it, and says so once: muted.
  unicode: false,
  // zod runs its patterns as plain RegExps; ajv would add the `u` flag, which changes what some
  // patterns match. Same flags, same verdicts.
  unicodeRegExp: false,
  logger: {
    log: (...args: unknown[]) => console.log(...args),
    warn: (...args: unknown[]) => {
      if (!DEPRECATED_UNICODE.test(String(args[0]))) console.warn(...args);
    },
    error: (...args: unknown[]) => console.error(...args),
  },
});

/** Refuses a schema where counting UTF-16 units would make the fast path laxer than zod. */
function assertNoLongMinLength(schema: unknown, path = '#'): void {
  if (schema === null || typeof schema !== 'object') return;
  const min = (schema as JsonSchema).minLength;
  if (typeof min === 'number' && min > 1) {
    throw new ClickrateError('CR_ERR_CONFIG', `${path}: minLength ${min} cannot be checked in UTF-16 units; see fast-validate.ts`);
  }
  for (const [k, v] of Object.entries(schema)) assertNoLongMinLength(v, `${path}/${k}`);
}

const schema = eventJsonSchema();
assertNoLongMinLength(schema);
const validate = ajv.compile(schema);

/**
 * True when the (already number-coerced) input passes the schema and per-type rules. False means
 * "ask zod why": zod remains the judge, this is only its fast accept.
 */
export function fastAccepts(input: unknown): boolean {
  return validate(input) === true;
}
