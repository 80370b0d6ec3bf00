// Wrapping a message for sending, as POST /api/v1/wrap and `clickrate wrap` both do it: the links signed
// and the pixel added (wrapMessage), the message's `sent` event recorded, and the original HTML kept
// for the click map. Where the `sent` goes is the caller's: the server's spool, or the store itself.
import type { ClickrateEvent } from '../events/event.js';
import { makeEvent } from '../events/make-event.js';
import { assertMessageCampaign } from '../store/message-owner.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import { threadSubjectHash } from '../tracking/thread-subject.js';
import { defaultUtm } from '../tracking/utm.js';
import { wrapMessage, type WrapResult } from '../tracking/wrap-message.js';
import type { TemplateSaver } from './template-saver.js';
import { trackingPolicy, type WrapRequest } from './wrap-request.js';

export interface WrapAndRecordDeps {
  store: Store;
  keyring: Keyring;
  baseUrl: string;
  /** Keeps each wrapped template for the click map (absent: templates are not kept). */
  templates?: TemplateSaver;
  /** Records the `sent` event durably before the wrapped message is handed back. */
  recordSent(event: ClickrateEvent): Promise<void>;
}

export async function wrapAndRecord(body: WrapRequest, deps: WrapAndRecordDeps): Promise<WrapResult> {
  // A message id of another campaign: 409 before anything is recorded (the store would refuse the sent).
  if (body.message !== undefined) await assertMessageCampaign(deps.store, body.message, body.campaign);
  const result = wrapMessage(
    {
      html: body.html,
      text: body.text,
      campaign: body.campaign,
      recipient: body.recipient,
      message: body.message,
      step: body.step,
      variant: body.variant,
      segment: body.segment,
    },
    {
      baseUrl: deps.baseUrl,
      keyring: deps.keyring,
      tracking: trackingPolicy(body.tracking),
      pixel: body.pixel ?? true,
      honeypot: body.honeypot ?? false,
      senderDomain: body.sender,
      utm: body.utm ? defaultUtm(body.campaign) : undefined,
    },
  );
  // The thread subject's keyed hash before the `sent`: a link to a message whose send then fails is harmless.
  const hash = body.subject === undefined ? null : threadSubjectHash(body.subject, deps.keyring);
  if (hash !== null) await deps.store.recordMailLinks([{ kind: 'subject', value: hash, message: result.message, source: 'wrap', at: Date.now() }]);
  // SPEC.md: a wrapped message needs no separate `sent`. The id makes a retried wrap of the same
  // message id record one send.
  await deps.recordSent(
    makeEvent({
      id: `sent:${result.message}`,
      type: 'sent',
      ts: Date.now(),
      message: result.message,
      campaign: body.campaign,
      recipient: body.recipient,
      step: body.step ?? null,
      variant: body.variant ?? null,
      segment: body.segment ?? null,
    }),
  );
  // The original HTML (before wrapping): its hrefs are the URLs the link report is keyed by.
  if (deps.templates && body.html !== undefined) await deps.templates.save(body.campaign, body.step ?? null, body.variant ?? null, body.html);
  return result;
}
