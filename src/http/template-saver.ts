// Keeps the original HTML of what POST /api/v1/wrap tracked, per campaign, step and variant, for the
// dashboard's click map. Best effort: a failure is logged and never fails the wrap.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

/** Beyond this many remembered templates the memory is dropped and the next wraps save again. */
const MAX_REMEMBERED = 10_000;

export class TemplateSaver {
  /** Hash of the last HTML saved per (campaign, step, variant) by this process. */
  private readonly last = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /**
   * Saves unless the same HTML was saved by this process already. TRICKY: one campaign sends the same
   * template to thousands of recipients; without this, every wrap would rewrite the same row.
   */
  async save(campaign: string, step: number | null, variant: string | null, html: string): Promise<void> {
    const key = JSON.stringify([campaign, step, variant]);
    const hash = createHash('sha256').update(html).digest('base64url');
    if (this.last.get(key) === hash) return;
    try {
      await this.store.saveTemplate({ campaign, step, variant, html, saved_at: Date.now() });
      if (this.last.size >= MAX_REMEMBERED) this.last.clear();
      this.last.set(key, hash);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, campaign, step, variant }, 'template not saved; the click map will lack it');
    }
  }
}
