// A progress line on a terminal: one line rewritten in place, at most a few times a second, and wiped
// before the command prints its result; nothing at all when the stream is not a terminal (pipes, CI, logs).
import type { WriteStream } from 'node:tty';

/** Rewrites at most this often: a 100M-event import reports after every block of lines. */
const MIN_INTERVAL_MS = 250;

export class ProgressLine {
  private last = 0;
  private shown = false;

  constructor(
    private readonly stream: Pick<WriteStream, 'write'> & { isTTY?: boolean } = process.stderr,
    private readonly now: () => number = Date.now,
  ) {}

  /** Shows `text` in place of the previous line; `force` shows it even within the interval. */
  update(text: string, force = false): void {
    if (!this.stream.isTTY) return;
    const t = this.now();
    if (!force && this.shown && t - this.last < MIN_INTERVAL_MS) return;
    this.last = t;
    this.shown = true;
    // \r back to the line's start, the text, then erase whatever a longer previous text left.
    this.stream.write(`\r${text}\x1b[K`);
  }

  /** Wipes the line, so that what is printed next starts on a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.shown = false;
    this.stream.write('\r\x1b[K');
  }
}
