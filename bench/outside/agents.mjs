// Time, the seeded random source and the user agents of the outside sample, each agent as published
// (sources beside each).

export const BASE = Date.parse('2026-11-03T14:00:00Z');
export const S = 1000;
export const MIN = 60 * S;
export const HOUR = 60 * MIN;

/** mulberry32: small, fast and the same on every machine, so a seed names one sample. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    chance: (p) => next() < p,
    between: (lo, hi) => lo + next() * (hi - lo),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    /** One of the keys of a { key: weight } table. */
    weighted: (table) => {
      const total = Object.values(table).reduce((s, w) => s + w, 0);
      let x = next() * total;
      for (const [k, w] of Object.entries(table)) {
        x -= w;
        if (x < 0) return k;
      }
      return Object.keys(table)[0];
    },
    /** Log-normal with the given median: reading delays have a long tail (hours to days). */
    lognormal: (median, sigma) => {
      const u = Math.max(next(), 1e-12);
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * z);
    },
  };
  return r;
}

// User agents, as published. Gmail's proxy: ua-parser/uap-core pull request 170, browscap issue 1108,
// ua-parser-js issue 494 (which also gives Yahoo's). Apple: uap-core issue 509 (MPP's bare agent),
// medama-io/go-useragent issue 10 and uap-core issue 528 (Apple Mail's WebKit agent without Safari).
export const UA = {
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
  mppBare: 'Mozilla/5.0',
  webkitStripped: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  iosMail: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  outlookDesktop: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18925; Pro)',
  thunderbird: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Thunderbird/140.4.0',
  // A managed kiosk or long-term-support desktop a company has not updated: a person on an old browser.
  chromeWin7Old: 'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
};
// Browsers as current at the sample's date (November 2026): Chrome 146 was current at the end of March 2026
// (resend-node issue 901) and Chrome, Edge and Firefox release every four weeks; Safari takes the year's
// number (26 in 2025, 27 in 2026) while iOS and macOS versions in the agent stay frozen. People lag a
// version or two; a few run far older builds (devices left on iOS 18, machines nobody updates).
const CHROME_NOW = 154;
const FIREFOX_NOW = 156;
export function browserUa(r, family) {
  const lag = r.weighted({ 0: 60, 1: 22, 3: 13, 8: 5 });
  const c = CHROME_NOW - Number(lag);
  const safari = lag === '8' ? '18.7' : lag === '0' ? '27.0' : '26.6';
  const win = 'Windows NT 10.0; Win64; x64';
  const webkit = 'AppleWebKit/537.36 (KHTML, like Gecko)';
  switch (family) {
    case 'chromeWin':
      return `Mozilla/5.0 (${win}) ${webkit} Chrome/${c}.0.0.0 Safari/537.36`;
    case 'edgeWin':
      return `Mozilla/5.0 (${win}) ${webkit} Chrome/${c}.0.0.0 Safari/537.36 Edg/${c}.0.0.0`;
    case 'chromeMac':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${webkit} Chrome/${c}.0.0.0 Safari/537.36`;
    case 'chromeAndroid':
      return `Mozilla/5.0 (Linux; Android 10; K) ${webkit} Chrome/${c}.0.0.0 Mobile Safari/537.36`;
    case 'firefoxWin':
      return `Mozilla/5.0 (${win}; rv:${FIREFOX_NOW - Number(lag)}.0) Gecko/20100101 Firefox/${FIREFOX_NOW - Number(lag)}.0`;
    case 'safariMac':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Safari/605.1.15`;
    case 'safariIos':
      return `Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Mobile/15E148 Safari/604.1`;
    default: // the Gmail app's in-app browser on iOS: WebKit with no Safari token
      return UA.iosMail;
  }
}
// Scanner agents: "old browser versions; scripted agents" (Dub issue 2309, lemlist/Smartlead help pages);
// craft-campaign issue 546 saw "Python Requests"; Barracuda "does not identify itself" (Act-On's guide).
// The far-behind builds above (eight releases back, iOS 18, the Windows 7 kiosk), named apart in the truth.
export const OLD_BUILD = new RegExp(`Chrome/(109|${CHROME_NOW - 8})\\.|Version/18\\.7|Firefox/${FIREFOX_NOW - 8}\\.`);
export const SCANNER_UA = {
  oldChrome: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.116 Safari/537.36',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36',
  ],
  ie11: 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
  scripted: ['python-requests/2.31.0', 'curl/8.5.0', 'Go-http-client/1.1', 'Java/17.0.8'],
};
// resend-node issue 901: a scanner following a person's click 12 s later, with the then-current Chrome on Windows.
export const modernScannerUa = (r) => browserUa(r, r.chance(0.5) ? 'chromeWin' : 'edgeWin');

/** Campaign shapes (what the sender controls: pixel, links, steps, variants, audience). */
