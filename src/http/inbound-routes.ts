// POST /webhooks/<provider>/inbound (SPEC.md "Provider webhooks"; docs/replies.md "Inbound webhooks"):
// a reply handed over by the provider that received it, read, matched and classified as a mailbox's
// mail is (recordReplies), and answered 200 only once its event is in the store: providers retry
// anything else. 401 stores nothing; 400 names what is malformed; 404 for a provider not configured.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ClickrateError } from '../errors.js';
import { postmarkInboundMail } from '../replies/postmark-inbound.js';
import { type MailItem, recordReplies } from '../replies/record-replies.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import { SENDGRID_INBOUND_ENV, WEBHOOK_ENV, type WebhookSetups } from '../webhooks/webhook-config.js';
import { header, sameSecret, type VerifyVerdict, type WebhookHeaders } from '../webhooks/webhook-verdict.js';
import { countRepliesRead, countWebhookRefused } from './prom-metrics.js';
import { readBytes } from './read-body.js';
import { sendJson } from './reply.js';
import { describeRoute } from './route-docs.js';

/** SendGrid Inbound Parse: "The total message size limit, including the message itself and any attachments, is 30MB." */
const INBOUND_BODY_LIMIT = 30 * 1024 * 1024;
/**
 * TRICKY: Mailgun posts the raw message (`body-mime`) only to a URL ending in "mime" (Mailgun docs,
 * "Receiving Messages via HTTP through a forward() action"), so its route forwards to `…/inbound/mime`.
 */
const PATH = /^\/webhooks\/([^/]+)\/inbound(\/mime)?$/;
const INBOUND_PROVIDERS = ['sendgrid', 'mailgun', 'postmark'] as const;
type InboundProvider = (typeof INBOUND_PROVIDERS)[number];

export interface InboundDeps {
  store: Store;
  keyring: Keyring;
  /** The event webhooks' setups: Mailgun and Postmark inbound are checked by their verifiers. */
  setups: WebhookSetups;
  log?: Logger;
  /** CLICKRATE_SENDGRID_INBOUND_AUTH as read and checked at start (webhook-config.ts); absent: not configured. */
  sendgridAuth?: string;
}

const INBOUND_RESPONSES = {
  200: {
    description: 'What the mail is and whether this delivery stored it (false: stored before, or answers none of ours).',
    schema: z.strictObject({
      kind: z.enum(['human', 'auto', 'opt_out', 'bounce', 'delay', 'unmatched']),
      message: z.string().nullable(),
      reasons: z.array(z.string()),
      status: z.string().optional(),
      stored: z.boolean(),
    }),
  },
  400: { description: 'Not a form or JSON of the provider, no message in it, or not a readable message.' },
  401: { description: 'A missing, wrong or stale signature or credential; nothing is stored.' },
  405: { description: 'Only POST.' },
  413: { description: 'A body over 30 MB.' },
};

describeRoute({
  method: 'post',
  path: '/webhooks/{provider}/inbound',
  tag: 'webhooks',
  summary: 'A reply received by the provider: SendGrid Inbound Parse (raw), Mailgun routes (/mime), Postmark inbound JSON (docs/replies.md)',
  description: 'Answered 200 only once the reply is stored (or known to answer none of our messages); providers retry anything else.',
  auth: 'none',
  params: z.strictObject({ provider: z.enum(INBOUND_PROVIDERS).describe('The provider, configured as for its event webhooks.') }),
  body: {
    schema: z.unknown().describe('multipart/form-data (SendGrid `email`, Mailgun `body-mime`), urlencoded (Mailgun) or JSON (Postmark).'),
    contentType: '*/*',
  },
  responses: INBOUND_RESPONSES,
});

describeRoute({
  method: 'post',
  path: '/webhooks/mailgun/inbound/mime',
  tag: 'webhooks',
  summary: 'A reply received by Mailgun, forwarded by a route with the raw message in `body-mime` (docs/replies.md)',
  description: 'The same route as /webhooks/{provider}/inbound for Mailgun: Mailgun posts the raw message only to a URL ending in "mime".',
  auth: 'none',
  body: { schema: z.unknown().describe('multipart/form-data or urlencoded: body-mime, timestamp, token, signature.'), contentType: '*/*' },
  responses: INBOUND_RESPONSES,
});

const isInbound = (p: string): p is InboundProvider => (INBOUND_PROVIDERS as readonly string[]).includes(p);

/** Why a delivery is refused: 401 stores nothing and names the credential; 400 names what is malformed. */
type Refusal = Extract<VerifyVerdict, { ok: false }>;
/** The checks of one configured provider: who sent the delivery, and which mail it holds. */
type Reader = (headers: WebhookHeaders, body: () => Promise<Buffer>) => Promise<Refusal | MailItem>;

/** Basic auth whose `user:password` is `expected`, compared in constant time. */
function basicAuth(headers: WebhookHeaders, expected: string): Refusal | null {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
  if (!m) return { ok: false, status: 401, reason: 'SendGrid inbound deliveries must carry basic auth (https://user:password@host/webhooks/sendgrid/inbound)' };
  if (sameSecret(Buffer.from(m[1]!, 'base64').toString('utf8'), expected)) return null;
  return { ok: false, status: 401, reason: 'wrong basic-auth credentials for SendGrid inbound' };
}

const malformedForm = (reason: string): Refusal => ({ ok: false, status: 400, reason });

