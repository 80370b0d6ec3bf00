// Small output helpers shared by commands: stdout writing and the warnings channel.
import { safeText } from './safe-text.js';

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A warning for people on stderr; it may quote input (a link of a wrapped message), so it is escaped. */
export function warn(text: string): void {
  process.stderr.write(`warning: ${safeText(text)}\n`);
}
