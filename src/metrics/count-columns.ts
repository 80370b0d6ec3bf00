// The count columns the report queries return, shared by the compilers (which produce them) and the
// shape step (which turns them into rates). One list per query kind keeps both sides in step.

/** The per-group message-grain counts the base query returns (besides `key`). */
export const EMAIL_COUNT_COLUMNS = [
  'sent',
  'bounced',
  'delivered',
  'unique_opens',
  'implied_opens',
  'unique_clicks',
  'total_clicks',
  'machine_opens',
  'scanner_clicks',
  'privacy_hidden',
  'replies',
  'auto_replies',
  'opt_out_replies',
  'unsubscribes',
  'complaints',
  'conversions',
  'revenue',
  'raw_unique_opens',
  'raw_unique_clicks',
  'raw_total_clicks',
] as const;
export type EmailCountColumn = (typeof EMAIL_COUNT_COLUMNS)[number];

export const LINK_COUNT_COLUMNS = ['unique_clicks', 'total_clicks', 'scanner_clicks', 'raw_unique_clicks', 'raw_total_clicks'] as const;
export type LinkCountColumn = (typeof LINK_COUNT_COLUMNS)[number];

export const AD_COUNT_COLUMNS = ['impressions', 'clicks', 'machine_clicks', 'raw_clicks', 'conversions', 'revenue'] as const;
export type AdCountColumn = (typeof AD_COUNT_COLUMNS)[number];
