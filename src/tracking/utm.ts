// Adds UTM campaign parameters to destination URLs so web analytics can attribute the visit to the mail.
// Appends only: the existing query string and fragment are kept byte for byte, and UTM values already set win.

import { hasTemplateTag } from './href.js';

/** Google Analytics campaign parameters (support.google.com/analytics/answer/10917952). */
export interface UtmParams {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
  id?: string;
}

/** Parameter order as GA's URL builder writes them, so URLs read the way marketers expect. */
const ORDER: ReadonlyArray<keyof UtmParams> = ['source', 'medium', 'campaign', 'term', 'content', 'id'];

function safeDecode(s: string): string {
  try {
    // application/x-www-form-urlencoded: '+' is a space (WHATWG URL §5.1).
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Names of the query parameters already present (decoded). */
function existingNames(query: string): Set<string> {
  const names = new Set<string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    names.add(safeDecode(eq === -1 ? pair : pair.slice(0, eq)));
  }
  return names;
}

/**
 * Returns `url` with the given UTM parameters appended where the URL does not already carry them.
 * Non-http(s) URLs and URLs containing template tags come back unchanged.
 */
export function addUtm(url: string, params: UtmParams): string {
  if (!/^https?:\/\//i.test(url.trim()) || hasTemplateTag(url)) return url;
  // TRICKY: the fragment starts at the FIRST '#'; a '?' after it belongs to the fragment (RFC 3986 §3.5),
  // e.g. single-page apps' "#/path?x=1" — adding params there would never reach the server.
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt + 1);
  const present = existingNames(query);

  const added: string[] = [];
  for (const key of ORDER) {
    const value = params[key];
    const name = `utm_${key}`;
    if (value === undefined || value === '' || present.has(name)) continue;
    added.push(`${name}=${encodeURIComponent(value)}`);
  }
  if (added.length === 0) return url;

  let joiner: string;
  if (queryAt === -1) joiner = '?';
  else if (query === '' || query.endsWith('&')) joiner = '';
  else joiner = '&';
  return `${beforeHash}${joiner}${added.join('&')}${fragment}`;
}

/** Default UTM values for a campaign's mail: source clickrate, medium email, campaign id. */
export function defaultUtm(campaign: string, content?: string): UtmParams {
  const utm: UtmParams = { source: 'clickrate', medium: 'email', campaign };
  if (content !== undefined && content !== '') utm.content = content;
  return utm;
}
