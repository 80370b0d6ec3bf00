// The bad rows of one file as an import finds them, and the error that names them by file and line
// (SPEC.md: "a bad row is named by file and line"; nothing of the file is stored).
import { ClickrateError } from '../errors.js';

/** Bad rows listed before giving up on the file: enough to see a pattern, not a wall of text. */
const MAX_REPORTED_ERRORS = 20;

/** Bad rows seen so far; throws the file's error once any were found. */
export class BadRows {
  readonly errors: string[] = [];
  count = 0;
  constructor(private readonly file: string) {}
  add(line: number, reason: string): void {
    this.count++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(`${this.file}:${line}: ${reason}`);
  }
  get full(): boolean {
    return this.count >= MAX_REPORTED_ERRORS;
  }
  throwIfAny(): void {
    if (this.count === 0) return;
    const more = this.full ? `\n(stopped after ${MAX_REPORTED_ERRORS} bad rows)` : '';
    throw new ClickrateError('CR_ERR_BAD_FILE', `${this.file} was not imported (nothing from it was stored):\n${this.errors.join('\n')}${more}`, {
      file: this.file,
      errors: this.errors,
    });
  }
}
