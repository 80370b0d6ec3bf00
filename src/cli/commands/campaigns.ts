// `clickrate campaigns [--db PATH] [--json]`: which campaigns the store holds, to pick one to report on.
import type { Command } from 'commander';
import { listCampaigns } from '../../metrics/list-campaigns.js';
import { fmtInt, table } from '../format-table.js';
import { out } from '../io.js';
import { withCliStore } from '../store-access.js';

export function registerCampaigns(program: Command): void {
  program
    .command('campaigns')
    .description('List the campaigns in the store, most recently active first.')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; store?: string; json?: boolean }) => {
      const list = await withCliStore(opts, (store) => listCampaigns(store));
      if (opts.json) return out(JSON.stringify(list, null, 2));
      if (list.length === 0) return out('No campaigns yet: `clickrate import FILE` or `clickrate demo`.');
      out(
        table(
          ['campaign', 'kind', 'messages', 'impressions', 'first event', 'last event'],
          list.map((c) => [
            c.campaign,
            c.kind,
            fmtInt(c.messages),
            fmtInt(c.impressions),
            c.first_ts.slice(0, 16).replace('T', ' '),
            c.last_ts.slice(0, 16).replace('T', ' '),
          ]),
        ),
      );
    });
}
