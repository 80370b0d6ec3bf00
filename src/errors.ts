// Typed errors with stable codes: every failure a user or caller can act on is a ClickrateError.
// Codes are part of the public contract (CLI exit messages, HTTP error bodies); never rename one.

export type ErrorCode =
  | 'CR_ERR_BAD_INPUT' // a flag, argument or request field is malformed or impossible
  | 'CR_ERR_BAD_EVENT' // an event failed schema validation
  | 'CR_ERR_BAD_FILE' // a file to import failed (one or more bad rows, unreadable, unknown format)
  | 'CR_ERR_NOT_FOUND' // a campaign, message, file or route that does not exist
  | 'CR_ERR_BAD_QUERY' // a report query that cannot be answered (unknown grouping, bad window)
  | 'CR_ERR_STORE' // the store failed or is unreachable
  | 'CR_ERR_MIGRATION' // the database schema is newer than this build, or a migration failed
  | 'CR_ERR_BAD_TOKEN' // a tracking token is forged, truncated or signed with an unknown key
  | 'CR_ERR_UNAUTHORIZED' // missing or wrong API key / session
  | 'CR_ERR_TOO_LARGE' // a body or file over its size limit
  | 'CR_ERR_SPOOL' // the durable spool cannot accept or replay events
  | 'CR_ERR_CONFLICT' // the request contradicts what the store holds (a message that belongs to another campaign)
  | 'CR_ERR_CONFIG' // a configuration value is missing or invalid
  | 'CR_ERR_BACKUP' // a folder given as a backup is not one, or a restore would overwrite a store
  | 'CR_ERR_RATE_LIMITED' // too many failed attempts from one client; details.retry_after_s says when to retry
  | 'CR_ERR_MAILBOX'; // a mailbox to read replies from cannot be reached, logged into or read (IMAP)

export class ClickrateError extends Error {
  readonly code: ErrorCode;
  /** Structured context safe to show a user (file, line, field…). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClickrateError';
    this.code = code;
    this.details = details;
  }
}

export function isClickrateError(err: unknown): err is ClickrateError {
  return err instanceof ClickrateError;
}
