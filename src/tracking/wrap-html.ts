// Rewrites link targets in an HTML email by splicing only the href values that change (and inserting an open
// pixel); every other byte — Outlook conditional comments, inline styles, odd markup — stays as written.

import { QuoteType, Tokenizer } from 'htmlparser2';
import { classifyHref, type SkipReason } from './href.js';

type AttrQuote = 'double' | 'single' | 'unquoted' | 'none';

export interface HtmlLink {
  /** 0-based position among link-bearing tags, in document order. */
  index: number;
  /** Lower-case tag name: a, area, or a VML shape such as v:roundrect. */
  tag: string;
  /** The href as a browser reads it: entities decoded, whitespace kept. */
  href: string;
  /** Source offsets of the raw attribute value (between the quotes when quoted). */
  start: number;
  end: number;
  quote: AttrQuote;
  trackable: boolean;
  /** What a click opens: the normalized destination when trackable (destination.ts), else the trimmed href. */
  url: string;
  reason?: SkipReason;
}

interface HtmlEdit {
  start: number;
  end: number;
  text: string;
}

export interface WrapHtmlOptions {
  /** New destination (decoded, unescaped) for a trackable link, or null to leave it as written. */
  rewrite: (link: HtmlLink) => string | null;
  /** When set, an open pixel with this src is inserted before </body>. */
  pixelUrl?: string;
  /** When set, the hidden honeypot link (honeypotLinkTag) is inserted there too. */
  honeypotUrl?: string;
}

export interface WrapHtmlResult {
  html: string;
  links: HtmlLink[];
  /** What changed, in source offsets, sorted; applying them to the input gives `html`. */
  edits: HtmlEdit[];
}

interface RawAttr {
  name: string;
  value: string;
  start: number;
  end: number;
  quote: AttrQuote;
}

/** Tags whose href is a click target in mail: HTML a/area, and VML shapes Outlook renders buttons with. */
function isLinkTag(tag: string): boolean {
  return tag === 'a' || tag === 'area' || tag.startsWith('v:');
}

/** Marked to be left alone: our own attribute, or SendGrid's clicktracking="off" (SendGrid docs, "Click Tracking"). */
function isSkipMarked(attrs: readonly RawAttr[]): boolean {
  return attrs.some(
    (a) => (a.name === 'data-clickrate' && a.value.trim().toLowerCase() === 'skip') || (a.name === 'clicktracking' && a.value.trim().toLowerCase() === 'off'),
  );
}

/** HTML's ASCII whitespace (tab, LF, FF, CR, space) — not JS's \s, which also matches U+00A0. */
const HTML_SPACE = /[\t\n\f\r ]/;

interface Scan {
  links: HtmlLink[];
  bodyClose: number | undefined;
  htmlClose: number | undefined;
}

/**
 * Tokenizes `source` (a slice of the document starting at `base`) and collects link attributes.
 * TRICKY: markup inside <!--[if mso]>…<![endif]--> is a comment to every parser but real HTML to Outlook,
 * which is where bulletproof-button VML hrefs live; we scan those comments' contents as well.
 */
function scan(source: string, base: number, out: Scan, topLevel: boolean): void {
  let tag: string | undefined;
  let attrs: RawAttr[] = [];
  let attrName = '';
  let attrNameEnd = 0;
  let attrValue = '';
  const comments: Array<[number, number]> = [];

  const valueStartAfterName = (nameEnd: number): number => {
    // Between the name and the value there may be whitespace, '=', whitespace (HTML §13.2.5.34-36).
    let i = nameEnd;
    while (i < source.length && HTML_SPACE.test(source[i] ?? '')) i++;
    if (source[i] === '=') i++;
    while (i < source.length && HTML_SPACE.test(source[i] ?? '')) i++;
    return i;
  };

  const endTag = (): void => {
    if (tag !== undefined && isLinkTag(tag)) {
      // HTML §13.2.5.33: a duplicate attribute is dropped, so the first href is the one that counts.
      const href = attrs.find((a) => a.name === 'href');
      if (href !== undefined) {
        const verdict = classifyHref(href.value);
        const link: HtmlLink = {
          index: out.links.length,
          tag,
          href: href.value,
          start: base + href.start,
          end: base + href.end,
          quote: href.quote,
          trackable: false,
          url: href.value.trim(),
        };
        if (isSkipMarked(attrs)) link.reason = 'skip-attribute';
        else if (verdict.trackable) {
          link.trackable = true;
          link.url = verdict.url;
        } else link.reason = verdict.reason;
        out.links.push(link);
      }
    }
    tag = undefined;
    attrs = [];
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname(start, end) {
        tag = source.slice(start, end).toLowerCase();
        attrs = [];
      },
      onattribname(start, end) {
        attrName = source.slice(start, end).toLowerCase();
        attrNameEnd = end;
        attrValue = '';
      },
      onattribdata(start, end) {
        attrValue += source.slice(start, end);
      },
      onattribentity(codepoint) {
        attrValue += String.fromCodePoint(codepoint);
      },
      onattribend(quote, end) {
        const start = valueStartAfterName(attrNameEnd);
        if (quote === QuoteType.Double || quote === QuoteType.Single) {
          attrs.push({ name: attrName, value: attrValue, start: start + 1, end: end - 1, quote: quote === QuoteType.Double ? 'double' : 'single' });
        } else if (quote === QuoteType.Unquoted) {
          attrs.push({ name: attrName, value: attrValue, start, end, quote: 'unquoted' });
        } else {
          attrs.push({ name: attrName, value: '', start: attrNameEnd, end: attrNameEnd, quote: 'none' });
        }
      },
      onopentagend: endTag,
      onselfclosingtag: endTag,
      onclosetag(start, end) {
        if (!topLevel) return;
        const name = source.slice(start, end).toLowerCase();
        const lt = source.lastIndexOf('<', start);
        if (name === 'body') out.bodyClose = base + lt;
        if (name === 'html') out.htmlClose = base + lt;
      },
      oncomment(start, end, endOffset) {
        comments.push([start, end - endOffset]);
      },
      oncdata() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
      onend() {},
    },
  );
  tokenizer.write(source);
  tokenizer.end();

  for (const [start, end] of comments) {
    const content = source.slice(start, end);
    const open = /^\[if[^\]]*\]>/i.exec(content);
    if (open === null) continue;
    const closeAt = content.lastIndexOf('<![endif]');
    const innerEnd = closeAt === -1 ? content.length : closeAt;
    const innerStart = open[0].length;
    if (innerEnd > innerStart) scan(content.slice(innerStart, innerEnd), base + start + innerStart, out, false);
  }
}

