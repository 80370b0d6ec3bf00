// `clickrate wrap --campaign ID --recipient ID …`: HTML (or text) on stdin, the same message with tracked
// links and an open pixel on stdout (SPEC.md). Lint warnings go to stderr.
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { loadOrCreateKeyring } from '../../http/signing-keys.js';
import { defaultUtm } from '../../tracking/utm.js';
import { wrapMessage, type TrackingPolicy } from '../../tracking/wrap-message.js';
import { out, warn } from '../io.js';
import { storeSidecarBase } from '../../store/open-store.js';

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
  json?: boolean;
}

function parsePolicy(s: string): TrackingPolicy {
  if (s === 'all' || s === 'none') return s;
  const m = /^first:(\d+)$/.exec(s);
  if (m) return { firstN: Number(m[1]) };
  throw new ClickrateError('CR_ERR_BAD_INPUT', `--tracking must be all, none or first:N, got '${s}'`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerWrap(program: Command): void {
  program
    .command('wrap')
    .description('Wrap the links of an email (stdin) in signed tracked redirects and add an open pixel (stdout).')
    .requiredOption('--campaign <id>', 'campaign id')
    .requiredOption('--recipient <id>', 'recipient id')
    .option('--message <id>', 'message id (default: a new one)')
    .option('--step <n>', 'sequence step (1, 2, …)')
    .option('--variant <v>', 'A/B variant')
    .option('--segment <s>', 'audience segment')
    .option('--base-url <url>', 'public origin of the tracking server (default $CLICKRATE_BASE_URL or http://localhost:8080)')
    .option('--db <path>', 'the database whose signing keys to use (keys live in DB.keyring.json unless CLICKRATE_KEYRING is set)')
    .option('--store <url>', 'the store whose signing keys to use (a ClickHouse store: ./clickrate-DB.keyring.json unless CLICKRATE_KEYRING is set)')
    .option('--text', 'stdin is a plain-text part, not HTML')
    .option('--tracking <policy>', 'all, none, or first:N tracked links (cold outreach: keep early steps link-light)', 'all')
    .option('--no-pixel', 'do not add the open pixel')
    .option('--honeypot', 'add a hidden link no person can reach: any request to it is a machine (docs/honeypot.md)')
    .option('--sender <from>', 'From address or domain, to lint the tracking domain against')
    .option('--utm', 'add utm_source/utm_medium/utm_campaign to destinations')
    .option('--json', 'print the whole result (message id, links, warnings) as JSON')
    .action(async (opts: WrapOptions) => {
      const step = opts.step === undefined ? undefined : Number(opts.step);
      if (step !== undefined && (!Number.isInteger(step) || step < 1))
        throw new ClickrateError('CR_ERR_BAD_INPUT', `--step must be a whole number ≥ 1, got '${opts.step}'`);
      const body = await readStdin();
      const { keyring } = loadOrCreateKeyring(storeSidecarBase(opts));
      const result = wrapMessage(
        {
          [opts.text ? 'text' : 'html']: body,
          campaign: opts.campaign,
          recipient: opts.recipient,
          message: opts.message,
          step,
          variant: opts.variant,
          segment: opts.segment,
        },
        {
          baseUrl: opts.baseUrl ?? process.env.CLICKRATE_BASE_URL ?? 'http://localhost:8080',
          keyring,
          tracking: parsePolicy(opts.tracking),
          pixel: opts.pixel,
          honeypot: opts.honeypot,
          senderDomain: opts.sender,
          utm: opts.utm ? defaultUtm(opts.campaign) : undefined,
        },
      );
      if (opts.json) return out(JSON.stringify(result, null, 2));
      process.stdout.write((opts.text ? result.text : result.html) ?? '');
      for (const w of result.warnings) warn(w);
      process.stderr.write(`message ${result.message}: ${result.links.filter((l) => l.tracked).length} of ${result.links.length} links tracked\n`);
    });
}
