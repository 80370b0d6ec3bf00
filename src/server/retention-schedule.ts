// Address retention on a schedule inside `serve` (`--ip-retention 30d`, CLICKRATE_IP_RETENTION; see
// docs/privacy.md): once shortly after start and then every hour, the store cuts the addresses and user
// agents of opens and clicks older than the retention (Store.cutAddresses). One run at a time.
import type { Logger } from 'pino';
import { ClickrateError } from '../errors.js';
import type { Store } from '../store/store.js';

const HOUR = 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = { h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };

/**
 * A retention age: a whole number of hours, days or weeks ("30d", "12w", "48h"), at least an hour (a
 * shorter one could cut addresses before the classifier has judged them) and at most ten years.
 */
export function parseRetention(text: string, source = '--ip-retention'): number {
  const m = /^(\d{1,6})([hdw])$/.exec(String(text).trim().toLowerCase());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!]! : Number.NaN;
  if (!(ms >= HOUR && ms <= 3650 * 24 * HOUR)) {
    throw new ClickrateError('CR_ERR_CONFIG', `${source} must be a whole number of hours, days or weeks from 1h to 3650d (e.g. 30d), got '${text}'`, {
      value: text,
    });
  }
  return ms;
}

/** When the first run starts after serve does: after startup's own work, not in its way. */
const FIRST_RUN_MS = 10_000;

export class RetentionSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly retentionMs: number,
    private readonly log: Logger,
    private readonly everyMs = HOUR,
  ) {}

  start(): void {
    this.schedule(FIRST_RUN_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runNow().finally(() => this.schedule(this.everyMs)), ms);
    this.timer.unref();
  }

  /** One run now (or the one already running); a failure is logged and the next run tries again. */
  runNow(): Promise<void> {
    this.running ??= this.store
      .cutAddresses(Date.now() - this.retentionMs)
      .then(
        (cut) => {
          if (cut > 0) this.log.info({ cut }, 'address retention: cut the addresses and user agents of old opens and clicks');
        },
        (err: unknown) => this.log.error({ err }, 'address retention failed; the next run tries again'),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** No further runs; waits for one in progress, so the store can close after it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
