// `clickrate demo [--db PATH]`: fills a database with a realistic demo (an A/B promo, a digest, a cold
// outreach sequence, onboarding, an ad campaign, machine traffic included) so a newcomer sees real output.
// A store that holds the demo already is left as it is: run twice, the second run changes nothing.
import type { Command } from 'commander';
import { demoSpecs } from '../../demo/demo-dataset.js';
import { loadDemo } from '../../demo/load-demo.js';
import { ClickrateError } from '../../errors.js';
import { listCampaigns } from '../../metrics/list-campaigns.js';
import { out } from '../io.js';
import { describeStore } from '../../store/open-store.js';
import { withCliStore } from '../store-access.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Build a demo database with realistic campaigns, people and machines (idempotent: running it twice changes nothing).')
    .option('--db <path>', 'DuckDB file (default $CLICKRATE_DB or ./clickrate.duckdb)')
    .option('--store <url>', 'store: clickhouse://HOST:PORT/DB or a DuckDB file (default $CLICKRATE_STORE, else --db)')
    .option('--seed <n>', 'random seed', '20260301')
    .option('--now <iso>', 'the time the demo ends at (default: now)')
    .action(async (opts: { db?: string; store?: string; seed: string; now?: string }) => {
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new ClickrateError('CR_ERR_BAD_INPUT', `--seed must be a whole number, got '${opts.seed}'`);
      const now = opts.now === undefined ? Date.now() : Date.parse(opts.now);
      if (Number.isNaN(now)) throw new ClickrateError('CR_ERR_BAD_INPUT', `--now must be an ISO 8601 time, got '${opts.now}'`);
      const started = performance.now();
      const campaigns = demoSpecs(now).campaigns;
      const loaded = await withCliStore(
        opts,
        async (store) => {
          // TRICKY: the demo's times follow `now`, so a second load at another time would add a second
          // copy of every campaign; a store with any demo campaign already is left alone.
          const present = new Set((await listCampaigns(store)).map((c) => c.campaign));
          return campaigns.some((c) => present.has(c.id)) ? null : loadDemo(store, { seed, now });
        },
        { use: 'write' },
      );
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      if (loaded === null) out(`Demo database ${describeStore(opts)}: the demo is there already; nothing changed.`);
      else {
        const { counts } = loaded;
        out(
          `Demo database ${describeStore(opts)}: ${counts.inserted.toLocaleString('en-US')} events stored (${counts.duplicates.toLocaleString('en-US')} were already there) in ${secs} s.`,
        );
      }
      out('Campaigns:');
      for (const c of campaigns) out(`  ${c.id.padEnd(14)} ${c.description}`);
      out('');
      out('Try:');
      const where = opts.store ? ` --store ${opts.store}` : opts.db ? ` --db ${opts.db}` : '';
      out(`  clickrate report --campaign spring-sale --by variant${where}`);
      out(`  clickrate report --campaign outreach-q4 --by step${where}`);
      out(`  clickrate report --campaign retargeting --by ad${where}`);
    });
}
