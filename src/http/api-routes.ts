// The HTTP API (SPEC.md "Interfaces"): wrap a message, post events, read a campaign's report, list
// campaigns. Every route here needs an API key; bodies are size-limited and errors are JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClickrateError } from '../errors.js';
import { refusedPositions, validateEvents, type RejectedEvent } from '../ingest/ingest-events.js';
import { makeEvent } from '../events/make-event.js';
import { listCampaigns } from '../metrics/list-campaigns.js';
import { runReport } from '../metrics/run-report.js';
import { assertMessageCampaign } from '../store/message-owner.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import type { Spool } from '../tracking/spool.js';
import { defaultUtm } from '../tracking/utm.js';
import { wrapMessage } from '../tracking/wrap-message.js';
import { readBody, readJson } from './read-body.js';
import { sendJson } from './reply.js';
import type { TemplateSaver } from './template-saver.js';
import { parseWrapRequest, trackingPolicy } from './wrap-request.js';

/** Body limits per route. A wrap body is one email (Gmail clips HTML past ~102 KB; 2 MB is generous). */
const LIMITS = { wrap: 2 * 1024 * 1024 + 64 * 1024, events: 16 * 1024 * 1024 } as const;
/** Events per POST: larger uploads belong in `clickrate import`, which streams. */
const MAX_EVENTS_PER_REQUEST = 100_000;

export interface ApiDeps {
  store: Store;
  spool: Spool;
  keyring: Keyring;
  baseUrl: string;
  /** Keeps each wrapped template for the click map (absent: templates are not kept). */
  templates?: TemplateSaver;
}

export async function postWrap(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = parseWrapRequest(await readJson(req, LIMITS.wrap));
  // A message id of another campaign: 409 before anything is spooled (the store would refuse the sent).
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
  // SPEC.md: a message wrapped through the API needs no separate `sent`. The id makes a retried wrap of
  // the same message id record one send, and appendDurable waits for the fsync before we answer.
  await deps.spool.appendDurable(
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
  sendJson(res, 200, result);
}

/** A JSON array, or NDJSON (one object per line); rejected entries are named by index and line. */
function parseEventsBody(text: string): { items: unknown[]; lines: number[]; rejected: RejectedEvent[] } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (err) {
      throw new ClickrateError('CR_ERR_BAD_INPUT', `the body is not valid JSON (${(err as Error).message})`);
    }
    const items = arr as unknown[];
    return { items, lines: items.map(() => 0), rejected: [] };
  }
  const items: unknown[] = [];
  const lines: number[] = [];
  const rejected: RejectedEvent[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      items.push(JSON.parse(raw));
    } catch (err) {
      items.push(null);
      rejected.push({ index: items.length - 1, reason: `line ${i + 1}: not valid JSON (${(err as Error).message})` });
    }
    lines.push(i + 1);
  });
  return { items, lines, rejected };
}

export async function postEvents(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const { items, lines, rejected: unparsable } = parseEventsBody(await readBody(req, LIMITS.events));
  if (items.length > MAX_EVENTS_PER_REQUEST) {
    throw new ClickrateError('CR_ERR_TOO_LARGE', `${items.length} events in one request; send at most ${MAX_EVENTS_PER_REQUEST} (or use \`clickrate import\`)`);
  }
  const bad = new Set(unparsable.map((r) => r.index));
  const { events, indexes, rejected } = validateEvents(items.map((it, i) => (bad.has(i) ? {} : it)));
  const reasons = new Map(unparsable.map((r) => [r.index, r.reason]));
  const named = (index: number, reason: string) => ({ index, ...(lines[index] ? { line: lines[index] } : {}), reason });
  const allRejected = rejected.map((r) => named(r.index, reasons.get(r.index) ?? r.reason));
  let inserted = 0;
  let duplicates = 0;
  let refused = 0;
  if (events.length > 0) {
    const session = await deps.store.beginIngest();
    try {
      await session.append(events);
      const counts = await session.commit();
      ({ inserted, duplicates } = counts);
      // Events the store refused (a sent naming a message of another campaign) are rejected like invalid ones.
      const positions = refusedPositions(events, counts.refused ?? []);
      for (const p of positions) allRejected.push(named(indexes[p.position]!, p.reason));
      allRejected.sort((a, b) => a.index - b.index);
      refused = positions.length;
    } catch (err) {
      await session.abort();
      throw err;
    }
  }
  // Valid events are stored even when others are not; the answer lists every rejected one and why.
  const accepted = events.length - refused;
  const status = accepted === 0 && allRejected.length > 0 ? 400 : 200;
  sendJson(res, status, { received: items.length, accepted, inserted, duplicates, rejected: allRejected });
}

export async function getReport(res: ServerResponse, deps: ApiDeps, campaign: string, query: URLSearchParams): Promise<void> {
  const report = await runReport(deps.store, {
    campaign,
    by: query.get('by') ?? undefined,
    window: query.get('window') ?? undefined,
    control: query.get('control') ?? undefined,
  });
  sendJson(res, 200, report);
}

export async function getCampaigns(res: ServerResponse, deps: ApiDeps): Promise<void> {
  sendJson(res, 200, { campaigns: await listCampaigns(deps.store) });
}
