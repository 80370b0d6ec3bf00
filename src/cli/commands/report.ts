// `clickrate report --campaign ID [--by …] [--window 7d] [--control V] [--json|--csv]` (SPEC.md).
import type { Command } from 'commander';
import { verdictCheck } from '../../classify/verdict-check.js';
import { ClickrateError } from '../../errors.js';
import { refuseWindowOnAds } from '../../http/ad-window.js';
import { listCampaigns } from '../../metrics/list-campaigns.js';
import { runReport } from '../../metrics/run-report.js';
import { formatReport } from '../format-report.js';
import { out } from '../io.js';
import { withSuggestions } from '../near-names.js';
import { reportToCsv } from '../report-csv.js';
import { withCliStore } from '../store-access.js';

interface ReportOptions {
  campaign: string;
  by?: string;
  window?: string;
  control?: string;
  db?: string;
  store?: string;
  json?: boolean;
  csv?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Report CTR, CTOR, reply rate and more for one campaign, for people and raw.')
    .requiredOption('--campaign <id>', 'campaign id')
    .option('--by <grouping>', 'break down by variant, step, segment, link, provider, day or ad')
    .option('--window <duration>', 'count opens, clicks and replies only within this long after each send (e.g. 7d, 48h; email campaigns)')
    .option('--control <variant>', 'with --by variant: the control variant (default: first by name)')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--json', 'print JSON (full precision)')
    .option('--csv', 'print CSV (one row per group)')
    .action(async (opts: ReportOptions) => {
      if (opts.json && opts.csv) throw new ClickrateError('CR_ERR_BAD_INPUT', 'choose one of --json and --csv');
      const [report, check] = await withCliStore(opts, async (store) => {
        let r: Awaited<ReturnType<typeof runReport>>;
        try {
          r = await runReport(store, opts);
        } catch (err) {
          const names = (await listCampaigns(store)).map((c) => c.campaign);
          throw withSuggestions(err, opts.campaign, names, 'clickrate campaigns');
        }
        // The classifier checking itself on this campaign's own traffic (docs/classification.md).
        return [r, opts.json && r.kind === 'email' ? await verdictCheck(store, r.campaign) : null] as const;
      });
      refuseWindowOnAds(report, opts.window);
      if (opts.json) out(JSON.stringify(check ? { ...report, verdict_check: check } : report, null, 2));
      else if (opts.csv) out(reportToCsv(report));
      else out(formatReport(report));
    });
}
