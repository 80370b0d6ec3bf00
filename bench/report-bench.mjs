// Times a single-campaign report through the metrics engine beside a hand-written DuckDB query for the
// same headline figures, in the same process and run (engine ≤ 300 ms over 10M events), and
// the reports of a dashboard campaign page (usable in under a second at a million messages).
// Usage: node bench/report-bench.mjs --db bench/data/events-10m.duckdb [--campaign ID] [--runs 15] [--window 7d]
// (--window applies to the engine's report and the page; the hand-written query has none). --compare also
// times the page grouping the events, as before message_facts, in the same run. The page's verdict_check
// is timed beside it; --verdict-rows also times it read row by row (as before the store aggregated it,
// test/support/verdict-check-oracle.ts) and checks both agree.
import { parseArgs } from 'node:util';
import os from 'node:os';
import { openDuckDbStore } from '../dist/src/store/duckdb/duckdb-store.js';
import { runReport, runReports } from '../dist/src/metrics/run-report.js';
import { runTimeseries } from '../dist/src/metrics/compile-timeseries.js';
import { listCampaigns } from '../dist/src/metrics/list-campaigns.js';
import { DuckDbDialect } from '../dist/src/store/duckdb/dialect.js';
import { verdictCheck } from '../dist/src/classify/verdict-check.js';
import { verdictCheckByRows } from '../dist/test/support/verdict-check-oracle.js';
import { timeRuns } from './timing.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    campaign: { type: 'string' },
    runs: { type: 'string', default: '15' },
    by: { type: 'string' },
    window: { type: 'string' },
    compare: { type: 'boolean' },
    'verdict-rows': { type: 'boolean' },
  },
});
if (!values.db) throw new Error('--db is required');
const store = await openDuckDbStore(values.db, { readOnly: true });
const campaigns = await listCampaigns(store);
const email = campaigns.filter((c) => c.kind === 'email').sort((a, b) => b.messages - a.messages);
const campaign = values.campaign ?? email[0]?.campaign;
const [{ n }] = await store.query({ sql: 'SELECT count(*) AS n FROM events', params: {} });

// The baseline: what a person would write by hand for sent, bounced, unique opens/clicks, total clicks
// and replies of one campaign (no windows, no verdicts, no intervals).
const HAND = {
  sql: `
    WITH m AS (SELECT message FROM events WHERE campaign = $c AND type = 'sent'),
    b AS (SELECT DISTINCT message FROM events WHERE type = 'bounced' AND message IN (SELECT message FROM m)),
    e AS (SELECT message, type FROM events WHERE type IN ('open', 'click', 'reply') AND message IN (SELECT message FROM m) AND message NOT IN (SELECT message FROM b))
    SELECT (SELECT count(*) FROM m) AS sent, (SELECT count(*) FROM b) AS bounced,
      count(DISTINCT message) FILTER (WHERE type IN ('open', 'click')) AS unique_opens,
      count(DISTINCT message) FILTER (WHERE type = 'click') AS unique_clicks,
      count(*) FILTER (WHERE type = 'click') AS total_clicks,
      count(DISTINCT message) FILTER (WHERE type = 'reply') AS replies
    FROM e`,
  params: { c: { value: campaign, type: 'String' } },
};

const runs = Number(values.runs);
const window = values.window;
const engine = await timeRuns(() => runReport(store, { campaign, by: values.by, window }), runs);
const hand = await timeRuns(() => store.query(HAND), runs);
// What the dashboard's campaign page asks for (GET …/page and …/timeseries): every breakdown it shows.
const pageOf = (s) => async () => {
  await runReports(s, { campaign, window }, [null, 'day', 'step', 'variant', 'link']);
  await runTimeseries(s, { campaign, interval: 'day', window });
};
const page = await timeRuns(pageOf(store), Math.min(runs, 5));
// The same store reading events instead of message_facts (its own dialect; every method is the store's).
const eventsOnly = Object.create(store, { dialect: { value: new DuckDbDialect(false) } });
const pageFromEvents = values.compare ? await timeRuns(pageOf(eventsOnly), Math.min(runs, 5)) : undefined;
// --compare also checks that both give the same page, to the byte.
const answer = async (s) =>
  JSON.stringify([
    await runReports(s, { campaign, window }, [null, 'day', 'step', 'variant', 'link', 'segment', 'provider']),
    await runTimeseries(s, { campaign, interval: 'day', window }),
  ]);
// The page's self-check (dashboard-api.ts asks for it with the page), and row by row as the baseline.
const check = await timeRuns(() => verdictCheck(store, campaign), Math.min(runs, 5));
const byRows = values['verdict-rows'] ? await timeRuns(() => verdictCheckByRows(store, campaign), Math.min(runs, 3)) : undefined;
const sameCheck = values['verdict-rows']
  ? JSON.stringify(await verdictCheck(store, campaign)) === JSON.stringify(await verdictCheckByRows(store, campaign))
  : undefined;
const samePage = values.compare ? (await answer(store)) === (await answer(eventsOnly)) : undefined;
const r = await runReport(store, { campaign });
const [h] = await store.query(HAND);
const same = r.kind === 'email' && r.totals.sent === h.sent && r.totals.raw.unique_clicks === h.unique_clicks && r.totals.raw.total_clicks === h.total_clicks;
console.log(
  JSON.stringify(
    {
      machine: `${os.cpus()[0]?.model} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      events: n,
      campaign,
      campaign_messages: email.find((c) => c.campaign === campaign)?.messages,
      by: values.by ?? null,
      window: window ?? null,
      engine_ms: engine,
      hand_written_ms: hand,
      dashboard_page_ms: page,
      dashboard_page_from_events_ms: pageFromEvents,
      same_page_from_events: samePage,
      verdict_check_ms: check,
      verdict_check_by_rows_ms: byRows,
      same_verdict_check: sameCheck,
      same_figures: same,
    },
    null,
    2,
  ),
);
await store.close();
