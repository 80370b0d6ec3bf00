// The parser's own errors in clickrate's form: `clickrate: CR_ERR_BAD_INPUT: unknown option '--campain'
// (did you mean --campaign?)` with exit 2, like every other error of the command line (SPEC.md).
import type { Command, CommanderError, Option } from 'commander';
import { ClickrateError } from '../errors.js';

/** Codes of commander's exits that are not errors: asked-for help and the version. */
const NOT_ERRORS = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Commander's error as a ClickrateError, or null when it was asked-for help (exit as commander says).
 * Its "(Did you mean --campaign?)" line joins the message.
 */
export function parseError(err: CommanderError): ClickrateError | null {
  if (NOT_ERRORS.has(err.code)) return null;
  if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') {
    return new ClickrateError('CR_ERR_BAD_INPUT', 'a command is required (the list is above; `clickrate COMMAND --help` says more)');
  }
  const message = err.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\?\)$/s, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ');
  return new ClickrateError('CR_ERR_BAD_INPUT', message, { parser: err.code });
}

function everyCommand(c: Command): Command[] {
  return [c, ...c.commands.flatMap(everyCommand)];
}

/**
 * Checks required options after unknown ones. TRICKY: commander checks required options first, so a
 * misspelled `--campain x` read as "required option '--campaign <id>' not specified", hiding the typo.
 * Required options become optional to commander, and a preAction hook (which runs after commander has
 * refused unknown options) refuses any still missing with commander's own words.
 */
export function requireAfterUnknown(program: Command): void {
  const required = new Map<Command, Option[]>();
  for (const c of everyCommand(program)) {
    const opts = c.options.filter((o) => o.mandatory);
    for (const o of opts) o.mandatory = false;
    if (opts.length > 0) required.set(c, opts);
  }
  program.hook('preAction', (_root, action) => {
    for (const o of required.get(action) ?? []) {
      if (action.getOptionValue(o.attributeName()) === undefined) {
        throw new ClickrateError('CR_ERR_BAD_INPUT', `required option '${o.flags}' not specified`, { option: o.long ?? o.flags });
      }
    }
  });
}
