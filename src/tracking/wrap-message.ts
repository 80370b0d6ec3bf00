// Wraps one outgoing message (HTML and/or text part) for one recipient: tracked links, open pixel, lint.
// The single implementation behind both `clickrate wrap` and POST /api/v1/wrap.

import { randomBytes } from 'node:crypto';
import { HONEYPOT_PATH } from '../classify/honeypot.js';
import { ClickrateError } from '../errors.js';
import type { SkipReason } from './href.js';
import type { WrappedLink, WrapResult } from './wrap-result-schema.js';

export type { WrapResult } from './wrap-result-schema.js';
import type { Keyring } from './keyring.js';
import { lintLinks, type LinkLintOptions } from './link-lint.js';
import { messageIdHeader } from './message-id-header.js';
import { signToken } from './token.js';
import { addUtm, type UtmParams } from './utm.js';
import { wrapHtml } from './wrap-html.js';
import { wrapText } from './wrap-text.js';

export interface WrapInput {
  html?: string;
  text?: string;
  campaign: string;
  recipient: string;
  message?: string;
  step?: number;
  variant?: string;
  segment?: string;
}

/** 'all' tracks every wrappable link; 'none' tracks none; {firstN} tracks the first N of each part. */
export type TrackingPolicy = 'all' | 'none' | { firstN: number };

export interface WrapOptions {
  /** Public origin of the tracking server; links become `${baseUrl}/c/<token>`, the pixel `${baseUrl}/o/<token>`. */
  baseUrl: string;
  keyring: Keyring;
  /** A fixed policy, or one chosen per campaign and step (e.g. no click tracking in cold steps 1-2). */
  tracking?: TrackingPolicy | ((ctx: { campaign: string; step: number | undefined }) => TrackingPolicy);
  /** Insert the open pixel into the HTML part (default true). */
  pixel?: boolean;
  /** The From: domain, to warn when the tracking domain does not match it. */
  senderDomain?: string;
  /** UTM parameters appended to wrappable destinations (existing UTM values are kept). */
  utm?: UtmParams;
  lint?: Partial<LinkLintOptions>;
  /**
   * Add one honeypot link to the HTML part (docs/classification.md, "The honeypot link"): hidden, without text, not a tab stop. Any
   * request to it is a machine; its address block and agent are then known as machine for a while.
   */
  honeypot?: boolean;
}

interface PartLink {
  index: number;
  trackable: boolean;
  url: string;
  reason?: SkipReason;
}

/** The honeypot's link index in its click token: past any real message's links. */
const HONEYPOT_LINK_INDEX = 999_999;

function badInput(message: string, field: string): ClickrateError {
  return new ClickrateError('CR_ERR_BAD_INPUT', message, { field });
}

/** Validates and normalises a base URL: absolute http(s), no query or fragment, no trailing slash. */
export function normalizeBaseUrl(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw badInput(`base URL "${baseUrl}" is not a URL; use e.g. https://click.example.com`, 'baseUrl');
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search !== '' || u.hash !== '' || u.username !== '') {
    throw badInput(`base URL "${baseUrl}" must be http(s) with no query, fragment or credentials`, 'baseUrl');
  }
  return u.href.replace(/\/+$/, '');
}

/** A fresh message id: 16 random bytes, URL-safe (unguessable, so message ids cannot be enumerated). */
function generateMessageId(): string {
  return `m_${randomBytes(16).toString('base64url')}`;
}

function checkInput(input: WrapInput): void {
  for (const field of ['campaign', 'recipient'] as const) {
    if (typeof input[field] !== 'string' || input[field].trim() === '') throw badInput(`${field} is required`, field);
  }
  if (input.message !== undefined && (typeof input.message !== 'string' || input.message.trim() === '')) {
    throw badInput('message, when given, must be a non-empty string', 'message');
  }
  if (input.step !== undefined && (!Number.isSafeInteger(input.step) || input.step < 1)) {
    throw badInput('step must be an integer >= 1', 'step');
  }
  if (input.html === undefined && input.text === undefined) throw badInput('give html or text to wrap', 'html');
  if (input.html !== undefined && typeof input.html !== 'string') throw badInput('html must be a string', 'html');
  if (input.text !== undefined && typeof input.text !== 'string') throw badInput('text must be a string', 'text');
}

function resolvePolicy(options: WrapOptions, input: WrapInput): TrackingPolicy {
  const p = typeof options.tracking === 'function' ? options.tracking({ campaign: input.campaign, step: input.step }) : options.tracking;
  const policy = p ?? 'all';
  if (typeof policy === 'object' && (!Number.isSafeInteger(policy.firstN) || policy.firstN < 0)) {
    throw badInput('tracking policy firstN must be an integer >= 0', 'tracking');
  }
  return policy;
}

