// The mailboxes `serve --imap` watches inside the server: each runs until the server stops, and one
// that fails for good (a refused login) is reported and ends alone; tracking and the API go on.
import { redacted, type ImapSource } from './imap-source.js';
import { watchMailbox, type WatchOptions } from './imap-watch.js';

export interface MailboxWatchers {
  /** Stops every watch and waits for each to let go of its connection and of the store. */
  stop(): Promise<void>;
}

export function startMailboxWatchers(sources: readonly ImapSource[], opts: WatchOptions, onFailure: (source: string, err: unknown) => void): MailboxWatchers {
  const stop = new AbortController();
  const runs = sources.map((s) => watchMailbox(s, opts, stop.signal).catch((err: unknown) => onFailure(redacted(s), err)));
  return {
    stop: async () => {
      stop.abort();
      await Promise.all(runs);
    },
  };
}
