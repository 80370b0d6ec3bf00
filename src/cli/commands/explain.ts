// `clickrate explain --message ID`: the message's timeline, each open and click with its verdict and the
// reasons behind it, so a user can see why a click did or did not count.
import type { Command } from 'commander';
import { explainMessage, type ExplainedEvent } from '../../classify/explain-message.js';
import { out } from '../io.js';
import { withCliStore } from '../store-access.js';
import { safeText } from '../safe-text.js';

function offset(ms: number | null): string {
  if (ms === null) return '';
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)}s`;
  if (a < 3_600_000) return `${sign}${Math.round(a / 60_000)}m`;
  if (a < 172_800_000) return `${sign}${(a / 3_600_000).toFixed(1)}h`;
  return `${sign}${(a / 86_400_000).toFixed(1)}d`;
}

/** One event and its reasons. Links, addresses and user agents are whatever a client sent: escaped. */
function line(e: ExplainedEvent): string {
  const verdict = e.verdict ? `${e.verdict.toUpperCase()}${e.probability === null ? '' : ` p=${e.probability.toFixed(2)}`}` : '';
  const what = [e.type.padEnd(11), offset(e.after_send_ms).padStart(7), verdict.padEnd(15)];
  const detail = [e.method && e.method !== 'GET' ? e.method : null, e.url, e.ip, e.user_agent === '' ? '(no user agent)' : e.user_agent]
    .filter(Boolean)
    .map((d) => safeText(String(d)))
    .join('  ');
  const reasons = e.reasons.map((r) => `      · ${safeText(r.text)} [${safeText(r.code)}]`);
  return [`${e.ts}  ${what.join(' ')} ${detail}`, ...reasons].join('\n');
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description("Show one message's timeline with each open's and click's verdict (human or machine) and its reasons.")
    .requiredOption('--message <id>', 'message id')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--json', 'print JSON')
    .action(async (opts: { message: string; db?: string; store?: string; json?: boolean }) => {
      const x = await withCliStore(opts, (store) => explainMessage(store, opts.message));
      if (opts.json) return out(JSON.stringify(x, null, 2));
      out(`Message ${safeText(x.message)}  campaign ${safeText(x.campaign ?? '(unknown)')}  recipient ${safeText(x.recipient ?? '(unknown)')}`);
      out('Times are after the send. Only HUMAN opens and clicks count in the headline figures.\n');
      out(x.events.map(line).join('\n'));
    });
}
