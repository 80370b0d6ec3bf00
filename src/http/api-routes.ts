// The HTTP API (SPEC.md "Interfaces"): wrap a message, post events, read a campaign's report, list
// campaigns. Every route here needs an API key; bodies are size-limited and errors are JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClickrateError } from '../errors.js';
import { refusedPositions, validateEvents, type RejectedEvent } from '../ingest/ingest-events.js';
import { listCampaigns } from '../metrics/list-campaigns.js';
import { runReport } from '../metrics/run-report.js';
import type { Store } from '../store/store.js';
import type { Keyring } from '../tracking/keyring.js';
import type { Spool } from '../tracking/spool.js';
import { refuseWindowOnAds } from './ad-window.js';
import { readBody, readJson } from './read-body.js';
import { sendJson } from './reply.js';
import type { TemplateSaver } from './template-saver.js';
import { wrapAndRecord } from './wrap-and-record.js';
import { wrapResultSchema } from '../tracking/wrap-result-schema.js';
import { parseWrapRequest, wrapRequestSchema } from './wrap-request.js';
import { z } from 'zod';
import { eventShapeSchema } from '../events/event.js';
import { campaignListSchema, campaignParam, reportSchema, windowParam } from './api-schemas.js';
import { describeRoute } from './route-docs.js';

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

describeRoute({
  method: 'post',
  path: '/api/v1/wrap',
  tag: 'tracking',
  summary: 'Wrap a message: signed tracked links, the open pixel, and its sent event',
  auth: 'key',
  body: { schema: wrapRequestSchema, description: 'Give html, text or both.' },
  responses: {
    200: {
      description: 'The wrapped message and what became of each link.',
      schema: wrapResultSchema,
    },
    409: { description: 'The message id belongs to another campaign.' },
  },
});

export async function postWrap(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<void> {
  const body = parseWrapRequest(await readJson(req, LIMITS.wrap));
  // appendDurable waits for the fsync before we answer.
  sendJson(res, 200, await wrapAndRecord(body, { ...deps, recordSent: (event) => deps.spool.appendDurable(event) }));
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

const eventsAnswer = z.strictObject({
  received: z.number().int(),
  accepted: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.strictObject({ index: z.number().int(), line: z.number().int().optional(), reason: z.string() })),
});
describeRoute({
  method: 'post',
  path: '/api/v1/events',
  tag: 'tracking',
  summary: 'Record events: a JSON array, or NDJSON (one event per line)',
  description: `Valid events are stored even when others are not; each rejected one is named with its reason. At most ${MAX_EVENTS_PER_REQUEST} events per request.`,
  auth: 'key',
  body: {
    schema: z.array(eventShapeSchema),
    description: 'A JSON array of events, or the same objects one per line (NDJSON).',
    also: { contentType: 'application/x-ndjson', schema: z.string().describe('One event object per line.') },
  },
  responses: {
    200: { description: 'Some or all events were accepted.', schema: eventsAnswer },
    400: { description: 'No event was accepted; each rejected one is named.', schema: eventsAnswer },
  },
});

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

describeRoute({
  method: 'get',
  path: '/api/v1/campaigns/{campaign}/report',
  tag: 'reports',
  summary: 'A campaign’s report, as `clickrate report --json` gives it',
  auth: 'key',
  params: campaignParam,
  query: z.strictObject({
    by: z.string().optional().describe('Group by day, step, variant, link, segment or ad.'),
    window: windowParam,
    control: z.string().optional().describe('With by=variant: the variant the others are compared with.'),
  }),
  responses: { 200: { description: 'The report.', schema: reportSchema } },
});

export async function getReport(res: ServerResponse, deps: ApiDeps, campaign: string, query: URLSearchParams): Promise<void> {
  const report = await runReport(deps.store, {
    campaign,
    by: query.get('by') ?? undefined,
    window: query.get('window') ?? undefined,
    control: query.get('control') ?? undefined,
  });
  refuseWindowOnAds(report, query.get('window'));
  sendJson(res, 200, report);
}

describeRoute({
  method: 'get',
  path: '/api/v1/campaigns',
  tag: 'reports',
  summary: 'Every campaign with its kind and first and last event',
  auth: 'key',
  responses: { 200: { description: 'The campaigns.', schema: campaignListSchema } },
});

export async function getCampaigns(res: ServerResponse, deps: ApiDeps): Promise<void> {
  sendJson(res, 200, { campaigns: await listCampaigns(deps.store) });
}