/** A form body read by the platform's own parser (undici's Request.formData: multipart or urlencoded). */
async function readForm(headers: WebhookHeaders, body: Buffer): Promise<FormData | Refusal> {
  const type = header(headers, 'content-type') ?? '';
  if (!/^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
    return malformedForm(`the body must be multipart/form-data or application/x-www-form-urlencoded, not ${JSON.stringify(type.slice(0, 80))}`);
  }
  try {
    // Buffer.concat (readBytes) allocates an ordinary ArrayBuffer, never a shared one.
    const bytes = body as Uint8Array<ArrayBuffer>;
    return await new Request('http://inbound.invalid/', { method: 'POST', headers: { 'content-type': type }, body: bytes }).formData();
  } catch (err) {
    return malformedForm(`the form cannot be read (${(err as Error).message})`);
  }
}

/**
 * One form field as bytes, or null. TRICKY: a text field comes back decoded as UTF-8; a raw message in
 * 8-bit text of another charset loses those characters (headers, which matching reads, are ASCII).
 */
async function fieldBytes(form: FormData, name: string): Promise<Buffer | null> {
  const v = form.get(name);
  if (v === null) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(await v.arrayBuffer());
}

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
};

/** The reader of each configured provider; the variable to set when it is not configured. */
function readerOf(provider: InboundProvider, deps: InboundDeps): Reader | string {
  if (provider === 'sendgrid') {
    const auth = deps.sendgridAuth;
    if (auth === undefined) return SENDGRID_INBOUND_ENV;
    return async (headers, body) => {
      // The credential is in the headers: a stranger's delivery is refused before its body is read.
      const denied = basicAuth(headers, auth);
      if (denied) return denied;
      const form = await readForm(headers, await body());
      if (!(form instanceof FormData)) return form;
      const raw = await fieldBytes(form, 'email');
      // Without "POST the raw, full MIME message" SendGrid posts parsed fields and no `email`.
      return raw
        ? { raw, where: 'sendgrid:inbound' }
        : malformedForm('no `email` field: turn on "POST the raw, full MIME message" in the Inbound Parse settings');
    };
  }
  const setup = deps.setups.get(provider);
  if (!setup) return WEBHOOK_ENV[provider];
  if (provider === 'postmark') {
    return async (headers, body) => {
      // Postmark's verifier reads only the Authorization header: checked before the body is read.
      const verdict = await setup.verify(headers, '');
      if (!verdict.ok) return verdict;
      const mail = postmarkInboundMail((await body()).toString('utf8'));
      return mail.ok ? { raw: mail.raw, where: mail.where } : malformedForm(mail.reason);
    };
  }
  return async (headers, body) => {
    const form = await readForm(headers, await body());
    if (!(form instanceof FormData)) return form;
    // TRICKY: Mailgun signs a route's forward with the same timestamp/token/signature triple as its
    // event webhooks, only as form fields; handed to the configured verifier in its JSON shape, the
    // same key and replay window decide (mailgun-verify.ts).
    const signature = { timestamp: field(form, 'timestamp'), token: field(form, 'token'), signature: field(form, 'signature') };
    const verdict = await setup.verify(headers, JSON.stringify({ signature }));
    if (!verdict.ok) return verdict;
    const raw = await fieldBytes(form, 'body-mime');
    return raw ? { raw, where: 'mailgun:inbound' } : malformedForm('no `body-mime` field: the route must forward to a URL ending in /mime');
  };
}

/** Answers `/webhooks/<provider>/inbound`; false for any other path. */
export async function routeInbound(req: IncomingMessage, res: ServerResponse, path: string, deps: InboundDeps): Promise<boolean> {
  const m = PATH.exec(path);
  if (!m) return false;
  const provider = m[1]!;
  if (m[2] !== undefined && provider !== 'mailgun') throw new ClickrateError('CR_ERR_NOT_FOUND', `${path}: only Mailgun posts to /inbound/mime`);
  if (!isInbound(provider))
    throw new ClickrateError('CR_ERR_NOT_FOUND', `no inbound webhook for ${JSON.stringify(provider.slice(0, 40))}; providers: ${INBOUND_PROVIDERS.join(', ')}`);
  const reader = readerOf(provider, deps);
  if (typeof reader === 'string') throw new ClickrateError('CR_ERR_NOT_FOUND', `the ${provider} inbound webhook is not configured (set ${reader})`);
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    sendJson(res, 405, { error: { code: 'CR_ERR_BAD_INPUT', message: 'method not allowed; use POST' } });
    return true;
  }
  const read = await reader(req.headers, () => readBytes(req, INBOUND_BODY_LIMIT));
  if ('ok' in read) {
    deps.log?.warn({ provider, status: read.status, reason: read.reason }, 'inbound delivery refused');
    countWebhookRefused(provider, read.status === 401 ? 'unauthorized' : 'malformed');
    throw new ClickrateError(read.status === 401 ? 'CR_ERR_UNAUTHORIZED' : 'CR_ERR_BAD_INPUT', `${provider} inbound: ${read.reason}`);
  }
  const [outcome] = await recordReplies(deps.store, [{ ...read, receivedAt: Date.now() }], { keyring: deps.keyring });
  if (!outcome || outcome.kind === 'unreadable') {
    countWebhookRefused(provider, 'malformed');
    throw new ClickrateError('CR_ERR_BAD_INPUT', `${provider} inbound: ${outcome?.error ?? 'no mail read'}`);
  }
  countRepliesRead(provider);
  deps.log?.info({ provider, kind: outcome.kind, message: outcome.message, reasons: outcome.reasons, stored: outcome.stored }, 'inbound mail read');
  const { where: _where, error: _error, ...answer } = outcome;
  sendJson(res, 200, answer);
  return true;
}
