// Nodemailer 'compile' plugin: wraps each outgoing message's links and adds the open pixel (via wrapMessage)
// before Nodemailer builds the MIME tree, and records the message's `sent` event. No runtime nodemailer import.

import { ClickrateError } from '../errors.js';
import { KEYRING_ENV, KEYRING_FILE_ENV, loadKeyringFromEnv, type Keyring } from './keyring.js';
import type { UtmParams } from './utm.js';
import { normalizeBaseUrl, wrapMessage, type TrackingPolicy, type WrapInput, type WrapOptions, type WrapResult } from './wrap-message.js';

/** Per-message input headers (removed before sending) and the correlation header the plugin sets. */
export const CLICKRATE_HEADERS = Object.freeze({
  campaign: 'X-Clickrate-Campaign',
  recipient: 'X-Clickrate-Recipient',
  step: 'X-Clickrate-Step',
  variant: 'X-Clickrate-Variant',
  segment: 'X-Clickrate-Segment',
  message: 'X-Clickrate-Message',
});

type ClickrateField = keyof typeof CLICKRATE_HEADERS;
// Re-exported so an app needs only this entry point to build the keyring.
export { createKeyring, loadKeyringFromEnv, loadKeyringFile, parseKeyringJson, type Keyring } from './keyring.js';

const FIELDS = Object.keys(CLICKRATE_HEADERS) as ClickrateField[];
const INPUT_HEADER_NAMES = new Set(Object.values(CLICKRATE_HEADERS).map((h) => h.toLowerCase()));

/** What the `clickrate` field of the mail data (or the X-Clickrate-* headers) says about one message. */
export interface ClickrateMailData {
  campaign: string;
  /** Recipient id; defaults to the first address of `to` (lower-cased). */
  recipient?: string;
  step?: number;
  variant?: string;
  segment?: string;
  /** Message id; generated (unguessable) when absent. */
  message?: string;
}

/** The `sent` event of SPEC.md, as posted to /api/v1/events. */
export interface SentEvent {
  type: 'sent';
  ts: string;
  message: string;
  campaign: string;
  recipient: string;
  step?: number;
  variant?: string;
  segment?: string;
}

/** What onWrapped receives: wrapMessage's result (plus the plugin's own warnings) and the sent event to record. */
export interface NodemailerTrackingResult extends WrapResult {
  sent: SentEvent;
}

/**
 * The part of Nodemailer's MailMessage the plugin touches. Structural on purpose: the package must not
 * depend on nodemailer at runtime, and every field is `unknown` so Nodemailer's own (and @types') MailMessage
 * is assignable to it whichever typings the app uses.
 */
export interface NodemailerMail {
  data: {
    html?: unknown;
    text?: unknown;
    amp?: unknown;
    watchHtml?: unknown;
    from?: unknown;
    to?: unknown;
    cc?: unknown;
    bcc?: unknown;
    headers?: unknown;
    clickrate?: unknown;
  };
}

/** Nodemailer's plugin callback. The plugin never passes an error: tracking must not stop a send. */
export type NodemailerPluginCallback = (err?: null) => void;
export type NodemailerCompilePlugin = (mail: NodemailerMail, callback: NodemailerPluginCallback) => void;

/** Any logger with these methods works (console, pino, winston). Messages never contain the API key. */
export interface ClickrateLogger {
  warn(message: string): void;
  error?(message: string): void;
  debug?(message: string): void;
}

export interface ClickrateNodemailerOptions {
  /** Public origin of the tracking server (`clickrate serve --base-url`). */
  baseUrl: string;
  /** Signing keys; must be the keyring the tracking server verifies with. Default: CLICKRATE_KEYRING(_FILE). */
  keyring?: Keyring;
  tracking?: WrapOptions['tracking'];
  /** Insert the open pixel (default true). */
  pixel?: boolean;
  /** From: domain for the domain-mismatch warning; defaults to each message's From address. */
  senderDomain?: string;
  utm?: UtmParams;
  /** Called after a message is wrapped, before it is sent: e.g. record `result.sent` yourself. Errors are logged, never thrown. */
  onWrapped?: (result: NodemailerTrackingResult, mail: NodemailerMail) => void | Promise<void>;
  /** clickrate server to POST the `sent` event to (`${apiUrl}/api/v1/events`); needs apiKey. */
  apiUrl?: string;
  apiKey?: string;
  /** Give up on the POST after this long (default 5000 ms); the mail is sent either way. */
  apiTimeoutMs?: number;
  /** Where warnings and recording failures go (default: console). */
  logger?: ClickrateLogger;
}

