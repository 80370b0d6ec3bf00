// HMAC-SHA256 (RFC 2104, FIPS 180-4) of short ASCII text for verifying tracking tokens on the redirect's
// hot path: the key's padded blocks are hashed once per key, so a token costs its own blocks only.
// Why not node:crypto: each createHmac/createHash builds a stream object, ~2.5–3.5 µs per token, about a
// third of a redirect's CPU on the edge (issue #3); this does the same arithmetic in ~1 µs. hmac.test.ts
// checks it against node:crypto on thousands of inputs. Timing does not depend on the data (adds,
// rotates and xors only; no table indexed by secret bytes).

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

// Scratch space, reused: the edge verifies one token at a time on one thread. The message is written
// into W as big-endian words directly (no byte buffer), and W[16..63] is the schedule.
const W = new Int32Array(64);
const state = new Int32Array(8);

/** One SHA-256 compression of the block in W[0..15] into `h`. */
function compress(h: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

/** A key prepared for HMAC-SHA256: the hash states after its inner and outer padded blocks. */
export interface HmacKey {
  inner: Int32Array;
  outer: Int32Array;
}

export function prepareHmacKey(key: Uint8Array): HmacKey {
  // RFC 2104: keys longer than the block are hashed first; ours are 16–64 bytes, so that path is not taken.
  if (key.length > 64) throw new RangeError('HMAC keys over 64 bytes are not supported here');
  const pad = (byte: number) => {
    const h = new Int32Array(IV);
    for (let i = 0; i < 16; i++) {
      let w = 0;
      for (let j = 0; j < 4; j++) w = (w << 8) | ((i * 4 + j < key.length ? key[i * 4 + j]! : 0) ^ byte);
      W[i] = w;
    }
    compress(h);
    return h;
  };
  return { inner: pad(0x36), outer: pad(0x5c) };
}

/** Ends the hash in `state`: `filled` bytes of the last block are in W; SHA-256 padding and length follow. */
function finish(filled: number, totalBytes: number): void {
  // The 0x80 byte, then zeros to the end of its word.
  const k = filled >> 2;
  const shift = 24 - 8 * (filled & 3);
  W[k] = ((filled & 3) === 0 ? 0 : W[k]!) | (0x80 << shift);
  for (let i = k + 1; i < 16; i++) W[i] = 0;
  if (k >= 14) {
    compress(state);
    for (let i = 0; i < 16; i++) W[i] = 0;
  }
  // The bit length as a 64-bit big-endian number; our messages are far below 2^32 bits.
  W[14] = 0;
  W[15] = totalBytes * 8;
  compress(state);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * HMAC-SHA256 of the first `end` characters of `text`, its first `tagBytes` bytes as unpadded base64url;
 * null when the text is not all ASCII (the caller then uses node:crypto, which handles any UTF-8).
 */
export function hmacTagAscii(key: HmacKey, text: string, end: number, tagBytes: number): string | null {
  state.set(key.inner);
  let filled = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return null;
    const k = filled >> 2;
    W[k] = (filled & 3) === 0 ? c << 24 : W[k]! | (c << (24 - 8 * (filled & 3)));
    if (++filled === 64) {
      compress(state);
      filled = 0;
    }
  }
  finish(filled, 64 + end);
  // Outer hash over the inner digest: 32 bytes, i.e. the 8 state words, in one block with its padding.
  for (let i = 0; i < 8; i++) W[i] = state[i]!;
  state.set(key.outer);
  finish(32, 64 + 32);
  let out = '';
  const byte = (j: number) => (state[j >> 2]! >>> (24 - 8 * (j & 3))) & 0xff;
  let j = 0;
  for (; j + 3 <= tagBytes; j += 3) {
    const n = (byte(j) << 16) | (byte(j + 1) << 8) | byte(j + 2);
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]! + B64URL[n & 63]!;
  }
  if (tagBytes - j === 1) {
    const n = byte(j) << 16;
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]!;
  } else if (tagBytes - j === 2) {
    const n = (byte(j) << 16) | (byte(j + 1) << 8);
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]!;
  }
  return out;
}

/** Compares two strings in time that depends on their length only (the length of a tag is not secret). */
export function equalTextConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
