// What a request's User-Agent says about who made it: Apple's MPP proxy, the image proxies that fetch
// when a person opens (Gmail, Yahoo), scripted HTTP clients, crawlers (via `isbot`), or an ordinary client.
import { isbot } from 'isbot';

type UaKind =
  | 'unknown' // no UA recorded (imported provider data): says nothing either way
  | 'empty' // the request carried no User-Agent header (no browser or mail client does that)
  | 'apple-mpp' // exactly `Mozilla/5.0`: Apple's Mail Privacy Protection proxy
  | 'image-proxy' // Gmail's or Yahoo's image proxy: fetches when a person opens (human opens)
  | 'scripted' // an HTTP library or command-line client (curl, python-requests, Java, Go …)
  | 'crawler' // anything else `isbot` recognises (spiders, link previewers, headless browsers)
  | 'client'; // a browser or mail client as a person uses it

export interface UaSignal {
  kind: UaKind;
  /** Which proxy or tool, when known: `Gmail`, `Yahoo`, `curl`, `python-requests` … */
  name?: string;
}

// Gmail: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
// (Google Workspace Updates, "Images now showing", Dec 2013). Yahoo: "YahooMailProxy; https://help.yahoo.com/
// kb/yahoo-mail-proxy-SLN28749.html". Both fetch the pixel at the moment the reader opens the message.
const IMAGE_PROXIES: readonly (readonly [RegExp, string])[] = [
  [/GoogleImageProxy/, 'Gmail'],
  [/YahooMailProxy/, 'Yahoo'],
];

// HTTP libraries and CLI tools: no person clicks a link with these. Checked before isbot (which also
// flags most of them) so the reason names the tool. Mimecast's checker sends Apache-HttpClient (Java).
const SCRIPTED: readonly (readonly [RegExp, string])[] = [
  [/^curl\//i, 'curl'],
  [/^Wget\//i, 'wget'],
  [/python-requests|python-urllib|aiohttp|httpx\//i, 'python'],
  [/Go-http-client/i, 'go'],
  [/Apache-HttpClient|^Java\/|\bJava\/\d/i, 'java'],
  [/okhttp/i, 'okhttp'],
  [/^axios\//i, 'axios'],
  [/node-fetch|^undici|^got \(/i, 'node'],
  [/libwww-perl|^lwp-/i, 'perl'],
  [/^PostmanRuntime\//i, 'postman'],
  [/^Ruby|Faraday/i, 'ruby'],
  [/^PHP\/|GuzzleHttp/i, 'php'],
];

/** Apple's MPP proxy sends exactly this and nothing more (observed on every MPP fetch since iOS 15). */
const APPLE_MPP_UA = 'Mozilla/5.0';

function classify(ua: string): UaSignal {
  const t = ua.trim();
  if (t === '') return { kind: 'empty' };
  if (t === APPLE_MPP_UA) return { kind: 'apple-mpp' };
  for (const [re, name] of IMAGE_PROXIES) if (re.test(t)) return { kind: 'image-proxy', name };
  for (const [re, name] of SCRIPTED) if (re.test(t)) return { kind: 'scripted', name };
  // TRICKY: isbot v5 flags the bare `Mozilla/5.0` and both image proxies too; they are handled above
  // because here they mean something else (an MPP prefetch, a person opening).
  if (isbot(t)) return { kind: 'crawler' };
  return { kind: 'client' };
}

/**
 * Apple Mail's own agent: WebKit on a Mac, iPhone or iPad with no browser token after `(KHTML, like
 * Gecko)` (Safari adds `Version/… Safari/…`, in-app browsers their own name), optionally iOS's `Mobile/…`
 * (shared signals README: medama-io/go-useragent issue 10; warmbly's open_class.go).
 */
const APPLE_MAIL_UA = /^Mozilla\/5\.0 \((?:Macintosh|iPhone|iPad)[^)]*\) AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/;

/** True for Apple Mail's own agent (not Safari's, which names Safari). */
export function isAppleMailAgent(ua: string | null | undefined): boolean {
  return ua !== null && ua !== undefined && APPLE_MAIL_UA.test(ua.trim());
}

// The same few hundred UAs repeat across millions of events; isbot's regex is the costly part.
const cache = new Map<string, UaSignal>();
const CACHE_MAX = 20_000;

/** Classifies a User-Agent (null/undefined: not recorded, e.g. imported provider data). */
export function uaSignal(ua: string | null | undefined): UaSignal {
  if (ua === null || ua === undefined) return { kind: 'unknown' };
  let s = cache.get(ua);
  if (s === undefined) {
    s = classify(ua);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(ua, s);
  }
  return s;
}