const DEFAULT_API_TIMEOUT_MS = 5000;
/** Distinct warnings logged per plugin instance; a bulk send of one template repeats the same ones. */
const MAX_REMEMBERED_WARNINGS = 500;

// Messages already handled, so a plugin registered twice (or two instances) cannot wrap tracked links again.
const processed = new WeakSet<object>();

function configError(message: string, field: string, cause?: unknown): ClickrateError {
  return new ClickrateError('CR_ERR_CONFIG', message, { field }, cause === undefined ? undefined : { cause });
}

/** Headers for sendMail's `headers` option: the typed way to tag a message from TypeScript. */
export function clickrateHeaders(data: ClickrateMailData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = data[field];
    if (value !== undefined) out[CLICKRATE_HEADERS[field]] = String(value);
  }
  return out;
}

/**
 * A Nodemailer 'compile' plugin: `transporter.use('compile', clickrateTracking({...}))`.
 * Throws ClickrateError('CR_ERR_CONFIG') for bad options; per-message problems are logged and the message
 * is sent untracked.
 */
export function clickrateTracking(options: ClickrateNodemailerOptions): NodemailerCompilePlugin {
  const settings = checkOptions(options);
  const keyring = settings.keyring;
  const logger: ClickrateLogger = options.logger ?? { warn: (m) => console.warn(m), error: (m) => console.error(m) };
  const seenWarnings = new Set<string>();
  const log = (level: 'warn' | 'error' | 'debug', message: string): void => {
    const line = `clickrate nodemailer: ${message}`;
    try {
      if (level === 'warn') logger.warn(line);
      else if (level === 'error') (logger.error ?? logger.warn).call(logger, line);
      else logger.debug?.(line);
    } catch {
      // A broken logger must not break sending either.
    }
  };
  const warnOnce = (message: string): void => {
    if (seenWarnings.has(message)) return;
    if (seenWarnings.size < MAX_REMEMBERED_WARNINGS) seenWarnings.add(message);
    log('warn', message);
  };

  const track = async (mail: NodemailerMail): Promise<void> => {
    const data = mail.data;
    if (processed.has(data)) {
      warnOnce('a message went through the clickrate plugin twice (registered twice?); the second pass left it alone');
      return;
    }
    processed.add(data);

    const found = readClickrateData(data);
    if (found.stripped) data.headers = found.headers;
    if ('clickrate' in data) delete data.clickrate;
    if (!found.any) {
      // Transactional mail (password resets…) usually shares the transporter: untracked is the normal case.
      log('debug', 'message has no clickrate campaign; sent untracked');
      return;
    }
    const prepared = prepareInput(data, found.values);
    if (!prepared.ok) {
      warnOnce(`${prepared.reason}; the message was sent untracked`);
      return;
    }
    const { input, warnings } = prepared;

    let result: WrapResult;
    try {
      result = wrapMessage(input, {
        baseUrl: settings.baseUrl,
        keyring,
        tracking: options.tracking,
        pixel: options.pixel,
        senderDomain: options.senderDomain ?? firstAddress(data.from),
        utm: options.utm,
      });
    } catch (err) {
      warnOnce(`cannot wrap the message (${errorText(err)}); it was sent untracked`);
      return;
    }
    if (result.html !== undefined) data.html = result.html;
    if (result.text !== undefined) data.text = result.text;
    // Set after wrapping succeeded, so an untracked message never claims a message id. Replies and bounce
    // reports usually quote the original headers: this is how they find their message.
    data.headers = setHeader(data.headers, CLICKRATE_HEADERS.message, result.message);

    result.warnings = [...warnings, ...result.warnings];
    for (const w of result.warnings) warnOnce(w);

    const sent: SentEvent = { type: 'sent', ts: new Date().toISOString(), message: result.message, campaign: input.campaign, recipient: input.recipient };
    if (input.step !== undefined) sent.step = input.step;
    if (input.variant !== undefined) sent.variant = input.variant;
    if (input.segment !== undefined) sent.segment = input.segment;

    // TRICKY: `sent` is recorded before the transport sends (a compile plugin never learns the outcome),
    // like POST /api/v1/wrap does. A send that then fails should be reported as `bounced` for this message id.
    const tasks: Promise<void>[] = [];
    if (options.onWrapped !== undefined) {
      const onWrapped = options.onWrapped;
      tasks.push(
        (async () => onWrapped({ ...result, sent }, mail))().catch((err: unknown) => {
          log('error', `onWrapped failed for message ${result.message} (mail sent anyway): ${errorText(err)}`);
        }),
      );
    }
    if (settings.api !== undefined) {
      tasks.push(
        postSent(settings.api, sent).catch((err: unknown) => {
          log('error', `could not record the sent event of message ${result.message} (mail sent anyway): ${errorText(err)}`);
        }),
      );
    }
    await Promise.all(tasks);
  };

  return (mail, callback) => {
    // Every failure inside track() is already logged; this catch is for the unforeseen, and still sends.
    track(mail)
      .catch((err: unknown) => log('error', `tracking failed (mail sent anyway): ${errorText(err)}`))
      .then(() => callback());
  };
}

