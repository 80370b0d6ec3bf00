// A message's thread subject (its subject without reply and forward prefixes) and the keyed hash of it
// that is stored at send time: a reply's subject is compared with it to tell which of a person's recent
// messages the reply answers (docs/replies.md, weak matching). The subject itself is never stored.
import { createHmac } from 'node:crypto';
import type { Keyring } from './keyring.js';

/** Reply prefixes of the common clients and languages (Re, AW, SV, VS, Antw, Odp, RE[2]…) and forwards. */
const THREAD_PREFIX = /^\s*((re|aw|sv|vs|antw|odp|ynt|r|rif|wg|fw|fwd|tr|doorst|vb|rv|enc)(\[\d+\])?\s*:\s*)+/i;

/** A subject without its reply and forward prefixes, lower-cased and with its spaces folded: the thread's. */
export function threadSubject(subject: string): string {
  return subject.replace(THREAD_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Domain separation: these MACs can never equal a token's or a Message-ID's made with the same key. */
const CONTEXT = 'clickrate thread subject v1\0';
/** 128 bits: collisions between one person's few subjects are out of reach; the hash is not reversible without the key. */
const HASH_BYTES = 16;

function mac(key: Buffer, thread: string): string {
  return createHmac('sha256', key).update(`${CONTEXT}${thread}`, 'utf8').digest().subarray(0, HASH_BYTES).toString('base64url');
}

/**
 * `KID.HASH` of the thread subject of `subject`, made with the ring's current key (the key id is kept so
 * a rotated ring still compares: old keys stay in it); null for a subject with no words.
 */
export function threadSubjectHash(subject: string, ring: Keyring): string | null {
  const thread = threadSubject(subject);
  const key = ring.keys.get(ring.current);
  if (thread === '' || key === undefined) return null;
  return `${ring.current}.${mac(key, thread)}`;
}

/** Whether a stored `KID.HASH` is the hash of `subject`'s thread; false when its key left the ring. */
export function sameThreadSubject(stored: string, subject: string, ring: Keyring): boolean {
  const dot = stored.indexOf('.');
  const key = ring.keys.get(stored.slice(0, dot));
  const thread = threadSubject(subject);
  return dot > 0 && key !== undefined && thread !== '' && mac(key, thread) === stored.slice(dot + 1);
}
