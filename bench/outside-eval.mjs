// Scores the real CLI against the outside sample (bench/outside-sample.mjs): imports each seed's events
// into a fresh DuckDB file with `bin/clickrate import` (which classifies), reads every campaign's
// `report --json` and the stored per-event verdicts, and compares both with the sample's own truth.
// Usage: npm run build && node bench/outside-eval.mjs [--seed 1 --seed 2 …] [--scale 1] [--keep] [--json]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildSample, writeSample } from './outside-sample.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'clickrate');

const { values } = parseArgs({
  options: {
    seed: { type: 'string', multiple: true, default: ['1', '2', '3'] },
    scale: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    examples: { type: 'string', default: '2' },
  },
});

const clickrate = (...args) => execFileSync(CLI, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const pct = (num, den) => (den === 0 ? null : (100 * num) / den);
const fmt = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(2));

/** Every stored open and click with its verdict, read-only (the CLI has finished with the file). */
async function readVerdicts(dbPath) {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const res = await conn.runAndReadAll(`SELECT id, type, machine, reasons FROM events WHERE type IN ('open', 'click')`);
    return new Map(res.getRowObjectsJS().map((r) => [r.id, { machine: Boolean(r.machine), reasons: r.reasons ?? '' }]));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** One seed: build, import, report, compare. */
async function evaluate(seed, scale) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `clickrate-outside-${seed}-`));
  const sample = buildSample(seed, { scale });
  writeSample(sample, dir);
  const db = path.join(dir, 'outside.duckdb');
  clickrate('import', path.join(dir, 'events.jsonl'), '--db', db);
  const reports = new Map(sample.campaigns.map((c) => [c.id, JSON.parse(clickrate('report', '--campaign', c.id, '--db', db, '--json'))]));
  const verdicts = await readVerdicts(db);
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });

  const byId = new Map(sample.events.map((e) => [e.id, e]));
  const judged = [];
  for (const t of sample.truth) {
    if (t.label === 'none') continue;
    const v = verdicts.get(t.id);
    if (!v) throw new Error(`seed ${seed}: event ${t.id} was not stored`);
    judged.push({ ...t, event: byId.get(t.id), machine: v.machine, reasons: v.reasons });
  }
  const count = (f) => judged.filter(f).length;
  const clicks = (j) => j.event.type === 'click';
  const opens = (j) => j.event.type === 'open';
  const tp = count((j) => clicks(j) && j.machine && j.label === 'machine');
  const fp = count((j) => clicks(j) && j.machine && j.label === 'human');
  const fn = count((j) => clicks(j) && !j.machine && j.label === 'machine');
  const humanOpens = count((j) => opens(j) && j.label === 'human');
  const machineOpens = count((j) => opens(j) && j.label === 'machine');
  const humanClicks = count((j) => clicks(j) && j.label === 'human');
  const summary = {
    seed,
    events: sample.events.length,
    machine_click_precision: pct(tp, tp + fp),
    machine_click_recall: pct(tp, tp + fn),
    human_click_kept: pct(humanClicks - fp, humanClicks),
    human_open_recall: pct(
      count((j) => opens(j) && j.label === 'human' && !j.machine),
      humanOpens,
    ),
    machine_open_recall: pct(
      count((j) => opens(j) && j.label === 'machine' && j.machine),
      machineOpens,
    ),
    counts: { machine_clicks: tp + fn, human_clicks: humanClicks, machine_opens: machineOpens, human_opens: humanOpens },
  };
  const campaigns = sample.campaigns.map((c) => campaignRow(c, judged, reports.get(c.id)));
  const wrong = judged.filter((j) => j.machine !== (j.label === 'machine'));
  return { summary, campaigns, judged, wrong };
}

/** Truth figures with the SPEC's semantics (unique clicks ÷ delivered; opens include clicked messages) beside the report's. */
function campaignRow(c, judged, report) {
  const mine = judged.filter((j) => j.campaign === c.id && j.label === 'human');
  const clicked = new Set(mine.filter((j) => j.event.type === 'click').map((j) => j.message));
  const opened = new Set([...clicked, ...mine.filter((j) => j.event.type === 'open').map((j) => j.message)]);
  const t = report.totals;
  if (t.delivered !== c.delivered) throw new Error(`${c.id}: report says ${t.delivered} delivered, the sample ${c.delivered}`);
  return {
    campaign: c.id,
    kind: c.kind,
    delivered: c.delivered,
    truth_ctr: pct(clicked.size, c.delivered),
    report_ctr: t.ctr,
    raw_ctr: t.raw.ctr,
    truth_ctor: pct(clicked.size, opened.size),
    report_ctor: t.ctor,
    raw_ctor: t.raw.ctor,
    truth_clicks: clicked.size,
    report_clicks: t.unique_clicks,
    truth_opens: opened.size,
    report_opens: t.unique_opens,
  };
}