interface ApiSettings {
  eventsUrl: string;
  apiKey: string;
  timeoutMs: number;
}

function checkOptions(options: ClickrateNodemailerOptions): { baseUrl: string; keyring: Keyring; api?: ApiSettings } {
  if (typeof options !== 'object' || options === null) throw configError('clickrateTracking needs an options object', 'options');
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(options.baseUrl);
  } catch (err) {
    throw configError(`baseUrl: ${errorText(err)}`, 'baseUrl', err);
  }
  // The env fallback throws CR_ERR_CONFIG itself for a malformed keyring.
  const ring = (options.keyring as Keyring | undefined | null) ?? loadKeyringFromEnv();
  if (ring === undefined) {
    throw configError(`keyring is required: pass one, or set ${KEYRING_ENV} or ${KEYRING_FILE_ENV} (the tracking server's keyring)`, 'keyring');
  }
  if (!(ring.keys instanceof Map) || !ring.keys.has(ring.current)) {
    throw configError('keyring: its current key must be in it (see createKeyring)', 'keyring');
  }
  const policy: TrackingPolicy | undefined = typeof options.tracking === 'function' ? undefined : options.tracking;
  if (typeof policy === 'object' && (!Number.isSafeInteger(policy.firstN) || policy.firstN < 0)) {
    throw configError('tracking policy firstN must be an integer >= 0', 'tracking');
  }
  for (const fn of ['onWrapped'] as const) {
    if (options[fn] !== undefined && typeof options[fn] !== 'function') throw configError(`${fn} must be a function`, fn);
  }
  if (options.logger !== undefined && typeof options.logger?.warn !== 'function') {
    throw configError('logger needs at least a warn(message) method', 'logger');
  }
  if (options.apiUrl === undefined && options.apiKey === undefined) return { baseUrl, keyring: ring };
  if (typeof options.apiUrl !== 'string' || options.apiUrl.trim() === '') throw configError('apiKey is set but apiUrl is missing', 'apiUrl');
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw configError('apiUrl is set but apiKey is missing (clickrate keys create)', 'apiKey');
  }
  let api: URL;
  try {
    api = new URL(options.apiUrl);
  } catch (err) {
    throw configError(`apiUrl "${options.apiUrl}" is not a URL; use e.g. https://t.example.com`, 'apiUrl', err);
  }
  if ((api.protocol !== 'http:' && api.protocol !== 'https:') || api.search !== '' || api.hash !== '' || api.username !== '') {
    throw configError(`apiUrl "${options.apiUrl}" must be http(s) with no query, fragment or credentials`, 'apiUrl');
  }
  const timeoutMs = options.apiTimeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw configError('apiTimeoutMs must be a whole number of milliseconds >= 1', 'apiTimeoutMs');
  // A path prefix is kept (a server mounted under /clickrate); only trailing slashes go.
  const eventsUrl = `${api.href.replace(/\/+$/, '')}/api/v1/events`;
  return { baseUrl, keyring: ring, api: { eventsUrl, apiKey: options.apiKey.trim(), timeoutMs } };
}

