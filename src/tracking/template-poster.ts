// Sends the Nodemailer plugin's templates to the clickrate server (POST /api/v1/templates) so campaigns
// sent through the plugin get a click map. One POST per campaign, step and variant, and again only when
// the message's links change: a bulk send personalises every copy (names, greetings), and posting each
// copy would double the plugin's requests for nothing the map shows.
import { createHash } from 'node:crypto';
import { ClickrateError } from '../errors.js';
import { findHtmlLinks } from './wrap-html.js';

/** Beyond this many remembered templates the memory is dropped and the next sends post again. */
const MAX_REMEMBERED = 10_000;

export interface TemplateKey {
  campaign: string;
  step?: number;
  variant?: string;
}

export class TemplatePoster {
  /** Digest of the links last posted per (campaign, step, variant). */
  private readonly posted = new Map<string, string>();

  constructor(
    private readonly url: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
  ) {}

  /** Posts the template unless this one's links were posted already; throws when the server refuses it. */
  async post(key: TemplateKey, html: string): Promise<void> {
    const id = JSON.stringify([key.campaign, key.step ?? null, key.variant ?? null]);
    const links = createHash('sha256')
      .update(JSON.stringify(findHtmlLinks(html).map((l) => l.url)))
      .digest('base64url');
    if (this.posted.get(id) === links) return;
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ campaign: key.campaign, step: key.step ?? null, variant: key.variant ?? null, html }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await res.text(); // read to the end so the connection can be reused
    if (!res.ok) throw new ClickrateError('CR_ERR_STORE', `${this.url} answered HTTP ${res.status}: ${body.slice(0, 300)}`);
    if (this.posted.size >= MAX_REMEMBERED) this.posted.clear();
    this.posted.set(id, links);
  }
}
