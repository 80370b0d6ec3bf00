// `clickrate forget --recipient ID`: erases one recipient's personal data from every table (docs/privacy.md)
// and says what it erased, table by table; every campaign figure stays. The HTTP API's DELETE
// /api/v1/recipients/<id> does the same through a running server.
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { withCliStore } from '../store-access.js';
import { out } from '../io.js';
import { safeText } from '../safe-text.js';

export function registerForget(program: Command): void {
  program
    .command('forget')
    .description("Erase a recipient's personal data (id, addresses, user agents) from every table, keeping every figure.")
    .requiredOption('--recipient <id>', 'recipient id, as the sent events name it')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--json', 'print JSON')
    .action(async (opts: { recipient: string; db?: string; store?: string; json?: boolean }) => {
      if (opts.recipient.trim() === '') throw new ClickrateError('CR_ERR_BAD_INPUT', '--recipient is empty');
      const r = await withCliStore(opts, (store) => store.forgetRecipient(opts.recipient));
      if (opts.json) return out(JSON.stringify(r, null, 2));
      out(`Erased recipient ${safeText(r.recipient)} (${r.messages} messages; their counts and verdicts are kept):`);
      for (const e of r.erased) out(`  ${e.table.padEnd(10)} ${String(e.rows).padStart(8)}  ${e.what}`);
    });
}
