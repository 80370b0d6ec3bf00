// Reads what the Nodemailer plugin needs from one outgoing message: the clickrate data (field or
// X-Clickrate-* headers), the recipient, and the HTML and text parts. Pure; no nodemailer import.
import type { WrapInput } from './wrap-message.js';

/** Per-message input headers (removed before sending) and the correlation header the plugin sets. */
export const CLICKRATE_HEADERS = Object.freeze({
  campaign: 'X-Clickrate-Campaign',
  recipient: 'X-Clickrate-Recipient',
  step: 'X-Clickrate-Step',
  variant: 'X-Clickrate-Variant',
  segment: 'X-Clickrate-Segment',
  message: 'X-Clickrate-Message',
});

export type ClickrateField = keyof typeof CLICKRATE_HEADERS;
export const FIELDS = Object.keys(CLICKRATE_HEADERS) as ClickrateField[];
const INPUT_HEADER_NAMES = new Set(Object.values(CLICKRATE_HEADERS).map((h) => h.toLowerCase()));

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
    /** Nodemailer's Message-ID option; the plugin sets it so replies can be matched. */
    messageId?: unknown;
    /** The Subject: its thread subject is hashed by the server to match replies. */
    subject?: unknown;
    clickrate?: unknown;
  };
}

// ---- per-message data ----

type RawValues = Partial<Record<ClickrateField, unknown>>;

export interface FoundData {
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
export function readClickrateData(data: NodemailerMail['data']): FoundData {
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

export function setHeader(headers: unknown, key: string, value: string): unknown {
  const { entries, rebuild } = headerEntries(headers);
  const lower = key.toLowerCase();
  return rebuild([...entries.filter((h) => h.key.toLowerCase() !== lower), { key, value }]);
}

/** The text of a header the app set (first of a list), or undefined. */
export function getHeader(headers: unknown, key: string): string | undefined {
  const found = headerEntries(headers).entries.find((h) => h.key.toLowerCase() === key.toLowerCase());
  const v = found === undefined ? undefined : headerText(found.value);
  return typeof v === 'string' ? v : undefined;
}

export type Prepared = { ok: true; input: WrapInput; warnings: string[] } | { ok: false; reason: string };

function label(values: RawValues, field: 'campaign' | 'recipient' | 'variant' | 'segment' | 'message'): string | undefined | { error: string } {
  const v = values[field];
  if (v === undefined) return undefined;
  if (typeof v === 'object' && v !== null && 'invalid' in v) return { error: String((v as { invalid: unknown }).invalid) };
  if (typeof v !== 'string' || v.trim() === '') return { error: `clickrate ${field} must be a non-empty string` };
  return v.trim();
}

export function prepareInput(data: NodemailerMail['data'], values: RawValues): Prepared {
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

export function firstAddress(value: unknown): string | undefined {
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
    } else if (c === ':')
      text = ''; // "Group name:" precedes the members
    else if (c === ',' || c === ';') flush();
    else text += c;
  }
  flush();
  return out;
}
