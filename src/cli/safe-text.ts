// Stored text on a terminal: names, links and user agents come from senders' data and from anyone who
// can reach the tracking edge, so their control characters are shown as escapes, never sent to the terminal.

/**
 * Every control character (Unicode Cc: C0, DEL, C1) and every bidirectional control (Bidi_Control:
 * U+061C, U+200E–F, U+202A–E, U+2066–9). TRICKY: C0/C1 include ESC and CSI, which start the terminal's
 * escape sequences (ECMA-48): `\x1b]0;…\x07` retitles the window, `\x1b[…` recolours or moves the cursor,
 * `\x1b]8;;URL` makes a hidden link. The bidi controls are invisible and reorder what is shown
 * ("Trojan Source", CVE-2021-42574). Newline and tab are controls too: in a name they would fake rows.
 */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}]/gu;

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** `s` with each unsafe character written as a visible escape: `\x1b`, `\x9b`, `\u202e`; the rest unchanged. */
export function safeText(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${hex(n, 2)}` : `\\u${hex(n, 4)}`;
  });
}
