// `clickrate import FILE… [--db PATH]`: loads event files, each all or nothing (SPEC.md "Interfaces").
import type { Command } from 'commander';
import { reclassify } from '../../classify/reclassify.js';
import { importFile, type ImportFileResult } from '../../events/import-file.js';
import { ClickrateError, isClickrateError } from '../../errors.js';
import { out } from '../io.js';
import { withStore } from '../open-store.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import event files (.jsonl, .ndjson or .csv, optionally .gz). Each file is stored whole or not at all.')
    .argument('<files...>', 'event files')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--json', 'print the result of each file as JSON')
    .action(async (files: string[], opts: { db?: string; store?: string; json?: boolean }) => {
      const results: ImportFileResult[] = [];
      let failed = 0;
      // Memory stays bounded on huge files: DuckDB spills the staging table to disk past this limit.
      await withStore(
        opts,
        async (store) => {
          for (const file of files) {
            try {
              const r = await importFile(store, file);
              results.push(r);
              if (!opts.json) out(`${file}: ${r.inserted.toLocaleString('en-US')} events imported, ${r.duplicates.toLocaleString('en-US')} already stored (skipped)`);
            } catch (err) {
              // One bad file does not stop the others: each file is its own all-or-nothing unit.
              if (!isClickrateError(err)) throw err;
              failed++;
              process.stderr.write(`${err.message}\n`);
            }
          }
        },
        { memoryLimit: '256MB' },
      );
      if (opts.json) out(JSON.stringify(results, null, 2));
      if (results.some((r) => r.inserted > 0)) {
        // TRICKY: the pass runs on the store opened afresh at 1 GB. The import's 256 MB bounds streaming,
        // and under it a pass over 10M events took 50 s against 31 s at 1 GB. Not DuckDB's default (80%
        // of RAM): a pass over 100M events took 17 GB of a shared 24 GB machine with it. (At 100M the
        // pass cannot snapshot its work under 256 MB; `clickrate classify` then runs it at the default.)
        try {
          const c = await withStore(opts, (store) => reclassify(store), { memoryLimit: '1GB' });
          if (!opts.json) out(`classified ${c.events.toLocaleString('en-US')} events (${c.machine.toLocaleString('en-US')} machine) in ${(c.ms / 1000).toFixed(1)} s`);
        } catch (err) {
          if (!isClickrateError(err)) throw err;
          // The files are stored whatever happens here; say so, so nobody imports them again for nothing.
          throw new ClickrateError(
            'CR_ERR_STORE',
            `the events are stored, but classifying them failed (${err.message}); they count as people until \`clickrate classify\` succeeds`,
            { stored: results.reduce((n, r) => n + r.inserted, 0) },
            { cause: err },
          );
        }
      }
      if (failed > 0) {
        throw new ClickrateError('CR_ERR_BAD_FILE', `${failed} of ${files.length} file${files.length > 1 ? 's were' : ' was'} not imported (reasons above); the other files are stored`, { failed });
      }
    });
}
