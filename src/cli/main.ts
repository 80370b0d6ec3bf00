// Entry point of the command line: builds the commander program from one module per command and turns
// ClickrateErrors into a one-line message and a non-zero exit code. A reader that stops reading early
// (`| head`) ends the output quietly (io.ts).
import { Command, CommanderError } from 'commander';
import { isClickrateError } from '../errors.js';
import { registerCommands } from './commands/index.js';
import { endOutputQuietly } from './io.js';
import { parseError, requireAfterUnknown } from './parse-errors.js';
import { safeText } from './safe-text.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('clickrate')
    .description('Honest click-through and click-to-open rates for email and ads.')
    .exitOverride()
    // The parser's errors are printed by main() in clickrate's form (parse-errors.ts), not by commander.
    .configureOutput({ outputError: () => undefined });
  registerCommands(program);
  requireAfterUnknown(program);
  return program;
}

/**
 * Files the command line makes (the DuckDB file, its WAL and spill folder, keyrings, spools) hold
 * recipients, addresses and secrets: owner-only from their first byte. TRICKY: DuckDB makes a new WAL
 * after every checkpoint; the store chmods it after each write (store/duckdb/owner-only.ts), but only
 * the umask leaves no moment in which another user could open it. The umask is the process's, so it
 * holds in the store worker thread of `serve` too, where it could not be set.
 */
const PRIVATE_UMASK = 0o077;

export async function main(argv: string[]): Promise<void> {
  process.umask(PRIVATE_UMASK);
  endOutputQuietly();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (caught) {
    let err: unknown = caught;
    if (caught instanceof CommanderError) {
      err = parseError(caught);
      if (err === null) {
        process.exitCode = caught.exitCode;
        return;
      }
    }
    if (isClickrateError(err)) {
      // Messages quote campaigns, ids and rows as given or stored: escaped for the terminal.
      process.stderr.write(`clickrate: ${err.code}: ${safeText(err.message)}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
