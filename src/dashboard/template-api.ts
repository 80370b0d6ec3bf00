// POST /api/v1/templates: keeps a message's HTML as sent (before wrapping), per campaign, step and
// variant, for the click map. The Nodemailer plugin posts it when given apiUrl and apiKey (it sends the
// `sent` events there too), once per template; /api/v1/wrap keeps its own. docs/click-map.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ClickrateError } from '../errors.js';
import { illFormedPath } from '../events/well-formed.js';
import { readJson } from '../http/read-body.js';
import { sendJson } from '../http/reply.js';
import type { Store } from '../store/store.js';

/** As a wrap request's html (http/wrap-request.ts), plus the JSON around it. */
const TEMPLATE_LIMIT = 2 * 1024 * 1024 + 64 * 1024;

const templateSchema = z.strictObject({
  campaign: z.string().min(1).max(200),
  step: z.number().int().min(1).nullable().optional(),
  variant: z.string().min(1).max(100).nullable().optional(),
  html: z.string().min(1).max(2_000_000),
});

function parseTemplateBody(body: unknown): z.infer<typeof templateSchema> {
  const illFormed = illFormedPath(body);
  if (illFormed !== null) throw new ClickrateError('CR_ERR_BAD_INPUT', `invalid template: ${illFormed}`);
  const r = templateSchema.safeParse(body);
  if (!r.success) {
    const reason = r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new ClickrateError('CR_ERR_BAD_INPUT', `invalid template: ${reason}`);
  }
  return r.data;
}

/** Replaces the stored template of (campaign, step, variant); 201 with what was kept. */
export async function postTemplate(req: IncomingMessage, res: ServerResponse, store: Store): Promise<void> {
  const t = parseTemplateBody(await readJson(req, TEMPLATE_LIMIT));
  const saved_at = Date.now();
  await store.saveTemplate({ campaign: t.campaign, step: t.step ?? null, variant: t.variant ?? null, html: t.html, saved_at });
  sendJson(res, 201, { campaign: t.campaign, step: t.step ?? null, variant: t.variant ?? null, saved_at });
}
