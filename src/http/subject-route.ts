// POST /api/v1/subjects: a message's Subject, given after the message was wrapped elsewhere (the
// Nodemailer plugin wraps in the sender's process and posts the subject here beside its `sent`). Only a
// keyed hash of its thread subject is stored, for matching replies (docs/replies.md §3), never the text.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ClickrateError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import { threadSubjectHash } from '../tracking/thread-subject.js';
import { readJson } from './read-body.js';
import { sendJson } from './reply.js';
import { describeRoute } from './route-docs.js';
import { wrapRequestSchema } from './wrap-request.js';

/** A message id and a Subject header line: a few KB at most. */
const SUBJECT_BODY_LIMIT = 16 * 1024;

const subjectRequestSchema = z.strictObject({
  message: wrapRequestSchema.shape.campaign.describe('The clickrate message id the mail was sent as.'),
  subject: z.string().max(998).describe("The mail's Subject as sent; only a keyed hash of its thread subject is kept."),
});

describeRoute({
  method: 'post',
  path: '/api/v1/subjects',
  tag: 'tracking',
  summary: "A sent message's Subject, kept as a keyed hash of its thread subject to match replies (docs/replies.md)",
  auth: 'key',
  body: { schema: subjectRequestSchema },
  responses: {
    200: { description: 'Whether a hash was kept (false: a subject with no words).', schema: z.strictObject({ stored: z.boolean() }) },
  },
});

export async function postSubject(req: IncomingMessage, res: ServerResponse, deps: { store: Store; keyring: Keyring }): Promise<void> {
  const r = subjectRequestSchema.safeParse(await readJson(req, SUBJECT_BODY_LIMIT));
  if (!r.success) {
    const reason = r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new ClickrateError('CR_ERR_BAD_INPUT', `invalid subject request: ${reason}`);
  }
  const hash = threadSubjectHash(r.data.subject, deps.keyring);
  if (hash !== null) await deps.store.recordMailLinks([{ kind: 'subject', value: hash, message: r.data.message, source: 'api', at: Date.now() }]);
  sendJson(res, 200, { stored: hash !== null });
}
