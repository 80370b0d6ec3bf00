// What `--imap URL` names: an IMAP mailbox to read answers from (RFC 5092's imap:// form, plus imaps://
// for TLS from the first byte, RFC 8314). The password may come from the environment instead of the
// URL, so it stays out of shell history and process lists; it is never logged (redacted()).
import { ClickrateError } from '../errors.js';

/** The environment variable holding the IMAP password when the URL has none. */
export const IMAP_PASSWORD_ENV = 'CLICKRATE_IMAP_PASSWORD';

export interface ImapSource {
  host: string;
  port: number;
  /** TLS from connect (imaps, port 993 by default); imap:// is plain text, for loopback and tests. */
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
}

function bad(message: string): ClickrateError {
  return new ClickrateError('CR_ERR_BAD_INPUT', message, { field: 'imap' });
}

/** Parses `imaps://USER:PASS@HOST[:PORT]/MAILBOX`; the password falls back to CLICKRATE_IMAP_PASSWORD. */
export function parseImapUrl(text: string, env: NodeJS.ProcessEnv = process.env): ImapSource {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    // Never echo the text: it may hold the password.
    throw bad('--imap is not a URL; write imaps://USER:PASS@HOST[:PORT]/MAILBOX');
  }
  if (u.protocol !== 'imaps:' && u.protocol !== 'imap:') throw bad(`--imap must start with imaps:// or imap://, not ${u.protocol}//`);
  const secure = u.protocol === 'imaps:';
  const user = decodeURIComponent(u.username);
  if (user === '') throw bad('--imap names no user: imaps://USER:PASS@HOST/MAILBOX');
  const password = u.password !== '' ? decodeURIComponent(u.password) : (env[IMAP_PASSWORD_ENV] ?? '');
  if (password === '') throw bad(`--imap has no password: put it in the URL or in ${IMAP_PASSWORD_ENV}`);
  const mailbox = decodeURIComponent(u.pathname.replace(/^\/+/, '')) || 'INBOX';
  const port = u.port === '' ? (secure ? 993 : 143) : Number(u.port);
  if (u.search !== '' || u.hash !== '') throw bad('--imap takes no query or fragment');
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port, secure, user, password, mailbox };
}

/** The source as it may be shown and logged: no password. */
export function redacted(s: ImapSource): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.secure ? 'imaps' : 'imap'}://${encodeURIComponent(s.user)}@${host}:${s.port}/${encodeURIComponent(s.mailbox)}`;
}