/** Misjudged truth kinds over all seeds: how many of each kind were judged wrong, of how many, with examples. */
function misjudgedKinds(results, examples) {
  const kinds = new Map();
  for (const r of results) {
    for (const j of r.judged) {
      const key = `${j.label} ${j.event.type} ${j.kind}`;
      const k = kinds.get(key) ?? { key, total: 0, wrong: 0, examples: [] };
      k.total++;
      if (j.machine !== (j.label === 'machine')) {
        k.wrong++;
        if (k.examples.length < examples) {
          k.examples.push({
            agent: j.event.user_agent ?? '(none)',
            owner: j.owner,
            ip: j.event.ip,
            after_s: j.after_s,
            method: j.event.method,
            url: j.event.url,
            reasons: j.reasons,
          });
        }
      }
      kinds.set(key, k);
    }
  }
  return [...kinds.values()].filter((k) => k.wrong > 0).sort((a, b) => b.wrong - a.wrong);
}

const mean = (xs) => {
  const ok = xs.filter((x) => x !== null);
  return ok.length ? ok.reduce((s, x) => s + x, 0) / ok.length : null;
};

function printText(results, kinds) {
  const seeds = results.map((r) => r.summary.seed);
  const metric = (name, key) => `| ${name} | ${results.map((r) => fmt(r.summary[key])).join(' | ')} | ${fmt(mean(results.map((r) => r.summary[key])))} |`;
  console.log(`## Verdicts per event (%), seeds ${seeds.join(', ')}\n`);
  console.log(`| measure | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean |`);
  console.log(`|---|${seeds.map(() => '---:').join('|')}|---:|`);
  console.log(metric('machine-click precision', 'machine_click_precision'));
  console.log(metric('machine-click recall', 'machine_click_recall'));
  console.log(metric('human clicks kept', 'human_click_kept'));
  console.log(metric('human-open recall', 'human_open_recall'));
  console.log(metric('machine-open recall', 'machine_open_recall'));
  const c0 = results[0].summary.counts;
  console.log(
    `\n(seed ${seeds[0]}: ${c0.machine_clicks} machine clicks, ${c0.human_clicks} human clicks, ${c0.machine_opens} machine opens, ${c0.human_opens} human opens)\n`,
  );
  console.log('## Per campaign: CTR and CTOR (%), truth vs report vs raw, mean over seeds\n');
  console.log(
    '| campaign | kind | delivered | CTR truth | CTR report | CTR raw | CTOR truth | CTOR report | CTOR raw | clicks truth/report | opens truth/report |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [i, row] of results[0].campaigns.entries()) {
    const all = results.map((r) => r.campaigns[i]);
    const m = (k) => fmt(mean(all.map((a) => a[k])));
    const sum = (k) => all.reduce((s, a) => s + a[k], 0);
    console.log(
      `| ${row.campaign} | ${row.kind} | ${Math.round(sum('delivered') / all.length)} | ${m('truth_ctr')} | ${m('report_ctr')} | ${m('raw_ctr')} | ${m('truth_ctor')} | ${m('report_ctor')} | ${m('raw_ctor')} | ${sum('truth_clicks')}/${sum('report_clicks')} | ${sum('truth_opens')}/${sum('report_opens')} |`,
    );
  }
  console.log('\n## Most misjudged kinds (all seeds)\n');
  console.log('| truth | event | kind | wrong | of | example: agent · owner · s after delivery · method · reasons |');
  console.log('|---|---|---|---:|---:|---|');
  for (const k of kinds.slice(0, 15)) {
    const [label, type, kind] = k.key.split(' ');
    const ex = k.examples[0];
    console.log(
      `| ${label} | ${type} | ${kind} | ${k.wrong} | ${k.total} | \`${ex.agent}\` · ${ex.owner} · ${ex.after_s} s · ${ex.method} · ${ex.reasons || '(none)'} |`,
    );
  }
}

async function main() {
  const scale = Number(values.scale);
  const started = performance.now();
  const results = [];
  for (const s of values.seed) results.push(await evaluate(Number(s), scale));
  const kinds = misjudgedKinds(results, Number(values.examples));
  if (values.json) {
    console.log(JSON.stringify({ summaries: results.map((r) => r.summary), campaigns: results.map((r) => r.campaigns), misjudged: kinds }, null, 2));
  } else {
    printText(results, kinds);
    console.log(`\n${results.length} seed(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

await main();
