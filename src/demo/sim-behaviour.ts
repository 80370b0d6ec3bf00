// What the classifier cannot know in advance, as knobs of the traffic simulator: how long scanners wait,
// how many follow one link only, how many people read through webmail proxies or sit on cloud desktops,
// how many scanners come from addresses no list has, how many addresses a gateway scans one
// organisation's mail from, how many office readers share one egress and browser build, and which agent
// Apple's proxy sends. The demo runs with all of them off (its figures and
// tests stay as they were); bench/classify-eval.mjs sweeps them.

export interface SimBehaviour {
  /** Latest start of a gateway's scan after delivery (the earliest is 0.3 s). Default 22 s. */
  scannerDelayMaxMs: number;
  /**
   * Share of scans that follow one link only, no burst: the pixel first, the link under a second later
   * from the same address, often with a browser years old (shared signals: "an open a second before a
   * click from the same address"; "old browser versions").
   */
  singleLinkShare: number;
  /** Share of scans from addresses in no published list (unlisted hosting, the vendor's new pools). */
  unlistedScannerShare: number;
  /**
   * Share of Outlook.com / Microsoft 365 readers whose opens reach the pixel through Exchange Online's
   * servers when they open the message, with a browser's agent (Outlook on the web's image fetches).
   */
  webmailProxyShare: number;
  /** Share of business readers behind a cloud desktop or browser isolation (Windows 365, Menlo): cloud addresses. */
  cloudDesktopShare: number;
  /**
   * How many addresses (each with its own fixed agent) one gateway scans an organisation's inbound mail
   * from: a pool ("single-link hits from the same fleet": MillionSend's pull request 22; "clicks from the
   * same IP addresses": suped.com on bot clicks). 0: every scan from a fresh address (the default).
   */
  scannerPoolAddresses: number;
  /**
   * Share of business readers on desktops whose clicks leave through their organisation's one egress
   * block with the organisation's managed browser build: colleagues behind one NAT look like one client.
   */
  officeNatShare: number;
  /** Share of Apple MPP prefetches sent with Apple Mail's own agent instead of the bare `Mozilla/5.0` (shared signals README). */
  mppMailAgentShare: number;
}

const OFF: SimBehaviour = Object.freeze({
  scannerDelayMaxMs: 22_000,
  singleLinkShare: 0,
  unlistedScannerShare: 0,
  webmailProxyShare: 0,
  cloudDesktopShare: 0,
  scannerPoolAddresses: 0,
  officeNatShare: 0,
  mppMailAgentShare: 0,
});

let current: SimBehaviour = OFF;

/** The knobs in force. */
export function simBehaviour(): SimBehaviour {
  return current;
}

/** Runs `fn` with some knobs changed, then restores them (the simulator is synchronous). */
export function withSimBehaviour<T>(over: Partial<SimBehaviour>, fn: () => T): T {
  const before = current;
  current = { ...before, ...over };
  try {
    return fn();
  } finally {
    current = before;
  }
}

/** A stable draw in [0, 1) from a recipient's index and a purpose, so a knob adds no random draw. */
export function indexDraw(index: number, salt: number): number {
  return (((Math.imul(index + 1, 2654435761) ^ Math.imul(salt, 40503)) >>> 0) % 10_007) / 10_007;
}
