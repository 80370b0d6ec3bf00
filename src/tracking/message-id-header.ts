// The Message-ID clickrate gives every message it wraps, so a reply (which names it in In-Reply-To and
// References, RFC 5322 §3.6.4) leads back to its message: `<cr1.KID.MESSAGE.TAG@TRACKING-HOST>`.
// It lives beside the tokens because wrapping (API, CLI, Nodemailer plugin) writes it; replies/ reads it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ClickrateError } from '../errors.js';
import type { Keyring } from './keyring.js';

/** Format marker and version: a later format gets `cr2`, and old replies still match. */
const PREFIX = 'cr1';
/**
 * 8 bytes = 64 bits of HMAC-SHA256. NIST SP 800-107 rev. 1 §5.3.4 allows truncation and asks for at
 * least 64 bits where the tag is not checked often against an online guesser: forging one only
 * attributes a reply to a message, and message ids are themselves unguessable (wrap-message.ts).
 */
const TAG_BYTES = 8;
/** Domain separation: a click token's MAC can never pass for a Message-ID's, or the reverse. */
const CONTEXT = 'clickrate message-id v1\n';

function tag(key: Buffer, kid: string, encoded: string): string {
  return createHmac('sha256', key).update(`${CONTEXT}${kid}.${encoded}`, 'utf8').digest().subarray(0, TAG_BYTES).toString('base64url');
}

/**
 * The Message-ID header value (with angle brackets) for `message`, on the tracking host. The message id
 * is base64url-encoded: a user-chosen id may hold characters a Message-ID's dot-atom cannot (RFC 5322 §3.2.3).
 */
export function messageIdHeader(message: string, host: string, ring: Keyring): string {
  const key = ring.keys.get(ring.current);
  if (key === undefined) throw new ClickrateError('CR_ERR_CONFIG', `current key "${ring.current}" is not in the keyring`);
  // A domain, or an address literal such as `[::1]` (RFC 5322 §3.6.4: id-right is a dot-atom or a literal).
  if (!/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/.test(host))
    throw new ClickrateError('CR_ERR_BAD_INPUT', `tracking host "${host}" cannot be a Message-ID domain`, { field: 'baseUrl' });
  const encoded = Buffer.from(message, 'utf8').toString('base64url');
  return `<${PREFIX}.${ring.current}.${encoded}.${tag(key, ring.current, encoded)}@${host}>`;
}

/**
 * The clickrate message id inside one Message-ID (`<…>` or bare), or null when it is not one of ours:
 * another format, a key id the ring does not hold, or a MAC that does not verify. Any domain is
 * accepted: the MAC proves the id, and the tracking host may have moved since the message was sent.
 */
export function messageOfMessageId(id: string, ring: Keyring): string | null {
  const bare = id.trim().replace(/^<|>$/g, '');
  const at = bare.lastIndexOf('@');
  if (at <= 0 || bare.length > 1000) return null;
  const parts = bare.slice(0, at).split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const [, kid = '', encoded = '', given = ''] = parts;
  const key = ring.keys.get(kid);
  if (key === undefined || !/^[A-Za-z0-9_-]+$/.test(encoded)) return null;
  // TRICKY: compare the tag as text (as token.ts does): decoding would accept other spellings of its last character.
  const expected = Buffer.from(tag(key, kid, encoded), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  const message = Buffer.from(encoded, 'base64url').toString('utf8');
  return message === '' ? null : message;
}