/** Wraps a message; throws CR_ERR_BAD_INPUT for a missing campaign/recipient, bad step or bad base URL. */
export function wrapMessage(input: WrapInput, options: WrapOptions): WrapResult {
  checkInput(input);
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const policy = resolvePolicy(options, input);
  const message = input.message ?? generateMessageId();
  const { campaign } = input;
  const links: WrappedLink[] = [];

  // One rewriter per part. A link's index is its position in the part (tracked or not) plus the number of
  // links in earlier parts, so indexes follow the document and are fixed before the token is signed.
  const rewriter = (part: 'html' | 'text', offset: number) => {
    let seen = 0; // wrappable links so far in this part, for the firstN policy
    return (url: string, position: number): string | null => {
      const destination = options.utm === undefined ? url : addUtm(url, options.utm);
      const track = policy === 'all' || (policy !== 'none' && seen < policy.firstN);
      seen++;
      const index = offset + position;
      if (!track) {
        links.push({ index, part, url: destination, tracked: false, reason: 'policy' });
        // null = leave the href bytes exactly as written (re-escaping could still change e.g. a raw '&').
        return destination === url ? null : destination;
      }
      links.push({ index, part, url: destination, tracked: true });
      const token = signToken({ kind: 'click', campaign, message, url: destination, link: index }, options.keyring);
      return `${baseUrl}/c/${token}`;
    };
  };
  const addSkipped = (part: 'html' | 'text', offset: number, found: ReadonlyArray<PartLink>): void => {
    for (const link of found) {
      if (link.trackable) continue;
      const entry: WrappedLink = { index: offset + link.index, part, url: link.url, tracked: false };
      if (link.reason !== undefined) entry.reason = link.reason;
      links.push(entry);
    }
  };

  const messageIdValue = messageIdHeader(message, new URL(baseUrl).hostname, options.keyring);
  const result: WrapResult = { message, message_id_header: messageIdValue, links, warnings: [] };
  let offset = 0;
  if (input.html !== undefined) {
    const rewrite = rewriter('html', offset);
    const pixelUrl = options.pixel === false ? undefined : `${baseUrl}/o/${signToken({ kind: 'open', campaign, message }, options.keyring)}`;
    let honeypotUrl: string | undefined;
    if (options.honeypot === true) {
      // TRICKY: the index must be one no real link of the message has (indexes run over both parts).
      const link = HONEYPOT_LINK_INDEX;
      honeypotUrl = `${baseUrl}/c/${signToken({ kind: 'click', campaign, message, url: `${baseUrl}${HONEYPOT_PATH}`, link }, options.keyring)}`;
      result.honeypot = honeypotUrl;
    }
    const wrapped = wrapHtml(input.html, { pixelUrl, honeypotUrl, rewrite: (link) => rewrite(link.url, link.index) });
    addSkipped('html', offset, wrapped.links);
    offset += wrapped.links.length;
    result.html = wrapped.html;
  }
  if (input.text !== undefined) {
    const rewrite = rewriter('text', offset);
    const wrapped = wrapText(input.text, (link) => rewrite(link.url, link.index));
    addSkipped('text', offset, wrapped.links);
    result.text = wrapped.text;
  }
  links.sort((a, b) => a.index - b.index);

  const lintPart = input.html !== undefined ? 'html' : 'text';
  result.warnings = [
    ...lintLinks(
      {
        links: links.filter((l) => l.part === lintPart),
        trackingHost: new URL(baseUrl).hostname,
        senderDomain: options.senderDomain,
        step: input.step,
      },
      options.lint,
    ),
    ...links.filter((l) => l.reason === 'invalid').map(invalidLinkWarning),
    ...(options.honeypot === true && input.html === undefined
      ? ['No honeypot link was added: a plain-text message has nowhere to hide one (give an HTML part).']
      : []),
  ];
  return result;
}

/**
 * A link left as written because no single URL stands behind it (destination.ts): the message is still
 * wrapped, and the sender is told which link to fix, since its clicks will not be counted.
 */
function invalidLinkWarning(link: WrappedLink): string {
  const shown = link.url.length > 120 ? `${link.url.slice(0, 117)}...` : link.url;
  return `Link ${link.index + 1} in the ${link.part} part (${JSON.stringify(shown)}) was left unwrapped and its clicks will not be counted: it is not a well-formed http(s) URL (write it as https://host/path).`;
}
