// How old the browser a user agent names was when an event happened, and how long it had been out of
// date (since the next major shipped): stable release dates from a dated release table
// (data/browser-releases.json, sources inside), interpolated between the listed versions and projected
// at each browser's documented cadence after the last one (so a version newer than the table is dated,
// not refused).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ClickrateError } from '../errors.js';
import { inPackage } from '../package-root.js';

const DAY = 86_400_000;

const tableSchema = z.object({
  about: z.string().optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  browsers: z.record(
    z.string(),
    z.object({
      source: z.string().min(1),
      cadence_days: z.number().min(0),
      /** Every major that shipped is listed (Safari went from 18 to 26): the next one is the next listed, not major + 1. */
      every_major_listed: z.boolean().optional(),
      majors: z.array(z.tuple([z.number().int().positive(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)])).min(1),
    }),
  ),
});
type ReleaseTable = z.infer<typeof tableSchema>;

export interface BrowserAge {
  browser: string;
  major: number;
  /** Days from that major's stable release to the event (negative: a version newer than the table knows). */
  ageDays: number;
  /**
   * Days from the next major's stable release to the event: how long this version had been out of date
   * (negative: still current). TRICKY: Chrome, Edge and Firefox ship every 4 weeks and update themselves,
   * so age and this differ by weeks; Safari ships once a year with the OS, and a person on last year's
   * iPhone OS runs a version a year old that was superseded only weeks ago.
   */
  outdatedDays: number;
}

// Order matters: Edge and Opera carry a Chrome token too, Chrome on iOS (CriOS) and Firefox on iOS (FxiOS)
// carry Safari's, and every WebKit browser carries `Safari/`. Safari's own version is the `Version/` token.
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\b(?:OPR|SamsungBrowser|YaBrowser|Vivaldi)\//, ''], // own version numbers: no table, no judgement
  [/\bFirefox\/(\d+)|\bFxiOS\/(\d+)/, 'Firefox'],
  [/\bChrome\/(\d+)|\bCriOS\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
  [/\bMSIE (\d+)|Trident\/7\.0;.*rv:(\d+)/, 'Internet Explorer'],
];

/** The browser and major version a user agent names, or null (mail clients, apps, unknown browsers). */
export function browserVersion(ua: string): { browser: string; major: number } | null {
  for (const [re, browser] of PATTERNS) {
    const m = re.exec(ua);
    if (!m) continue;
    if (browser === '') return null;
    const major = Number(m[1] ?? m[2]);
    return Number.isSafeInteger(major) && major > 0 ? { browser, major } : null;
  }
  return null;
}

/** Release dates of one browser's majors, with interpolation and projection. */
class Releases {
  private readonly majors: number[];
  private readonly dates: number[];

  constructor(
    entries: readonly (readonly [number, string])[],
    private readonly cadenceMs: number,
    private readonly everyMajorListed: boolean,
  ) {
    const sorted = [...entries].sort((a, b) => a[0] - b[0]);
    this.majors = sorted.map((e) => e[0]);
    this.dates = sorted.map((e) => Date.parse(`${e[1]}T00:00:00Z`));
  }

  /** Release date of `major` (epoch ms); before the first listed one: the first's date (a lower bound of age). */
  dateOf(major: number): number {
    const m = this.majors;
    const d = this.dates;
    const last = m.length - 1;
    if (major <= m[0]!) return d[0]!;
    if (major >= m[last]!) return d[last]! + (major - m[last]!) * this.cadenceMs;
    let i = 0;
    while (m[i + 1]! < major) i++;
    const f = (major - m[i]!) / (m[i + 1]! - m[i]!);
    return d[i]! + f * (d[i + 1]! - d[i]!);
  }

  /** When `major` stopped being the current release: the next major's stable date. */
  supersededAt(major: number): number {
    if (!this.everyMajorListed) return this.dateOf(major + 1);
    const next = this.majors.findIndex((m) => m > major);
    return next === -1 ? this.dateOf(major + 1) : this.dates[next]!;
  }
}

/** A release table ready for lookups. */
export class BrowserReleases {
  private readonly byName = new Map<string, Releases>();
  /** When the table was checked against its sources. */
  readonly date: string;

  constructor(table: ReleaseTable) {
    this.date = table.date;
    for (const [name, b] of Object.entries(table.browsers)) this.byName.set(name, new Releases(b.majors, b.cadence_days * DAY, b.every_major_listed === true));
  }

  /** Age of the browser a UA names at `ts`, or null when the UA names no browser in the table. */
  age(ua: string | null | undefined, ts: number): BrowserAge | null {
    if (!ua) return null;
    const v = browserVersion(ua);
    const r = v && this.byName.get(v.browser);
    if (!v || !r) return null;
    return { ...v, ageDays: Math.floor((ts - r.dateOf(v.major)) / DAY), outdatedDays: Math.floor((ts - r.supersededAt(v.major)) / DAY) };
  }
}

/** Validates a release table's JSON; `name` is used in the error. */
export function parseReleaseTable(json: unknown, name: string): BrowserReleases {
  const r = tableSchema.safeParse(json);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ClickrateError('CR_ERR_CONFIG', `browser release table ${name} is invalid: ${why}`, { file: name });
  }
  return new BrowserReleases(r.data);
}

let shared: BrowserReleases | null = null;
/** data/browser-releases.json of this installation, loaded once per process. */
export function defaultBrowserReleases(): BrowserReleases {
  if (shared) return shared;
  const file = inPackage(import.meta.url, 'data', 'browser-releases.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ClickrateError('CR_ERR_CONFIG', `browser release table ${file} is not readable JSON`, { file }, { cause: err });
  }
  shared = parseReleaseTable(json, file);
  return shared;
}
