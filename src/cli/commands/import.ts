// `clickrate import FILE… [--db PATH]`: loads event files, each all or nothing (SPEC.md "Interfaces").
import type { Command } from 'commander';
import { reclassify } from '../../classify/reclassify.js';
import { importFile, type ImportFileResult } from '../../ingest/import-file.js';
import { ClickrateError, isClickrateError } from '../../errors.js';
import { out } from '../io.js';
import { ProgressLine } from '../progress-line.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { Store } from '../../store/store.js';
import { withCliStore } from '../store-access.js';
import { safeText } from '../safe-text.js';

const n = (x: number) => x.toLocaleString('en-US');

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
      // On a terminal only: a 100M-event file takes a quarter of an hour to read, then as long to classify.
      const progress = new ProgressLine();
      // Memory stays bounded on huge files: DuckDB spills the staging table to disk past this limit.
      await withCliStore(
        opts,
        async (store, access) => {
          for (const file of files) {
            try {
              const r = await importFile(store, file, {
                onProgress: (p) =>
                  progress.update(p.committing ? `${file}: ${n(p.lines)} lines read, storing them` : `${file}: ${n(p.lines)} lines read`, p.committing),
              });
              progress.clear();
              results.push(r);
              if (!opts.json) out(`${safeText(file)}: ${n(r.inserted)} events imported, ${n(r.duplicates)} already stored (skipped)`);
            } catch (err) {
              progress.clear();
              // One bad file does not stop the others: each file is its own all-or-nothing unit.
              if (!isClickrateError(err)) throw err;
              failed++;
              // The message may quote the bad row: text from the file, shown escaped.
              process.stderr.write(`${safeText(err.message)}\n`);
            }
          }
          if (opts.json) out(JSON.stringify(results, null, 2));
          if (results.some((r) => r.inserted > 0))
            await classifyImported(store, results, { json: opts.json === true, viaServer: access.server !== null }, progress);
        },
        { use: 'write', duck: { memoryLimit: '256MB' } },
      );
      if (failed > 0) {
        // "The other files are stored" only when there are others that were.
        const stored = results.length > 0 ? `; the other ${results.length === 1 ? 'file is' : 'files are'} stored` : '';
        throw new ClickrateError(
          'CR_ERR_BAD_FILE',
          `${failed} of ${files.length} file${files.length > 1 ? 's were' : ' was'} not imported (reasons above)${stored}`,
          { failed },
        );
      }
    });
}

/**
 * The classification pass after the files, at 1 GB. TRICKY: the import's 256 MB bounds streaming, but
 * under it a pass over 10M events took 50 s against 31 s at 1 GB, and one over 100M events could not take
 * its snapshot at all. Not DuckDB's default (80% of RAM): a pass over 100M events took 17 GB of a shared
 * 24 GB machine with it; `clickrate classify` runs such a pass at the default.
 */
async function classifyImported(
  store: Store,
  results: readonly ImportFileResult[],
  how: { json: boolean; viaServer: boolean },
  progress: ProgressLine,
): Promise<void> {
  if (store instanceof DuckDbStore) await store.setMemoryLimit('1GB');
  try {
    const c = await reclassify(store, { onProgress: (done, total) => progress.update(`classifying: ${n(done)} of ${n(total)} opens and clicks`) }).finally(() =>
      progress.clear(),
    );
    // TRICKY: through a running server, its own pass (once a second) often judges the new events first.
    if (how.json) return;
    if (c.events > 0 || !how.viaServer) out(`classified ${n(c.events)} events (${n(c.machine)} machine) in ${(c.ms / 1000).toFixed(1)} s`);
    else out('classified: nothing left to judge (the running server judges new opens and clicks itself, once a second)');
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
