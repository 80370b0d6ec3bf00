// Build step (`npm run build`, after tsc): writes the event validator, compiled by ajv from the schema,
// beside fast-validate.js as dist/src/events/event-validator.js, so that no import thread compiles it again.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventJsonSchema, validatorSource } from './fast-validate.js';

export const VALIDATOR_FILE = fileURLToPath(new URL('./event-validator.js', import.meta.url));

/** Writes the validator module; returns its path. */
export async function buildValidator(file = VALIDATOR_FILE): Promise<string> {
  writeFileSync(file, await validatorSource(eventJsonSchema()));
  return file;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await buildValidator();
  console.log(`event validator written to ${file}`);
}