async function postSent(api: ApiSettings, event: SentEvent): Promise<void> {
  const res = await fetch(api.eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.apiKey}` },
    body: JSON.stringify(event),
    // Sending waits for this: a hung server must cost at most the timeout, not the mail.
    signal: AbortSignal.timeout(api.timeoutMs),
  });
  const body = await res.text(); // read to the end so the connection can be reused
  if (!res.ok) throw new Error(`${api.eventsUrl} answered HTTP ${res.status}: ${body.slice(0, 300)}`);
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    // fetch's "fetch failed" hides the useful part (ECONNREFUSED…) in the cause.
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

// ---- per-message data ----

type RawValues = Partial<Record<ClickrateField, unknown>>;

interface FoundData {
  /** Any clickrate input at all (field or headers)? */
  any: boolean;
  values: RawValues;
  /** Were input headers removed? Then `headers` is the new headers value. */
  stripped: boolean;
  headers: unknown;
}

interface HeaderEntry {
  key: string;
  value: unknown;
}

/** Reads the `clickrate` field and the X-Clickrate-* headers; the field wins where both give a value. */
function readClickrateData(data: NodemailerMail['data']): FoundData {
  const values: RawValues = {};
  let any = false;
  const { entries, rebuild } = headerEntries(data.headers);
  const kept: HeaderEntry[] = [];
  for (const entry of entries) {
    const name = entry.key.toLowerCase();
    if (!INPUT_HEADER_NAMES.has(name)) {
      kept.push(entry);
      continue;
    }
    any = true;
    const field = FIELDS.find((f) => CLICKRATE_HEADERS[f].toLowerCase() === name);
    if (field !== undefined && values[field] === undefined) values[field] = headerText(entry.value);
  }
  const stripped = kept.length !== entries.length;

  const field = data.clickrate;
  if (field !== undefined && field !== null) {
    any = true;
    if (typeof field === 'object' && !Array.isArray(field)) {
      for (const f of FIELDS) {
        const v = (field as Record<string, unknown>)[f];
        if (v !== undefined && v !== null) values[f] = v;
      }
    } else {
      values.campaign = { invalid: 'the clickrate field must be an object like {campaign: "spring"}' };
    }
  }
  return { any, values, stripped, headers: stripped ? rebuild(kept) : data.headers };
}

/**
 * Nodemailer takes headers as {name: value}, [{key, value}] or a single {key, value}. Returns the entries
 * and a function that writes entries back in the same form — always a new object: the app may reuse its
 * headers object for the next message, so it is never mutated.
 */
function headerEntries(headers: unknown): { entries: HeaderEntry[]; rebuild: (entries: HeaderEntry[]) => unknown } {
  if (headers === undefined || headers === null || typeof headers !== 'object') {
    return { entries: [], rebuild: (e) => Object.fromEntries(e.map((h) => [h.key, h.value])) };
  }
  const isEntry = (h: unknown): h is HeaderEntry => typeof h === 'object' && h !== null && typeof (h as HeaderEntry).key === 'string' && 'value' in h;
  if (Array.isArray(headers)) {
    const list: unknown[] = headers;
    const rest = list.filter((h) => !isEntry(h)); // malformed items: Nodemailer's problem, passed through
    return { entries: list.filter(isEntry), rebuild: (e) => [...e, ...rest] };
  }
  if (isEntry(headers)) return { entries: [headers], rebuild: (e) => e };
  return {
    entries: Object.entries(headers).map(([key, value]) => ({ key, value })),
    rebuild: (e) => Object.fromEntries(e.map((h) => [h.key, h.value])),
  };
}

/** A header value as text: strings, numbers, the first of a list, or a prepared {value}. */
function headerText(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return headerText(value[0]);
  if (typeof value === 'object' && value !== null && 'value' in value) return headerText((value as { value: unknown }).value);
  return value;
}

function setHeader(headers: unknown, key: string, value: string): unknown {
  const { entries, rebuild } = headerEntries(headers);
  const lower = key.toLowerCase();
  return rebuild([...entries.filter((h) => h.key.toLowerCase() !== lower), { key, value }]);
}

type Prepared = { ok: true; input: WrapInput; warnings: string[] } | { ok: false; reason: string };

function label(values: RawValues, field: 'campaign' | 'recipient' | 'variant' | 'segment' | 'message'): string | undefined | { error: string } {
  const v = values[field];
  if (v === undefined) return undefined;
  if (typeof v === 'object' && v !== null && 'invalid' in v) return { error: String((v as { invalid: unknown }).invalid) };
  if (typeof v !== 'string' || v.trim() === '') return { error: `clickrate ${field} must be a non-empty string` };
  return v.trim();
}

function prepareInput(data: NodemailerMail['data'], values: RawValues): Prepared {
  const input: Partial<WrapInput> = {};
  for (const field of ['campaign', 'recipient', 'variant', 'segment', 'message'] as const) {
    const v = label(values, field);
    if (typeof v === 'object') return { ok: false, reason: v.error };
    if (v !== undefined) input[field] = v;
  }
  if (input.campaign === undefined) return { ok: false, reason: `clickrate data without a campaign (set clickrate.campaign or ${CLICKRATE_HEADERS.campaign})` };
  if (values.step !== undefined) {
    // Headers carry text: "3" is step 3; the field may carry the number itself.
    const raw = values.step;
    const step = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 1) {
      return { ok: false, reason: `clickrate step must be an integer >= 1, not ${JSON.stringify(raw)}` };
    }
    input.step = step;
  }

  const warnings: string[] = [];
  const to = addressList(data.to);
  const all = [...to, ...addressList(data.cc), ...addressList(data.bcc)];
  if (input.recipient === undefined) {
    const first = to[0] ?? all[0];
    if (first === undefined) return { ok: false, reason: 'no recipient: give `to` or clickrate.recipient' };
    // Addresses are case-insensitive in practice; one spelling per person keeps recipient ids stable.
    input.recipient = first.toLowerCase();
  }
  if (all.length > 1) {
    warnings.push(
      `the message has ${all.length} recipients but tracking is per message: every recipient's clicks and opens count as ` +
        `${input.recipient}'s. Send one message per recipient for honest rates`,
    );
  }

  // TRICKY: if a part cannot be read, track nothing. Wrapping only the readable part would count the message
  // as sent while most of its clicks (HTML) go unseen — a CTR lower than the truth. Untracked is honest.
  for (const part of ['html', 'text'] as const) {
    const value = data[part];
    if (value === undefined || value === null) continue;
    const text = contentText(value);
    if (text === undefined) {
      return {
        ok: false,
        reason:
          `the ${part} part is ${describeContent(value)}; clickrate can wrap only string or Buffer (UTF-8) content. ` +
          `Read it first, e.g. ${part}: await fs.readFile(path, 'utf8')`,
      };
    }
    input[part] = text;
  }
  if (input.html === undefined && input.text === undefined) return { ok: false, reason: 'no html or text part to wrap' };
  for (const part of ['amp', 'watchHtml'] as const) {
    if (data[part] !== undefined && data[part] !== null) warnings.push(`links in the ${part} part are not tracked (only html and text are)`);
  }
  return { ok: true, input: input as WrapInput, warnings };
}

