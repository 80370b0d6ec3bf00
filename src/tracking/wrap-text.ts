// Finds bare http(s) URLs in a plain-text mail part and rewrites them; everything else stays as written.
// Trailing sentence punctuation and unbalanced closing brackets are not part of the URL.

import { classifyHref, type SkipReason } from './href.js';

export interface TextLink {
  /** 0-based position among URLs found in the text. */
  index: number;
  /** The normalized destination when trackable (destination.ts), else the URL as written. */
  url: string;
  start: number;
  end: number;
  trackable: boolean;
  reason?: SkipReason;
}

export interface WrapTextResult {
  text: string;
  links: TextLink[];
}

/**
 * A candidate runs from http(s):// to whitespace or a delimiter RFC 3986 Appendix C suggests around URLs in
 * text (<>, "). Template syntax is allowed inside the run so a URL holding a merge tag is found whole and then
 * left alone, instead of being cut at the tag and half-wrapped.
 */
const CANDIDATE = /https?:\/\/[^\s<>"]+/gi;
// Sentence punctuation, including typographic and CJK forms a writer (or an editor's autocorrect) puts after a URL.
const TRAILING_PUNCT = /[.,;:!?'*…’”»›。、，！？]+$/u;
const PAIRS: ReadonlyArray<[string, string]> = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
];

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Trims what a writer put after the URL: "see https://x.com/a." or "(https://x.com/a)". */
export function trimUrlEnd(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING_PUNCT, '');
    // TRICKY: keep a ')' the URL opened itself, as in https://en.wikipedia.org/wiki/Mars_(planet).
    for (const [open, close] of PAIRS) {
      if (url.endsWith(close) && count(url, close) > count(url, open)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

/** Every http(s) URL in the text with its verdict, in order. */
export function findTextLinks(text: string): TextLink[] {
  const links: TextLink[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const start = m.index ?? 0;
    const url = trimUrlEnd(m[0]);
    if (!/^https?:\/\/./i.test(url)) continue;
    const verdict = classifyHref(url);
    const link: TextLink = { index: links.length, url, start, end: start + url.length, trackable: verdict.trackable };
    if (verdict.trackable) link.url = verdict.url;
    else link.reason = verdict.reason;
    links.push(link);
  }
  return links;
}

/** Replaces trackable URLs with `rewrite(link)` (null leaves a URL as written). */
export function wrapText(text: string, rewrite: (link: TextLink) => string | null): WrapTextResult {
  const links = findTextLinks(text);
  let out = '';
  let pos = 0;
  for (const link of links) {
    if (!link.trackable) continue;
    const next = rewrite(link);
    if (next === null) continue;
    out += text.slice(pos, link.start) + next;
    pos = link.end;
  }
  out += text.slice(pos);
  return { text: out, links };
}
