// The outside sample's campaigns (what a sender controls) and audiences (mailbox and network mixes),
// with the public sources of each share.

export const CAMPAIGNS = [
  {
    id: 'outreach-q4',
    kind: 'outreach',
    audience: 'b2b',
    recipients: 500,
    steps: 3,
    pixel: false, // plain text cold outreach: no image, so no open can be seen at all
    links: (step) => (step === 1 ? ['https://meet.vendor.example/30min', 'https://vendor.example/case-study'] : ['https://meet.vendor.example/30min']),
    clickRate: { 1: 0.05, 2: 0.035, 3: 0.025 },
    bounce: 0.04,
  },
  {
    id: 'promo-nov',
    kind: 'promotional',
    audience: 'consumer',
    recipients: 2400,
    steps: 1,
    variants: { A: 0.1, B: 0.15 }, // click rate among openers, per variant
    pixel: true,
    links: () => [
      'https://shop.example/view-in-browser',
      'https://shop.example/',
      ...[1, 2, 3, 4, 5, 6].map((n) => `https://shop.example/p/${n}`),
      'https://instagram.com/shop.example',
      'https://shop.example/unsubscribe',
    ],
    openRate: 0.3,
    bounce: 0.015,
  },
  {
    id: 'receipts',
    kind: 'transactional',
    audience: 'consumer',
    recipients: 1200,
    steps: 1,
    pixel: true,
    links: () => ['https://shop.example/orders/status', 'https://shop.example/help'],
    openRate: 0.6,
    clickGivenOpen: 0.14,
    bounce: 0.005,
  },
  {
    id: 'b2b-digest',
    kind: 'newsletter',
    audience: 'b2b',
    recipients: 1500,
    steps: 1,
    pixel: true,
    links: () => [
      'https://vendor.example/digest/web-version',
      'https://vendor.example/blog/zero-trust',
      'https://vendor.example/blog/pricing-update',
      'https://vendor.example/webinar/register',
      'https://vendor.example/report.pdf',
      'https://linkedin.com/company/vendor-example',
      'https://vendor.example/preferences',
    ],
    openRate: 0.28,
    clickGivenOpen: 0.16,
    bounce: 0.02,
  },
];

// Consumer mailboxes. Gmail's image proxy fetches when the person opens (Gmail's 2013 announcement; uap-core
// 170). Apple Mail Privacy Protection prefetches near delivery with `Mozilla/5.0` (uap-core issue 509). Outlook's
// image proxy fetches through Microsoft when the person downloads images (warmbly pull request 569).
// Yahoo's proxy fetches at open (ua-parser-js issue 494). Shares are rough public market-share figures.
export const CONSUMER_MAILBOX = { gmail: 42, appleMpp: 28, outlookCom: 14, yahoo: 9, other: 7 };
// Businesses: Microsoft 365 with Defender Safe Links (detonation from EOP addresses soon after delivery:
// Microsoft 365 "URLs and IP address ranges" IDs 9/10, Safe Links docs), Google Workspace, and gateways in
// front (Mimecast, Proofpoint, Barracuda: mautic issue 16263, resend-node issue 901, Act-On's false-click guide).
export const B2B_MAILBOX = { m365: 42, workspace: 24, mimecast: 13, proofpoint: 12, barracuda: 9 };
// How the person's browser reaches the web from work: secure web gateways (Zscaler), browser isolation
// (Menlo, on cloud hosts), cloud desktops (Azure Virtual Desktop / Windows 365, on Microsoft addresses),
// one company NAT with the same managed browser for everyone (shared/signals README, "people behind vendors").
export const B2B_NETWORK = { corpNat: 44, zscaler: 15, menlo: 5, cloudDesktop: 7, home: 19, mobile: 10 };

/** Builds the labelled sample: { events, truth, campaigns } for one seed. */
