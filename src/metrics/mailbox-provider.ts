// Maps a recipient's domain to the mailbox provider that hosts it, for `--by provider`. Only consumer
// domains can be known from the address; a business domain's host needs an MX lookup, so it is 'other'.
import { sqlList } from '../store/message-grain.js';

const PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  gmail: ['gmail.com', 'googlemail.com'],
  outlook: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'hotmail.co.uk', 'hotmail.fr', 'outlook.fr', 'live.co.uk'],
  yahoo: ['yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.co.jp'],
  aol: ['aol.com', 'aim.com'],
  apple: ['icloud.com', 'me.com', 'mac.com'],
  proton: ['proton.me', 'protonmail.com', 'pm.me'],
  gmx: ['gmx.com', 'gmx.de', 'gmx.net', 'web.de'],
  yandex: ['yandex.ru', 'yandex.com', 'ya.ru'],
  zoho: ['zoho.com', 'zohomail.com'],
  fastmail: ['fastmail.com', 'fastmail.fm'],
  'mail.ru': ['mail.ru', 'bk.ru', 'inbox.ru', 'list.ru'],
  qq: ['qq.com'],
  netease: ['163.com', '126.com'],
  comcast: ['comcast.net'],
};

const BY_DOMAIN = new Map<string, string>(Object.entries(PROVIDERS).flatMap(([p, domains]) => domains.map((d) => [d, p] as const)));

/** '' (no '@' in the recipient) is 'unknown': the recipient id is opaque, not an address. */
export function mailboxProvider(domain: string | null): string {
  if (!domain) return 'unknown';
  return BY_DOMAIN.get(domain.toLowerCase()) ?? 'other';
}

/**
 * mailboxProvider as SQL over a lower-cased domain expression (SqlDialect.domainOf), for a figure that
 * cannot be computed per domain and summed into providers, as counts are (reply-delay.ts: a median).
 */
export function providerOfSql(domain: string): string {
  const known = Object.entries(PROVIDERS).map(([p, domains]) => `WHEN ${domain} IN (${sqlList(domains)}) THEN '${p}'`);
  return `CASE WHEN coalesce(${domain}, '') = '' THEN 'unknown' ${known.join(' ')} ELSE 'other' END`;
}
