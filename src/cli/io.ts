// Small output helpers shared by commands: stdout writing, the warnings channel, and what happens when
// the reader of either goes away early (`clickrate report … | head -1`).
import { safeText } from './safe-text.js';

/** Set once stdout's reader has gone: nothing more is written there. */
let stdoutClosed = false;

/** Codes of a write to a pipe or socket whose reader has gone, or to the stream Node closed after it. */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/**
 * A closed stdout or stderr ends the output, not the command. TRICKY: Node ignores SIGPIPE, so a write
 * after the reader went (`| head -1`) fails with EPIPE as an 'error' event, and with no listener that is
 * an uncaught exception and a stack trace. Unix tools die of SIGPIPE (status 141) instead; clickrate
 * takes the reader's leaving as "read enough": it writes nothing more, finishes what it was doing (an
 * import or a demo load is never cut in half, the store closes cleanly) and exits with its own status,
 * 0 on success, so `set -o pipefail` scripts do not fail on `| head`. Other write errors still throw.
 */
export function endOutputQuietly(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (!READER_GONE.has(err.code ?? '')) throw err;
      if (stream === process.stdout) stdoutClosed = true;
    });
  }
}

export function out(text: string): void {
  if (stdoutClosed) return;
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A warning for people on stderr; it may quote input (a link of a wrapped message), so it is escaped. */
export function warn(text: string): void {
  process.stderr.write(`warning: ${safeText(text)}\n`);
}