function contentText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) {
    try {
      // fatal: a Latin-1 (or binary) Buffer must not be rewritten into U+FFFD soup.
      return new TextDecoder('utf-8', { fatal: true }).decode(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function describeContent(value: unknown): string {
  if (Buffer.isBuffer(value)) return 'a Buffer that is not UTF-8';
  if (typeof value === 'object' && value !== null) {
    if (typeof (value as { pipe?: unknown }).pipe === 'function') return 'a stream';
    if ('path' in value) return 'a file ({path})';
    if ('href' in value) return 'a URL ({href})';
    if ('content' in value) return 'a {content} object';
  }
  return `of type ${typeof value}`;
}

// ---- addresses ----

/** Every address in a Nodemailer address field: "a@x, B <b@y>", {name, address}, groups, arrays of these. */
function addressList(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) {
      for (const item of v) walk(item);
    } else if (typeof v === 'string') {
      out.push(...parseAddresses(v));
    } else if (typeof v === 'object') {
      const { address, group } = v as { address?: unknown; group?: unknown };
      if (typeof address === 'string' && address.trim() !== '') out.push(address.trim());
      if (group !== undefined) walk(group);
    }
  };
  walk(value);
  return out;
}

function firstAddress(value: unknown): string | undefined {
  return addressList(value)[0];
}

/**
 * Splits an RFC 5322 address list. Enough for the recipient id: quoted display names may hold commas,
 * `<…>` holds the address, `Group: a, b;` lists members, (comments) are dropped.
 */
function parseAddresses(list: string): string[] {
  const out: string[] = [];
  let text = ''; // display name or bare address of the current entry
  let angle: string | undefined;
  let inAngle = false;
  let quoted = false;
  let comment = 0;
  const flush = (): void => {
    const address = (angle ?? text).trim();
    if (address !== '') out.push(address);
    text = '';
    angle = undefined;
  };
  for (let i = 0; i < list.length; i++) {
    const c = list[i] ?? '';
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      continue; // quoted text is a display name: never the address
    }
    if (comment > 0) {
      if (c === '(') comment++;
      else if (c === ')') comment--;
      continue;
    }
    if (inAngle) {
      if (c === '>') inAngle = false;
      else angle = (angle ?? '') + c;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') comment = 1;
    else if (c === '<') {
      inAngle = true;
      angle = '';
    } else if (c === ':') text = ''; // "Group name:" precedes the members
    else if (c === ',' || c === ';') flush();
    else text += c;
  }
  flush();
  return out;
}