function collect(html: string): Scan {
  const out: Scan = { links: [], bodyClose: undefined, htmlClose: undefined };
  scan(html, 0, out, true);
  // Conditional-comment contents are scanned after the top level; restore document order.
  out.links.sort((a, b) => a.start - b.start);
  for (const [i, l] of out.links.entries()) l.index = i;
  return out;
}

/** Every link-bearing tag with an href, in document order, with its verdict. */
export function findHtmlLinks(html: string): HtmlLink[] {
  return collect(html).links;
}

/**
 * Escapes a URL for an attribute value written with the given quoting (HTML §13.1.2.3): '&' always (so
 * "&copy=" cannot be read back as ©), the enclosing quote, and for unquoted values what would end the value.
 * Quoting is never added or changed: that would touch bytes outside the value.
 */
function escapeAttributeValue(value: string, quote: AttrQuote): string {
  let v = value.replace(/&/g, '&amp;');
  if (quote === 'double' || quote === 'none') v = v.replace(/"/g, '&quot;');
  else if (quote === 'single') v = v.replace(/'/g, '&#39;');
  // TRICKY: in an unquoted value only whitespace and '>' end it (HTML §13.2.5.38); '=' is a parse error but kept,
  // and percent-encoding '=' would break query strings. Space and '>' encode to the same URL either way.
  else v = v.replace(/[\s>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return v;
}

/** A 1×1 open pixel. display:block avoids a gap under it in Outlook; alt="" keeps screen readers quiet. */
export function openPixelTag(src: string): string {
  return `<img src="${escapeAttributeValue(src, 'double')}" width="1" height="1" alt="" border="0" style="display:block;border:0;width:1px;height:1px;" />`;
}

/**
 * The honeypot link: no text, hidden from screen readers (aria-hidden), not a tab stop (tabindex=-1) and
 * hidden by inline style (display:none; mso-hide:all for Outlook's Word renderer), so no person can see,
 * hear or reach it and every request to it is a machine's.
 */
function honeypotLinkTag(href: string): string {
  return `<a href="${escapeAttributeValue(href, 'double')}" aria-hidden="true" tabindex="-1" style="display:none !important;mso-hide:all;font-size:0;line-height:0;max-height:0;overflow:hidden;"></a>`;
}

/** Splices new href values (and the pixel) into the HTML, leaving every other byte as it was. */
export function wrapHtml(html: string, options: WrapHtmlOptions): WrapHtmlResult {
  const out = collect(html);
  const edits: HtmlEdit[] = [];
  for (const link of out.links) {
    if (!link.trackable) continue;
    const next = options.rewrite(link);
    if (next === null) continue;
    // A valueless `href` is never trackable (reason 'empty'), so every edit replaces existing value bytes.
    edits.push({ start: link.start, end: link.end, text: escapeAttributeValue(next, link.quote) });
  }
  if (options.pixelUrl !== undefined) {
    // Before </body> so clients that stop rendering at </body> still load it; else before </html>; else at the end.
    const at = out.bodyClose ?? out.htmlClose ?? html.length;
    edits.push({ start: at, end: at, text: openPixelTag(options.pixelUrl) });
  }
  if (options.honeypotUrl !== undefined) {
    const at = out.bodyClose ?? out.htmlClose ?? html.length;
    edits.push({ start: at, end: at, text: honeypotLinkTag(options.honeypotUrl) });
  }
  edits.sort((a, b) => a.start - b.start);

  let result = '';
  let pos = 0;
  for (const edit of edits) {
    result += html.slice(pos, edit.start) + edit.text;
    pos = edit.end;
  }
  result += html.slice(pos);
  return { html: result, links: out.links, edits };
}
