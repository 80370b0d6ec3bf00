// A link's destination as it is signed into a click token and sent back in `Location`: the URL a browser
// would open for the written href, in its ASCII serialization (WHATWG URL), or a reason it cannot be one.

/** Why a written http(s) href cannot be wrapped. */
type DestinationProblem =
  | 'malformed' // the WHATWG parser refuses it (a space in the host, an empty host, a bad port…)
  | 'ambiguous'; // browsers would repair it, other mail clients may not: the reader could land elsewhere

export type Destination = { ok: true; url: string } | { ok: false; problem: DestinationProblem };

/**
 * `scheme://` as written. TRICKY: the WHATWG parser repairs `https:/host`, `https:host` and `http:\\host`
 * into `https://host/` for special schemes (URL Standard §4.4, "special authority slashes state"), but
 * Outlook's and Apple Mail's own link handling is not the URL Standard; a link that only a repair makes
 * valid may open elsewhere, or nowhere, in the reader's client, so it is left as written and named.
 */
const CLEAN_START = /^https?:\/\/(?![/\\])/i;

/**
 * The destination of a trimmed http(s) href. The result is what `new URL(href).href` serializes:
 * the host in lower case and punycode (IDNA, UTS #46), path, query and fragment percent-encoded as
 * UTF-8, so it is always ASCII and a `Location` header can carry it byte for byte; a browser given
 * the original link lands on the same resource (URL Standard §4.4 and §4.5).
 */
export function normalizeDestination(href: string): Destination {
  // A backslash before the query is a path separator to the URL Standard and a literal to RFC 3986.
  const beforeQuery = href.split(/[?#]/, 1)[0] ?? '';
  if (!CLEAN_START.test(href) || beforeQuery.includes('\\')) return { ok: false, problem: 'ambiguous' };
  // TRICKY: tabs and line breaks inside an href (an editor folding a long URL, or an injection attempt
  // such as `&#13;&#10;Set-Cookie:`) are removed by the parser, as every browser does (URL Standard §4.4
  // step 3): the destination is where the browser would go, and it can never split the header.
  let parsed: URL;
  try {
    parsed = new URL(href);
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (parsed.hostname === '' || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return { ok: false, problem: 'malformed' };
  const url = parsed.href;
  // The serializer's output is ASCII for special schemes; checked anyway, since Location depends on it.
  return isAsciiLocation(url) ? { ok: true, url } : { ok: false, problem: 'malformed' };
}

/** Printable ASCII only (no space, no control): safe as an HTTP header value as it is (RFC 9110 §5.5). */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

export function isAsciiLocation(url: string): boolean {
  return PRINTABLE_ASCII.test(url);
}

/**
 * The `Location` for a destination read from a verified token. Tokens signed since destinations were
 * normalized hold ASCII already (one regex test on the hot path); a token signed by an older build may
 * hold the author's spelling, which is normalized here as it would be at wrap time, or null when that
 * is impossible (the edge then answers the invalid-link page, never a broken header).
 */
export function locationFor(url: string): string | null {
  if (isAsciiLocation(url)) return url;
  try {
    const href = new URL(url).href;
    return isAsciiLocation(href) ? href : null;
  } catch {
    return null;
  }
}
