// A campaign's breakdowns: A/B variants with lift, p-values and a plain verdict; sequence steps; ads. Each
// follows the page's People/Raw switch and says which it shows.
import type { AdReport, EmailMetrics, EmailReport } from '../api';
import { Table, type Column } from '../components/Table';
import { ci, duration, money, num, pct, pValue, signed } from '../format';
import { ciCsv, csvLead, viewNote } from '../report-columns';

/** winner / no difference yet / more data needed, from the report's comparison (CTR: clicks per delivered). */
function verdictOf(g: EmailMetrics): { text: string; cls: string } {
  const c = g.comparison;
  if (!c) return { text: 'control', cls: 'wait' };
  const v = c.ctr;
  if (v.reason) return { text: `More data needed: ${v.reason}`, cls: 'wait' };
  if (v.significant) return (v.lift ?? 0) > 0 ? { text: `Winner over ${c.control}`, cls: 'win' } : { text: `Worse than ${c.control}`, cls: 'lose' };
  return { text: 'No difference yet', cls: 'wait' };
}

type G = EmailMetrics;
const key: Column<G> = { key: 'key', label: 'Variant', value: (g) => String(g.key) };
const delivered: Column<G> = { key: 'delivered', label: 'Delivered', numeric: true, value: (g) => g.delivered, render: (g) => num(g.delivered) };

function peopleAbColumns(currency: string, withMoney: boolean): Column<G>[] {
  return [
    key,
    delivered,
    { key: 'unique_clicks', label: 'Clicked', numeric: true, value: (g) => g.unique_clicks, render: (g) => num(g.unique_clicks) },
    { key: 'ctr', label: 'CTR', numeric: true, value: (g) => g.ctr, render: (g) => pct(g.ctr) },
    { key: 'ctr_ci', label: 'CTR interval', value: (g) => ci(g.ctr_ci), csv: ciCsv('ctr', (g) => g.ctr_ci) },
    { key: 'ctor', label: 'CTOR', numeric: true, value: (g) => g.ctor, render: (g) => pct(g.ctor) },
    { key: 'ctor_ci', label: 'CTOR interval', value: (g) => ci(g.ctor_ci), csv: ciCsv('ctor', (g) => g.ctor_ci) },
    {
      key: 'lift',
      label: 'CTR lift vs control',
      numeric: true,
      value: (g) => g.comparison?.ctr.lift ?? null,
      render: (g) => (g.comparison ? signed(g.comparison.ctr.lift) : '—'),
      csv: [
        ['comparison_control', (g) => g.comparison?.control ?? null],
        ['comparison_ctr_lift', (g) => g.comparison?.ctr.lift ?? null],
      ],
    },
    {
      key: 'p',
      label: 'p-value',
      numeric: true,
      value: (g) => g.comparison?.ctr.p_value ?? null,
      render: (g) => (g.comparison ? pValue(g.comparison.ctr.p_value) : '—'),
      csv: [['comparison_ctr_p_value', (g) => g.comparison?.ctr.p_value ?? null]],
    },
    {
      key: 'ctor_lift',
      label: 'CTOR lift',
      numeric: true,
      value: (g) => g.comparison?.ctor.lift ?? null,
      render: (g) => (g.comparison ? `${signed(g.comparison.ctor.lift)} (p ${pValue(g.comparison.ctor.p_value)})` : '—'),
      csv: [
        ['comparison_ctor_lift', (g) => g.comparison?.ctor.lift ?? null],
        ['comparison_ctor_p_value', (g) => g.comparison?.ctor.p_value ?? null],
      ],
    },
    {
      key: 'verdict',
      label: 'Verdict',
      value: (g) => verdictOf(g).text,
      render: (g) => <span class={`verdict ${verdictOf(g).cls}`}>{verdictOf(g).text}</span>,
    },
    ...(withMoney
      ? [
          {
            key: 'revenue_per_recipient',
            label: `Revenue / recipient (${currency})`,
            numeric: true,
            value: (g: G) => g.revenue_per_recipient,
            render: (g: G) => money(g.revenue_per_recipient, currency),
          },
        ]
      : []),
  ];
}

/** Raw: what an unfiltered tool would show. The verdict is people's only: machines are not an audience. */
const rawAbColumns: Column<G>[] = [
  key,
  delivered,
  { key: 'raw_unique_clicks', label: 'Clicked (raw)', numeric: true, value: (g) => g.raw.unique_clicks, render: (g) => num(g.raw.unique_clicks) },
  { key: 'raw_ctr', label: 'CTR (raw)', numeric: true, value: (g) => g.raw.ctr, render: (g) => pct(g.raw.ctr) },
  { key: 'raw_unique_opens', label: 'Opened (raw)', numeric: true, value: (g) => g.raw.unique_opens, render: (g) => num(g.raw.unique_opens) },
  { key: 'raw_ctor', label: 'CTOR (raw)', numeric: true, value: (g) => g.raw.ctor, render: (g) => pct(g.raw.ctor) },
];

export function AbTests(props: { report: EmailReport; raw: boolean; currency: string }) {
  const groups = props.report.groups.filter((g) => g.key !== null);
  if (groups.length < 2) return null;
  const withMoney = groups.some((g) => g.conversions > 0);
  return (
    <Table
      title={
        props.raw ? 'A/B test, raw (no verdict: significance is computed for people only)' : 'A/B test (CTR = unique clicks ÷ delivered; verdict at p < 0.05)'
      }
      note={viewNote(props.raw)}
      rows={groups}
      csvName={props.raw ? 'variants-raw.csv' : 'variants.csv'}
      csvLead={[...csvLead(props.report.campaign, props.report.window), ...(withMoney && !props.raw ? [['currency', props.currency] as [string, string]] : [])]}
      testId="ab"
      columns={props.raw ? rawAbColumns : peopleAbColumns(props.currency, withMoney)}
    />
  );
}

