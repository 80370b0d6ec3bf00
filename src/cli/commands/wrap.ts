// `clickrate wrap --campaign ID --recipient ID …`: HTML (or text) on stdin, the same message with tracked
// links and an open pixel on stdout (SPEC.md), its `sent` event recorded. With `serve` running on the
// database, the server wraps it (POST /api/v1/wrap: its signing keys, its base URL, its spool), so the
// links redirect there; otherwise the keys beside the database sign and the `sent` goes into the store.
// `--json` prints what POST /api/v1/wrap answers. Lint warnings go to stderr.
import type { Command } from 'commander';
import { pino } from 'pino';
import { ClickrateError } from '../../errors.js';
import type { ClickrateEvent } from '../../events/event.js';
import { loadOrCreateKeyring } from '../../http/signing-keys.js';
import { TemplateSaver } from '../../http/template-saver.js';
import { wrapAndRecord } from '../../http/wrap-and-record.js';
import { parseWrapRequest, type WrapRequest } from '../../http/wrap-request.js';
import { ingestEvents } from '../../ingest/ingest-events.js';
import type { LocalServerInfo } from '../../http/local-credential.js';
import { storeSidecarBase } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { normalizeBaseUrl, type WrapResult } from '../../tracking/wrap-message.js';
import { out, warn } from '../io.js';
import { postToServer } from '../served-store.js';
import { withCliStore } from '../store-access.js';

interface WrapOptions {
  campaign: string;
  recipient: string;
  message?: string;
  step?: string;
  variant?: string;
  segment?: string;
  baseUrl?: string;
  db?: string;
  store?: string;
  text?: boolean;
  tracking: string;
  pixel: boolean;
  honeypot?: boolean;
  sender?: string;
  utm?: boolean;
  subject?: string;
  json?: boolean;
}

function parsePolicy(s: string): WrapRequest['tracking'] {
  if (s === 'all' || s === 'none') return s;
  const m = /^first:(\d+)$/.exec(s);
  if (m) return { first: Number(m[1]) };
  throw new ClickrateError('CR_ERR_BAD_INPUT', `--tracking must be all, none or first:N, got '${s}'`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** The wrap request the flags and stdin make: checked by the API's own schema, so both refuse alike. */
function requestOf(opts: WrapOptions, body: string): WrapRequest {
  const step = opts.step === undefined ? undefined : Number(opts.step);
  if (step !== undefined && (!/^\d+$/.test(opts.step!) || !Number.isSafeInteger(step) || step < 1))
    throw new ClickrateError('CR_ERR_BAD_INPUT', `--step must be a whole number ≥ 1, got '${opts.step}'`);
  const fields = { message: opts.message, step, variant: opts.variant, segment: opts.segment, sender: opts.sender, subject: opts.subject };
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return parseWrapRequest({
    [opts.text ? 'text' : 'html']: body,
    campaign: opts.campaign,
    recipient: opts.recipient,
    ...given,
    tracking: parsePolicy(opts.tracking),
    pixel: opts.pixel,
    ...(opts.honeypot ? { honeypot: true } : {}),
    ...(opts.utm ? { utm: true } : {}),
  });
}

/** Through the running server: its keys sign, its base URL is the links' origin, its spool records. */
async function wrapOnServer(server: LocalServerInfo, request: WrapRequest, baseUrl: string | undefined): Promise<WrapResult> {
  if (baseUrl !== undefined && normalizeBaseUrl(baseUrl) !== normalizeBaseUrl(server.baseUrl)) {
    throw new ClickrateError(
      'CR_ERR_BAD_INPUT',
      `--base-url ${baseUrl} differs from the running server's (${server.baseUrl}), whose keys sign these links; drop --base-url, or restart serve with it`,
      { base_url: baseUrl },
    );
  }
  return (await postToServer(server, '/api/v1/wrap', request)) as WrapResult;
}

/** No server: the keyring beside the database signs, and the `sent` is stored at once. */
function wrapHere(store: Store, opts: WrapOptions, request: WrapRequest): Promise<WrapResult> {
  const { keyring } = loadOrCreateKeyring(storeSidecarBase(opts));
  const recordSent = async (e: ClickrateEvent) => {
    // The import form: an ISO time, and the fields the event has.
    const row = Object.fromEntries(Object.entries({ ...e, ts: new Date(e.ts).toISOString() }).filter(([, v]) => v !== null));
    await ingestEvents(store, [row]);
  };
  return wrapAndRecord(request, {
    store,
    keyring,
    baseUrl: normalizeBaseUrl(opts.baseUrl ?? process.env.CLICKRATE_BASE_URL ?? 'http://localhost:8080'),
    templates: new TemplateSaver(store, pino({ level: 'warn' }, process.stderr)),
    recordSent,
  });
}

export function registerWrap(program: Command): void {
  program
    .command('wrap')
    .description('Wrap the links of an email (stdin) in signed tracked redirects, add an open pixel (stdout) and record its sent event.')
    .requiredOption('--campaign <id>', 'campaign id')
    .requiredOption('--recipient <id>', 'recipient id')
    .option('--message <id>', 'message id (default: a new one)')
    .option('--step <n>', 'sequence step (1, 2, …)')
    .option('--variant <v>', 'A/B variant')
    .option('--segment <s>', 'audience segment')
    .option('--base-url <url>', "public origin of the tracking server (default: the running server's, else $CLICKRATE_BASE_URL or http://localhost:8080)")
    .option('--db <path>', 'DuckDB file whose server (or, with none running, whose keyring DB.keyring.json) signs the links')
    .option('--store <url>', 'the store to record in (a ClickHouse store signs with ./clickrate-DB.keyring.json unless CLICKRATE_KEYRING is set)')
    .option('--text', 'stdin is a plain-text part, not HTML')
    .option('--tracking <policy>', 'all, none, or first:N tracked links (cold outreach: keep early steps link-light)', 'all')
    .option('--no-pixel', 'do not add the open pixel')
    .option('--honeypot', 'add a hidden link no person can reach: any request to it is a machine (docs/classification.md, "The honeypot link")')
    .option('--sender <from>', 'From address or domain, to lint the tracking domain against')
    .option('--utm', 'add utm_source/utm_medium/utm_campaign to destinations')
    .option('--subject <text>', "the mail's Subject: a keyed hash of its thread subject is stored to match replies (never the text)")
    .option('--json', 'print what POST /api/v1/wrap answers (message id, html, links, warnings)')
    .action(async (opts: WrapOptions) => {
      const request = requestOf(opts, await readStdin());
      const result = await withCliStore(
        opts,
        (store, access) => (access.server ? wrapOnServer(access.server, request, opts.baseUrl) : wrapHere(store, opts, request)),
        { use: 'write' },
      );
      if (opts.json) return out(JSON.stringify(result, null, 2));
      process.stdout.write((opts.text ? result.text : result.html) ?? '');
      for (const w of result.warnings) warn(w);
      process.stderr.write(`message ${result.message}: ${result.links.filter((l) => l.tracked).length} of ${result.links.length} links tracked\n`);
    });
}
