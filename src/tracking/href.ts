// Decides whether a link's destination may be wrapped: absolute http(s) only, never a merge tag or
// template placeholder (the ESP substitutes those after we wrap, so the token would freeze the raw tag).
import { normalizeDestination } from './destination.js';

/** Why a link was left as it was (the wrap answer's `reason`: wrap-result-schema.ts). */
export const SKIP_REASONS = [
  'template', // contains a merge tag / placeholder: the real URL is only known at send time
  'mailto',
  'tel',
  'sms',
  'anchor', // in-page #fragment
  'relative', // no scheme: the mail client has no base URL to resolve it against
  'scheme', // another scheme (javascript:, ftp:, data:…): not a web destination to redirect to
  'empty',
  'invalid', // http(s), but no URL a browser parses the same everywhere (destination.ts)
  'skip-attribute', // marked data-clickrate="skip" or clicktracking="off"
  'policy', // trackable, but the campaign's tracking policy says not to
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/**
 * Merge-tag and placeholder syntaxes of common ESPs and template engines.
 * - `*|TAG|*` Mailchimp merge tags (mailchimp.com/help/all-the-merge-tags-cheat-sheet)
 * - `{{x}}`, `{% x %}` Mustache/Handlebars/Liquid/Jinja (Postmark, SendGrid dynamic templates, Customer.io)
 * - `%%x%%` Salesforce Marketing Cloud personalization strings / AMPscript `%%=…=%%`
 * - `{$x}` Smarty-style (ActiveCampaign-era templates), `${x}` JS/Freemarker, `[[x]]`/`[% x %]` others
 * - `<%= x %>`, `<% x %>` ERB/ASP, `{{{x}}}` triple-stash is covered by `{{`
 * - `%7B%7B` is `{{` after an editor percent-encoded it
 */
const TEMPLATE_PATTERNS: readonly RegExp[] = [
  /\*\|[^|]*\|\*/,
  /\{\{[\s\S]*?\}\}/,
  /\{%[\s\S]*?%\}/,
  /%%[\s\S]*?%%/,
  /\{\$[^}]*\}/,
  /\$\{[^}]*\}/,
  /\[\[[^\]]*\]\]/,
  /\[%[\s\S]*?%\]/,
  /<%[\s\S]*?%>/,
  /%7B%7B/i,
];

/** True when the text carries a merge tag or template placeholder anywhere. */
export function hasTemplateTag(value: string): boolean {
  if (TEMPLATE_PATTERNS.some((re) => re.test(value))) return true;
  // TRICKY: RFC 3986 §2.1 allows '%' only as "%" HEXDIG HEXDIG. A bare '%' is never a real URL, but it is how
  // Mailgun (%recipient.x%), ActiveCampaign (%UNSUBSCRIBELINK%) and others spell variables.
  return /%(?![0-9A-Fa-f]{2})/.test(value);
}

/** A trackable link's `url` is its destination (destination.ts), which may differ from the written href. */
export type HrefVerdict = { trackable: true; url: string } | { trackable: false; reason: SkipReason };

/** Classifies a decoded href (entities already decoded, surrounding whitespace allowed). */
export function classifyHref(href: string): HrefVerdict {
  // HTML's URL parsing strips leading/trailing ASCII whitespace (WHATWG URL §4.4 basic URL parser).
  const url = href.trim();
  if (url === '') return { trackable: false, reason: 'empty' };
  if (hasTemplateTag(url)) return { trackable: false, reason: 'template' };
  if (url.startsWith('#')) return { trackable: false, reason: 'anchor' };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { trackable: false, reason: 'relative' };
  if (scheme === 'mailto') return { trackable: false, reason: 'mailto' };
  if (scheme === 'tel') return { trackable: false, reason: 'tel' };
  if (scheme === 'sms') return { trackable: false, reason: 'sms' };
  if (scheme !== 'http' && scheme !== 'https') return { trackable: false, reason: 'scheme' };
  // The signed destination is the browser's serialization (punycode host, UTF-8 percent-encoding), so
  // the redirect's Location is ASCII; the href in an untracked link keeps the author's bytes.
  const destination = normalizeDestination(url);
  return destination.ok ? { trackable: true, url: destination.url } : { trackable: false, reason: 'invalid' };
}

/** Host of an http(s) URL, lower-case, or undefined when it does not parse. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
