// Group write for the tracking edge: the clicks and opens handled in one event-loop turn go to the spool
// in ONE write(2), and their answers leave only after it (one write per turn, not per click).
import type { ServerResponse } from 'node:http';
import type { Spool } from '../tracking/spool.js';
import { type RedirectRoute, RedirectTimings } from './redirect-timings.js';

/** How a queued request is answered once its record is in the spool. */
export type EdgeAnswer = (res: ServerResponse, arg: string) => void;

/**
 * TRICKY: the guarantee "an answered click survives kill -9" holds because no answer is written before
 * the write(2) that holds its record has returned: the answers wait in this queue until `flush`. A
 * setImmediate (check phase) runs after the poll phase has handed us every request that arrived in this
 * turn, so under load one write covers tens of requests; when idle it costs one extra loop turn (~µs).
 */
export class EdgeBatch {
  private text = '';
  private readonly res: ServerResponse[] = [];
  private readonly answers: EdgeAnswer[] = [];
  private readonly args: string[] = [];
  /** Per queued answer: which route and when its handler started (the redirect latency histogram). */
  private readonly routes: RedirectRoute[] = [];
  private readonly starts: number[] = [];
  private scheduled = false;
  private readonly flushBound = () => this.flush();

  constructor(
    private readonly spool: Spool,
    /** Told when a batch could not be recorded (spool full or a disk error); its requests are still answered. */
    private readonly onDrop: (err: unknown, records: number) => void,
    /** Told when one answer threw: that request alone gets a 500 (or is reset); the others are answered. */
    private readonly onAnswerError: (err: unknown, res: ServerResponse) => void,
    /** Where the answers' durations go, once every answer of the batch is written (absent: not timed). */
    private readonly timings?: RedirectTimings,
  ) {}

  /** Queues one record (a JSON line ending in '\n') and the answer to send once it is written. */
  add(line: string, res: ServerResponse, answer: EdgeAnswer, arg: string, route: RedirectRoute, startedAt: number): void {
    this.text += line;
    this.res.push(res);
    this.answers.push(answer);
    this.args.push(arg);
    this.routes.push(route);
    this.starts.push(startedAt);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushBound);
    }
  }

  /** Writes the queued records in one append, then sends every queued answer. */
  flush(): void {
    this.scheduled = false;
    const text = this.text;
    // One record per queued answer: every add() queues both.
    const count = this.res.length;
    this.text = '';
    if (count > 0) {
      try {
        this.spool.appendLines(text, count);
      } catch (err) {
        // TRICKY: the people still get their redirects; losing the records is bad, breaking the clicks worse.
        this.onDrop(err, count);
      }
    }
    const n = this.res.length;
    // TRICKY: this runs in a setImmediate, outside any request's stack: an answer that throws here
    // (a header value Node refuses, a socket torn down) would be an uncaught exception and end the
    // process with every other click of the batch. Each answer is its own error boundary.
    for (let i = 0; i < n; i++) {
      const res = this.res[i]!;
      try {
        this.answers[i]!(res, this.args[i]!);
      } catch (err) {
        this.onAnswerError(err, res);
      }
    }
    // Timed after the answers are out, so the histogram never delays one.
    if (this.timings !== undefined) {
      const end = RedirectTimings.now();
      for (let i = 0; i < n; i++) this.timings.record(this.routes[i]!, this.starts[i]!, end);
    }
    this.res.length = 0;
    this.answers.length = 0;
    this.args.length = 0;
    this.routes.length = 0;
    this.starts.length = 0;
  }
}
