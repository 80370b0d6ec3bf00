// The click map: a message's own HTML with each link marked by its share of clicks. Pure; the route
// serves the result in a sandboxed frame under a CSP that allows no script and no outside request.
import { findHtmlLinks } from '../tracking/wrap-html.js';

export interface LinkShare {
  url: string;
  unique_clicks: number;
  /** A fraction 0…1 of the selection's unique clicks (report `click_share`). */
  click_share: number | null;
}

/** The CSP of the frame's document: inline styles (emails are styled inline), data: images, nothing else. */
export const CLICK_MAP_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Tracking parameters added on the way out differ between the template and the clicked URL; they do not make another link. */
export function linkIdentity(url: string): string {
  try {
    const u = new URL(url.trim());
    for (const k of [...u.searchParams.keys()]) if (k.toLowerCase().startsWith('utm_')) u.searchParams.delete(k);
    u.hash = '';
    return u.toString();
  } catch {
    return url.trim();
  }
}

function badge(share: LinkShare | undefined, url: string): string {
  const s = share?.click_share ?? 0;
  const pctText = `${(100 * s).toFixed(s >= 0.1 ? 0 : 1)}%`;
  // Hue from blue (few clicks) to red (most): a heat scale a reader takes in at a glance.
  const hue = Math.round(220 - 220 * Math.min(1, s * 2));
  const clicks = share?.unique_clicks ?? 0;
  const title = `${url} — ${clicks.toLocaleString('en-US')} unique click${clicks === 1 ? '' : 's'}`;
  return (
    `<span class="cr-badge" data-share="${s}" title="${escapeHtml(title)}" style="display:inline-block;font:bold 12px/1.5 system-ui,sans-serif;` +
    `background:hsl(${hue},80%,42%);color:#fff;padding:0 6px;border-radius:8px;margin:0 4px;vertical-align:middle;text-decoration:none">${pctText}</span>`
  );
}

const FRAME_STYLE = '<style>a[href^="#cr-link-"]{outline:2px dashed #d9480f;outline-offset:2px;cursor:default}</style>';

/**
 * Marks every link of `html` with its click share and points its href at a local anchor, so a click in
 * the preview goes nowhere. TRICKY: the badge goes before the link's tag, not inside it: inserting into
 * a button-styled <a> would change the button the reader is judging.
 */
export function annotateClickMap(html: string, shares: readonly LinkShare[]): { html: string; marked: number; matched: number } {
  const byId = new Map<string, LinkShare>();
  for (const s of shares) byId.set(linkIdentity(s.url), s);
  const edits: Array<{ at: number; end: number; text: string }> = [];
  let marked = 0;
  let matched = 0;
  for (const link of findHtmlLinks(html)) {
    if (!/^https?:\/\//i.test(link.url)) continue;
    const share = byId.get(linkIdentity(link.url));
    if (share) matched++;
    marked++;
    const tagStart = html.lastIndexOf('<', link.start);
    if (tagStart >= 0) edits.push({ at: tagStart, end: tagStart, text: badge(share, link.url) });
    if (link.quote !== 'none') edits.push({ at: link.start, end: link.end, text: `#cr-link-${link.index}` });
  }
  edits.sort((a, b) => b.at - a.at || b.end - a.end);
  let out = html;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  // Inside <head> when there is one: a <style> before the doctype would put the page in quirks mode.
  const head = /<head(?:\s[^>]*)?>/i.exec(out);
  const html2 = head ? out.slice(0, head.index + head[0].length) + FRAME_STYLE + out.slice(head.index + head[0].length) : FRAME_STYLE + out;
  return { html: html2, marked, matched };
}
