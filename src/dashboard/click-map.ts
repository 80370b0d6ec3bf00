// The click map: a message's own HTML with each link marked by its share of clicks. Pure; the route
// serves the result in a sandboxed frame under a CSP that allows no outside request and no script but
// the one written here (by its hash), which places the badges and tells the page the frame's height.
import { createHash } from 'node:crypto';
import { findHtmlLinks } from '../tracking/wrap-html.js';
import { escapeHtml } from './login-page.js';

export interface LinkShare {
  url: string;
  unique_clicks: number;
  /** A fraction 0…1 of the links' unique clicks (report `click_share`). */
  click_share: number | null;
}

/**
 * Runs in the frame (opaque origin: no cookies, no access to the page). Puts each badge just above its
 * link, or beside it when there is no room above, so it never covers the button it labels; then posts
 * the document's height, which the page uses to size the frame to its content.
 * TRICKY: positions are taken relative to the badge layer, not the page, because a message's <body> may
 * be positioned. Changing one character of it changes its hash, which the CSP below follows.
 */
const FRAME_SCRIPT =
  "(function(){var d=document;function place(){var l=d.getElementById('cr-badges');if(l){var o=l.getBoundingClientRect();" +
  "var bs=l.querySelectorAll('.cr-badge');for(var i=0;i<bs.length;i++){var b=bs[i];" +
  "var a=d.querySelector('a[href=\"#cr-link-'+b.getAttribute('data-link')+'\"]');if(!a){b.style.display='none';continue;}" +
  'var r=a.getBoundingClientRect();var h=b.offsetHeight;var t=r.top-o.top-h-3;var x=r.left-o.left;' +
  "if(r.top-h-3<0){t=r.top-o.top;x=r.right-o.left+4;}b.style.top=t+'px';b.style.left=x+'px';}}" +
  "parent.postMessage({clickrateFrameHeight:Math.ceil(d.documentElement.scrollHeight)},'*');}" +
  "addEventListener('load',place);addEventListener('resize',place);})();";

const SCRIPT_HASH = createHash('sha256').update(FRAME_SCRIPT).digest('base64');

/** The CSP of the frame's document: inline styles (emails are styled inline), data: images, our one script. */
export const CLICK_MAP_CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${SCRIPT_HASH}'; sandbox allow-scripts`;

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

function badge(share: LinkShare | undefined, url: string, index: number): string {
  const s = share?.click_share ?? 0;
  const pctText = `${(100 * s).toFixed(s >= 0.1 ? 0 : 1)}%`;
  // Hue from blue (few clicks) to red (most): a heat scale a reader takes in at a glance.
  const hue = Math.round(220 - 220 * Math.min(1, s * 2));
  const clicks = share?.unique_clicks ?? 0;
  const title = `${url} — ${clicks.toLocaleString('en-US')} unique click${clicks === 1 ? '' : 's'}`;
  return (
    `<span class="cr-badge" data-link="${index}" data-share="${s}" title="${escapeHtml(title)}" style="position:absolute;white-space:nowrap;font:bold 12px/1.5 system-ui,sans-serif;` +
    `background:hsl(${hue},80%,42%);color:#fff;padding:0 6px;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.3)">${pctText}</span>`
  );
}

const FRAME_STYLE = '<style>a[href^="#cr-link-"]{outline:2px dashed #d9480f;outline-offset:2px;cursor:default}</style>';

/** The web (http, https) links of a message: what a click map can mark. */
export function countLinks(html: string): number {
  return findHtmlLinks(html).filter((l) => /^https?:\/\//i.test(l.url)).length;
}

/**
 * Marks every link of `html` with its click share and points its href at a local anchor, so a click in
 * the preview goes nowhere. TRICKY: the badges are not put inside or beside the link in the message's
 * flow: inside a button-styled <a> or its cell they would change (and cover) the button the reader is
 * judging. They sit in a layer of their own at the end of the body, placed by FRAME_SCRIPT.
 */
export function annotateClickMap(html: string, shares: readonly LinkShare[]): { html: string; marked: number; matched: number } {
  const byId = new Map<string, LinkShare>();
  for (const s of shares) byId.set(linkIdentity(s.url), s);
  const edits: Array<{ at: number; end: number; text: string }> = [];
  const badges: string[] = [];
  let marked = 0;
  let matched = 0;
  for (const link of findHtmlLinks(html)) {
    if (!/^https?:\/\//i.test(link.url)) continue;
    const share = byId.get(linkIdentity(link.url));
    if (share) matched++;
    marked++;
    badges.push(badge(share, link.url, link.index));
    if (link.quote !== 'none') edits.push({ at: link.start, end: link.end, text: `#cr-link-${link.index}` });
  }
  edits.sort((a, b) => b.at - a.at || b.end - a.end);
  let out = html;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  const layer = `<div id="cr-badges" style="position:absolute;top:0;left:0;width:0;height:0">${badges.join('')}</div><script>${FRAME_SCRIPT}</script>`;
  const bodyEnd = out.search(/<\/body\s*>/i);
  out = bodyEnd >= 0 ? out.slice(0, bodyEnd) + layer + out.slice(bodyEnd) : out + layer;
  // Inside <head> when there is one: a <style> before the doctype would put the page in quirks mode.
  const head = /<head(?:\s[^>]*)?>/i.exec(out);
  const html2 = head ? out.slice(0, head.index + head[0].length) + FRAME_STYLE + out.slice(head.index + head[0].length) : FRAME_STYLE + out;
  return { html: html2, marked, matched };
}
