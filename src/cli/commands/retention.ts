// `clickrate retention --ip-retention 30d --apply`: one run of address retention (what `serve
// --ip-retention` does every hour; docs/privacy.md), for stores no server runs beside, or from cron.
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { parseRetention } from '../../server/retention-schedule.js';
import { withCliStore } from '../store-access.js';
import { out } from '../io.js';

export function registerRetention(program: Command): void {
  program
    .command('retention')
    .description('Cut the addresses and user agents of opens and clicks older than the retention, once (figures stay).')
    .option('--ip-retention <age>', 'how long addresses are kept whole, e.g. 30d (default $CLICKRATE_IP_RETENTION)')
    .option('--apply', 'do it (required: the cut cannot be undone)')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .action(async (opts: { ipRetention?: string; apply?: boolean; db?: string; store?: string }) => {
      const text = opts.ipRetention ?? process.env.CLICKRATE_IP_RETENTION;
      if (!text) throw new ClickrateError('CR_ERR_BAD_INPUT', 'say how long addresses are kept: --ip-retention 30d (or CLICKRATE_IP_RETENTION)');
      const ms = parseRetention(text, opts.ipRetention ? '--ip-retention' : 'CLICKRATE_IP_RETENTION');
      if (!opts.apply) throw new ClickrateError('CR_ERR_BAD_INPUT', 'the cut cannot be undone: add --apply to cut addresses older than ' + text);
      const before = Date.now() - ms;
      const cut = await withCliStore(opts, (store) => store.cutAddresses(before));
      out(`Cut the addresses and user agents of ${cut} opens and clicks from before ${new Date(before).toISOString()}.`);
    });
}
