// `clickrate ranges update [--only a,b] [--dir D]`: fetches each owner's own address list (AWS, Google,
// Microsoft, Apple, Oracle, geofeeds), refuses empty or halved lists, replaces the files atomically and
// says what changed. `clickrate classify --all` then recomputes every verdict with them.
import type { Command } from 'commander';
import { rangesDir } from '../../classify/ip-ranges.js';
import { updateRanges, type UpdateOutcome } from '../../classify/ranges-update.js';
import { ClickrateError } from '../../errors.js';
import { out, warn } from '../io.js';

function line(o: UpdateOutcome): string {
  const name = `${o.file} (${o.owner})`.padEnd(42);
  switch (o.status) {
    case 'updated':
      return `${name} updated: ${o.before} → ${o.after} ranges (+${o.added} −${o.removed})`;
    case 'unchanged':
      return `${name} unchanged: ${o.after} ranges`;
    default:
      return `${name} ${o.status}, kept ${o.before} ranges: ${o.reason ?? ''}`;
  }
}

export function registerRanges(program: Command): void {
  const ranges = program.command('ranges').description("Keep the owners' published address ranges fresh.");
  ranges
    .command('update')
    .description("Fetch each owner's own list, refuse empty or halved ones, replace the files atomically and show what changed.")
    .option(
      '--only <files>',
      'comma-separated lists to update (amazon, google, microsoft, microsoft-365-exchange, apple-private-relay, oracle, digitalocean, linode, mimecast)',
    )
    .option('--dir <path>', 'folder of the range files (default $CLICKRATE_RANGES_DIR, else the installation data/ranges/)')
    .option('--url-base <url>', "fetch <url-base>/<host><path> instead of the owners' URLs (a mirror, or copies served for tests)")
    .action(async (opts: { only?: string; dir?: string; urlBase?: string }) => {
      const only = opts.only
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const outcomes = await updateRanges({ dir: opts.dir ?? rangesDir(), only, urlBase: opts.urlBase });
      for (const o of outcomes) (o.status === 'refused' || o.status === 'failed' ? warn : out)(line(o));
      const changed = outcomes.filter((o) => o.status === 'updated').length;
      if (changed > 0) out(`${changed} list(s) changed: run \`clickrate classify --all\` to recompute verdicts with them.`);
      const bad = outcomes.filter((o) => o.status === 'refused' || o.status === 'failed');
      if (bad.length > 0) {
        throw new ClickrateError('CR_ERR_BAD_FILE', `${bad.length} list(s) not updated: ${bad.map((o) => o.file).join(', ')} (their files are unchanged)`);
      }
    });
}
