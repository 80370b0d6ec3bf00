// `clickrate classify [--all]`: gives verdicts to events that have none from the current rules; with
// --all, recomputes every verdict (after changing thresholds or the address-range files). Raw events are
// never changed, only their verdicts, and reports always read the current ones.
import type { Command } from 'commander';
import { reclassify } from '../../classify/reclassify.js';
import { CLASSIFIER_VERSION } from '../../classify/config.js';
import { out } from '../io.js';
import { withCliStore } from '../store-access.js';

const n = (x: number) => x.toLocaleString('en-US');

export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('Recompute human/machine verdicts over stored events (only stale ones, or --all).')
    .option('--all', 'recompute every verdict, not only those made by older rules')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .action(async (opts: { all?: boolean; db?: string; store?: string }) => {
      const r = await withCliStore(opts, (store) =>
        reclassify(store, {
          all: opts.all,
          onProgress: (done, total) => process.stderr.write(`\rclassified ${n(done)} of ${n(total)} opens and clicks`),
        }),
      );
      if (r.verdicts > 0) process.stderr.write('\n');
      // The rate counts every event the pass covered (the same basis as an import's events/s).
      const rate = r.ms > 0 ? Math.round(r.events / (r.ms / 1000)) : 0;
      out(
        `${n(r.events)} events classified with rules ${CLASSIFIER_VERSION} (${n(r.verdicts)} opens and clicks, ${n(r.machine)} machine) in ${(r.ms / 1000).toFixed(1)} s${r.events ? `, ${n(rate)} events/s` : ''}`,
      );
    });
}