export function StepsTable(props: { report: EmailReport; raw: boolean }) {
  const groups = props.report.groups.filter((g) => g.key !== null);
  if (groups.length < 2) return null;
  const r = props.raw;
  return (
    <Table
      title="Sequence steps"
      note={viewNote(r)}
      rows={groups}
      csvName={r ? 'steps-raw.csv' : 'steps.csv'}
      csvLead={csvLead(props.report.campaign, props.report.window)}
      testId="steps"
      columns={[
        { key: 'key', label: 'Step', numeric: true, value: (g) => Number(g.key) },
        { key: 'sent', label: 'Sent', numeric: true, value: (g) => g.sent, render: (g) => num(g.sent) },
        { key: 'delivered', label: 'Delivered', numeric: true, value: (g) => g.delivered, render: (g) => num(g.delivered) },
        r
          ? { key: 'raw_unique_opens', label: 'Opened (raw)', numeric: true, value: (g) => g.raw.unique_opens, render: (g) => num(g.raw.unique_opens) }
          : { key: 'unique_opens', label: 'Opened', numeric: true, value: (g) => g.unique_opens, render: (g) => num(g.unique_opens) },
        r
          ? { key: 'raw_ctr', label: 'CTR (raw)', numeric: true, value: (g) => g.raw.ctr, render: (g) => pct(g.raw.ctr) }
          : { key: 'ctr', label: 'CTR', numeric: true, value: (g) => g.ctr, render: (g) => pct(g.ctr) },
        r
          ? { key: 'raw_ctor', label: 'CTOR (raw)', numeric: true, value: (g) => g.raw.ctor, render: (g) => pct(g.raw.ctor) }
          : { key: 'ctor', label: 'CTOR', numeric: true, value: (g) => g.ctor, render: (g) => pct(g.ctor) },
        { key: 'reply_rate', label: 'Reply rate', numeric: true, value: (g) => g.reply_rate, render: (g) => pct(g.reply_rate) },
        {
          key: 'median_time_to_reply_s',
          label: 'Median first reply',
          numeric: true,
          value: (g) => g.median_time_to_reply_s,
          render: (g) => duration(g.median_time_to_reply_s),
        },
        { key: 'auto_replies', label: 'Auto-replies', numeric: true, value: (g) => g.auto_replies, render: (g) => num(g.auto_replies) },
        { key: 'opt_out_replies', label: 'Opt-out replies', numeric: true, value: (g) => g.opt_out_replies, render: (g) => num(g.opt_out_replies) },
        { key: 'unsubscribe_rate', label: 'Unsubscribe rate', numeric: true, value: (g) => g.unsubscribe_rate, render: (g) => pct(g.unsubscribe_rate) },
      ]}
    />
  );
}

type Ad = AdReport['groups'][number];

export function AdsTable(props: { report: AdReport; raw: boolean; currency: string }) {
  const r = props.raw;
  return (
    <Table
      title="Ads"
      note={r ? 'Raw: every click counted, bots and crawlers included.' : 'People only: clicks by bots and crawlers are set aside.'}
      rows={props.report.groups}
      csvName={r ? 'ads-raw.csv' : 'ads.csv'}
      csvLead={[...csvLead(props.report.campaign, null), ['currency', props.currency]]}
      testId="ads"
      initialSort={r ? 'raw_ctr' : 'ctr'}
      columns={[
        { key: 'key', label: 'Ad', value: (g: Ad) => String(g.key ?? '') },
        { key: 'impressions', label: 'Impressions', numeric: true, value: (g) => g.impressions, render: (g) => num(g.impressions) },
        ...(r
          ? [
              { key: 'raw_clicks', label: 'Clicks (raw)', numeric: true, value: (g: Ad) => g.raw.clicks, render: (g: Ad) => num(g.raw.clicks) },
              { key: 'raw_ctr', label: 'CTR (raw)', numeric: true, value: (g: Ad) => g.raw.ctr, render: (g: Ad) => pct(g.raw.ctr) },
            ]
          : [
              { key: 'clicks', label: 'Clicks', numeric: true, value: (g: Ad) => g.clicks, render: (g: Ad) => num(g.clicks) },
              { key: 'ctr', label: 'CTR', numeric: true, value: (g: Ad) => g.ctr, render: (g: Ad) => pct(g.ctr) },
              { key: 'ctr_ci', label: 'CTR interval', value: (g: Ad) => ci(g.ctr_ci), csv: ciCsv('ctr', (g: Ad) => g.ctr_ci) },
            ]),
        { key: 'machine_clicks', label: 'Machine clicks', numeric: true, value: (g) => g.machine_clicks, render: (g) => num(g.machine_clicks) },
        { key: 'conversions', label: 'Conversions', numeric: true, value: (g) => g.conversions, render: (g) => num(g.conversions) },
        { key: 'revenue', label: `Revenue (${props.currency})`, numeric: true, value: (g) => g.revenue, render: (g) => money(g.revenue, props.currency) },
      ]}
    />
  );
}
