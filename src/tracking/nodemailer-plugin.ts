// Nodemailer 'compile' plugin: wraps each outgoing message's links and adds the open pixel (via wrapMessage)
// before Nodemailer builds the MIME tree, and records the message's `sent` event. No runtime nodemailer import.

import { ClickrateError } from '../errors.js';
import { KEYRING_ENV, KEYRING_FILE_ENV, loadKeyringFromEnv, type Keyring } from './keyring.js';
import type { LinkLintOptions } from './link-lint.js';
import type { UtmParams } from './utm.js';
import { CLICKRATE_HEADERS, FIELDS, firstAddress, getHeader, prepareInput, readClickrateData, setHeader, type NodemailerMail } from './nodemailer-mail.js';
import { HEADER_PROVIDERS, providerHeaders, type HeaderProvider } from './provider-headers.js';
export { CLICKRATE_HEADERS, type NodemailerMail } from './nodemailer-mail.js';
import { TemplatePoster } from './template-poster.js';
import { normalizeBaseUrl, wrapMessage, type TrackingPolicy, type WrapOptions, type WrapResult } from './wrap-message.js';

// Re-exported so an app needs only this entry point to build the keyring.
export { createKeyring, loadKeyringFromEnv, loadKeyringFile, parseKeyringJson, type Keyring } from './keyring.js';

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
  /** Add the hidden honeypot link to each HTML message (default false; docs/classification.md, "The honeypot link"). */
  honeypot?: boolean;
  /** From: domain for the domain-mismatch warning; defaults to each message's From address. */
  senderDomain?: string;
  utm?: UtmParams;
  /**
   * The deliverability warnings' limits (link-lint.ts). `{ coldSteps: 0 }`: the campaign is not cold
   * outreach (a newsletter's step 1), so tracked links in early steps are not warned about.
   */
  lint?: Partial<LinkLintOptions>;
  /** Called after a message is wrapped, before it is sent: e.g. record `result.sent` yourself. Errors are logged, never thrown. */
  onWrapped?: (result: NodemailerTrackingResult, mail: NodemailerMail) => void | Promise<void>;
  /**
   * clickrate server to POST the `sent` event to (`${apiUrl}/api/v1/events`), and each campaign's template
   * for the click map (`${apiUrl}/api/v1/templates`, once per campaign, step and variant); needs apiKey.
   */
  apiUrl?: string;
  apiKey?: string;
  /** Give up on the POST after this long (default 5000 ms); the mail is sent either way. */
  apiTimeoutMs?: number;
  /** Where warnings and recording failures go (default: console). */
  logger?: ClickrateLogger;
  /** Also add the provider's metadata headers, so its webhooks name the clickrate message (docs/webhooks.md). */
  provider?: HeaderProvider;
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
  const templates = settings.api ? new TemplatePoster(settings.api.templatesUrl, settings.api.apiKey, settings.api.timeoutMs) : undefined;
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
        honeypot: options.honeypot,
        senderDomain: options.senderDomain ?? firstAddress(data.from),
        utm: options.utm,
        lint: options.lint,
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
    if (options.provider !== undefined) {
      const meta = providerHeaders(options.provider, { message: result.message, campaign: input.campaign }, (name) => getHeader(data.headers, name));
      for (const [name, value] of Object.entries(meta.headers)) data.headers = setHeader(data.headers, name, value);
      warnings.push(...meta.warnings);
    }
    // TRICKY: replaces a Message-ID the app chose: a reply names only the Message-ID it answers, and
    // without ours it cannot be matched to its message (docs/replies.md).
    data.messageId = result.message_id_header;

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
        postSent(settings.api, sent, data.subject).catch((err: unknown) => {
          log('error', `could not record the sent event of message ${result.message} (mail sent anyway): ${errorText(err)}`);
        }),
      );
    }
    if (templates !== undefined && typeof input.html === 'string') {
      tasks.push(
        templates.post({ campaign: input.campaign, step: input.step, variant: input.variant }, input.html).catch((err: unknown) => {
          warnOnce(`could not store the template of campaign ${input.campaign} for its click map (mail sent anyway): ${errorText(err)}`);
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
  subjectsUrl: string;
  templatesUrl: string;
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
  if (options.provider !== undefined && !(HEADER_PROVIDERS as readonly unknown[]).includes(options.provider)) {
    throw configError(`provider must be one of ${HEADER_PROVIDERS.join(', ')} (Resend takes tags through its API only)`, 'provider');
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
  const root = api.href.replace(/\/+$/, '');
  return {
    baseUrl,
    keyring: ring,
    api: {
      eventsUrl: `${root}/api/v1/events`,
      templatesUrl: `${root}/api/v1/templates`,
      subjectsUrl: `${root}/api/v1/subjects`,
      apiKey: options.apiKey.trim(),
      timeoutMs,
    },
  };
}

/** POSTs `body` as JSON to one of the server's routes with the API key. */
async function postJson(api: ApiSettings, url: string, body: object): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.apiKey}` },
    body: JSON.stringify(body),
    // Sending waits for this: a hung server must cost at most the timeout, not the mail.
    signal: AbortSignal.timeout(api.timeoutMs),
  });
  const text = await res.text(); // read to the end so the connection can be reused
  if (!res.ok) throw new ClickrateError('CR_ERR_STORE', `${url} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
}

/**
 * The `sent`, then the mail's Subject: the server keeps a keyed hash of its thread subject so a reply
 * that names no Message-ID of ours is matched by it (docs/replies.md). After the `sent`: a subject of a
 * message the server never heard of would match nothing.
 */
async function postSent(api: ApiSettings, event: SentEvent, subject: unknown): Promise<void> {
  await postJson(api, api.eventsUrl, event);
  if (typeof subject === 'string' && subject.trim() !== '') await postJson(api, api.subjectsUrl, { message: event.message, subject: subject.slice(0, 998) });
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    // fetch's "fetch failed" hides the useful part (ECONNREFUSED…) in the cause.
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
