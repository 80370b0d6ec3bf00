// POST /webhooks/<provider> (SPEC.md "Provider webhooks"): no API key; the provider's own signature or
// credential decides. 404 for a provider that is not configured, 401 for a missing, wrong or stale
// signature, 400 for a body that is not the provider's, and 200 only once the events are fsynced in the
// spool: providers retry anything else, so an acknowledged event is never lost. `/webhooks/<p>/inbound`
// (inbound mail) is not answered here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ClickrateError } from '../errors.js';
import type { Spool } from '../tracking/spool.js';
import type { WebhookSetups } from '../webhooks/webhook-config.js';
import { WEBHOOK_ENV } from '../webhooks/webhook-config.js';
import { mailLinksOf, toClickrateEvents } from '../webhooks/provider-event.js';
import type { MailLink } from '../store/mail-links.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import { WEBHOOK_PROVIDERS, type WebhookProvider } from '../webhooks/webhook-verdict.js';
import { z } from 'zod';
import { countWebhookRefused } from './prom-metrics.js';
import { readBody } from './read-body.js';
import { sendJson } from './reply.js';
import { describeRoute } from './route-docs.js';

/** SendGrid batches events up to about 1,000 per POST; 8 MiB leaves room without letting a body eat memory. */
const WEBHOOK_BODY_LIMIT = 8 * 1024 * 1024;

const PATH = /^\/webhooks\/([^/]+)$/;

export interface WebhookDeps {
  spool: Spool;
  /** Where the provider Message-IDs of messages are recorded (reply matching); absent: not recorded. */
  store?: Store;
  /** Hashes the thread subjects events carry (tracking/thread-subject.ts); absent: subjects are not kept. */
  keyring?: Keyring;
  setups: WebhookSetups;
  log?: Logger;
}

describeRoute({
  method: 'post',
  path: '/webhooks/{provider}',
  tag: 'webhooks',
  summary: 'A provider’s event delivery, verified by its own signature or credential (docs/webhooks.md)',
  description: 'Answered 200 only once the events are fsynced in the spool; providers retry anything else.',
  auth: 'none',
  params: z.strictObject({ provider: z.enum(WEBHOOK_PROVIDERS).describe('The provider, as configured in the environment.') }),
  body: { schema: z.unknown().describe('The provider’s own body as it signed it (JSON; SNS posts it as text/plain).'), contentType: '*/*' },
  responses: {
    200: {
      description: 'What was stored from the delivery.',
      schema: z.strictObject({
        received: z.number().int(),
        stored: z.number().int(),
        skipped: z.number().int(),
        refused: z.array(z.strictObject({ index: z.number().int(), reason: z.string() })),
      }),
    },
    401: { description: 'A missing, wrong or stale signature or credential.' },
    405: { description: 'Only POST.' },
  },
});

const isProvider = (p: string): p is WebhookProvider => (WEBHOOK_PROVIDERS as readonly string[]).includes(p);

/** Answers `/webhooks/<provider>`; false for any other path (so sub-paths stay free for other routes). */
export async function routeWebhook(req: IncomingMessage, res: ServerResponse, path: string, deps: WebhookDeps): Promise<boolean> {
  const m = PATH.exec(path);
  if (!m) return false;
  const provider = m[1]!;
  if (!isProvider(provider))
    throw new ClickrateError('CR_ERR_NOT_FOUND', `no webhook for ${JSON.stringify(provider.slice(0, 40))}; providers: ${WEBHOOK_PROVIDERS.join(', ')}`);
  const setup = deps.setups.get(provider);
  if (!setup) throw new ClickrateError('CR_ERR_NOT_FOUND', `the ${provider} webhook is not configured (set ${WEBHOOK_ENV[provider]})`);
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    sendJson(res, 405, { error: { code: 'CR_ERR_BAD_INPUT', message: 'method not allowed; use POST' } });
    return true;
  }
  const body = await readBody(req, WEBHOOK_BODY_LIMIT);
  const verdict = await setup.verify(req.headers, body);
  if (!verdict.ok) {
    deps.log?.warn({ provider, status: verdict.status, reason: verdict.reason }, 'webhook delivery refused');
    countWebhookRefused(provider, verdict.status === 401 ? 'unauthorized' : 'malformed');
    throw new ClickrateError(verdict.status === 401 ? 'CR_ERR_UNAUTHORIZED' : 'CR_ERR_BAD_INPUT', `${provider} webhook: ${verdict.reason}`);
  }
  const batch = await setup.read(body);
  if (!batch.ok) throw new ClickrateError('CR_ERR_BAD_INPUT', `${provider} webhook: ${batch.reason}`);
  const lines: string[] = [];
  const refused: Array<{ index: number; reason: string }> = [];
  batch.events.forEach((pe, index) => {
    const mapped = toClickrateEvents(pe);
    if (mapped.ok) for (const e of mapped.events) lines.push(`${JSON.stringify(e)}\n`);
    else refused.push({ index, reason: mapped.reason });
  });
  // The provider's Message-IDs first: a store that cannot take them answers 503 before anything is
  // acknowledged, and the provider's retry records them (a link already stored is kept once).
  const links = batch.events.flatMap((pe) => mailLinksOf(pe, Date.now(), deps.keyring));
  if (links.length > 0 && deps.store !== undefined) await recordLinks(deps.store, links, provider);
  if (refused.length > 0) deps.log?.warn({ provider, refused }, 'webhook events that name no message or fail the event checks were not stored');
  if (lines.length > 0) {
    // One write for the whole delivery (all of it or none), then the fsync: only then is 200 promised.
    deps.spool.appendLines(lines.join(''), lines.length);
    await deps.spool.flushed();
  }
  sendJson(res, 200, { received: batch.events.length + batch.skipped, stored: lines.length, skipped: batch.skipped, refused });
  return true;
}

async function recordLinks(store: Store, links: MailLink[], provider: WebhookProvider): Promise<void> {
  try {
    await store.recordMailLinks(links);
  } catch (err) {
    if (err instanceof ClickrateError) throw err;
    throw new ClickrateError('CR_ERR_STORE', `${provider} webhook: the store cannot record the messages' Message-IDs (${(err as Error).message}); retry`);
  }
}
