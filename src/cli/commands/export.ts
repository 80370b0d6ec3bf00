// `clickrate export --recipient ID`: every stored event of one recipient as JSON Lines on stdout, with
// its verdict (a subject access request; docs/privacy.md). The HTTP API's GET
// /api/v1/recipients/<id>/events.jsonl does the same through a running server.
import type { Command } from 'commander';
import { ClickrateError } from '../../errors.js';
import { withCliStore } from '../store-access.js';
import { recipientEvents } from '../../store/recipient-events.js';
import { out } from '../io.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Print everything stored about one recipient as JSON Lines (a subject access request).')
    .requiredOption('--recipient <id>', 'recipient id, as the sent events name it')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .action(async (opts: { recipient: string; db?: string; store?: string }) => {
      if (opts.recipient.trim() === '') throw new ClickrateError('CR_ERR_BAD_INPUT', '--recipient is empty');
      const n = await withCliStore(opts, async (store) => {
        let events = 0;
        for await (const page of recipientEvents(store, opts.recipient)) {
          // JSON text escapes every control character, so what a client sent cannot reach the terminal raw.
          out(page.map((e) => JSON.stringify(e)).join('\n'));
          events += page.length;
        }
        return events;
      });
      process.stderr.write(`${n} events of this recipient\n`);
    });
}
