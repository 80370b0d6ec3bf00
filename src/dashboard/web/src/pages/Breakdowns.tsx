// A campaign's breakdowns: A/B variants with lift, p-value and a plain verdict; sequence steps; links
// with their click share and the click map (the message in a sandboxed frame that runs no script); ads.
import { useState } from 'preact/hooks';
import { campaignPath, type AdReport, type EmailMetrics, type EmailReport, type LinkGroup, type LinkReport, type TemplateInfo } from '../api';
import { Table } from '../components/Table';
import { ci, money, num, pct, pValue, signed } from '../format';

/** winner / no difference yet / more data needed, from the report's comparison (CTR: clicks per delivered). */
function verdictOf(g: EmailMetrics): { text: string; cls: string } {
  const c = g.comparison;
  if (!c) return { text: 'control', cls: 'wait' };
  const v = c.ctr;
  if (v.reason) return { text: `More data needed: ${v.reason}`, cls: 'wait' };
  if (v.significant) return (v.lift ?? 0) > 0 ? { text: `Winner over ${c.control}`, cls: 'win' } : { text: `Worse than ${c.control}`, cls: 'lose' };
  return { text: 'No difference yet', cls: 'wait' };
}

export function AbTests(props: { report: EmailReport }) {
  const groups = props.report.groups.filter((g) => g.key !== null);
  if (groups.length < 2) return null;
  const money_ = groups.some((g) => g.conversions > 0);
  return (
    <Table
      title="A/B test (CTR = unique clicks ÷ delivered; verdict at p < 0.05)"
      rows={groups}
      csvName="variants.csv"
      testId="ab"
      columns={[
        { key: 'key', label: 'Variant', value: (g) => String(g.key) },
        { key: 'delivered', label: 'Delivered', numeric: true, value: (g) => g.delivered, render: (g) => num(g.delivered) },
        { key: 'ctr', label: 'CTR', numeric: true, value: (g) => g.ctr, render: (g) => pct(g.ctr) },
        { key: 'ctr_ci', label: 'CTR interval', value: (g) => ci(g.ctr_ci) },
        { key: 'ctor', label: 'CTOR', numeric: true, value: (g) => g.ctor, render: (g) => pct(g.ctor) },
        { key: 'ctor_ci', label: 'CTOR interval', value: (g) => ci(g.ctor_ci) },
        {
          key: 'lift',
          label: 'CTR lift vs control',
          numeric: true,
          value: (g) => g.comparison?.ctr.lift ?? null,
          render: (g) => (g.comparison ? signed(g.comparison.ctr.lift) : '—'),
        },
        {
          key: 'p',
          label: 'p-value',
          numeric: true,
          value: (g) => g.comparison?.ctr.p_value ?? null,
          render: (g) => (g.comparison ? pValue(g.comparison.ctr.p_value) : '—'),
        },
        {
          key: 'ctor_lift',
          label: 'CTOR lift',
          numeric: true,
          value: (g) => g.comparison?.ctor.lift ?? null,
          render: (g) => (g.comparison ? `${signed(g.comparison.ctor.lift)} (p ${pValue(g.comparison.ctor.p_value)})` : '—'),
        },
        {
          key: 'verdict',
          label: 'Verdict',
          value: (g) => verdictOf(g).text,
          render: (g) => <span class={`verdict ${verdictOf(g).cls}`}>{verdictOf(g).text}</span>,
        },
        ...(money_
          ? [
              {
                key: 'rpr',
                label: 'Revenue / recipient',
                numeric: true,
                value: (g: EmailMetrics) => g.revenue_per_recipient,
                render: (g: EmailMetrics) => money(g.revenue_per_recipient),
              },
            ]
          : []),
      ]}
    />
  );
}

export function StepsTable(props: { report: EmailReport }) {
  const groups = props.report.groups.filter((g) => g.key !== null);
  if (groups.length < 2) return null;
  return (
    <Table
      title="Sequence steps"
      rows={groups}
      csvName="steps.csv"
      testId="steps"
      columns={[
        { key: 'key', label: 'Step', numeric: true, value: (g) => Number(g.key) },
        { key: 'sent', label: 'Sent', numeric: true, value: (g) => g.sent, render: (g) => num(g.sent) },
        { key: 'delivered', label: 'Delivered', numeric: true, value: (g) => g.delivered, render: (g) => num(g.delivered) },
        { key: 'opens', label: 'Opened', numeric: true, value: (g) => g.unique_opens, render: (g) => num(g.unique_opens) },
        { key: 'ctr', label: 'CTR', numeric: true, value: (g) => g.ctr, render: (g) => pct(g.ctr) },
        { key: 'ctor', label: 'CTOR', numeric: true, value: (g) => g.ctor, render: (g) => pct(g.ctor) },
        { key: 'reply_rate', label: 'Reply rate', numeric: true, value: (g) => g.reply_rate, render: (g) => pct(g.reply_rate) },
        { key: 'auto_replies', label: 'Auto-replies', numeric: true, value: (g) => g.auto_replies, render: (g) => num(g.auto_replies) },
        { key: 'opt_out_replies', label: 'Opt-out replies', numeric: true, value: (g) => g.opt_out_replies, render: (g) => num(g.opt_out_replies) },
        { key: 'unsub', label: 'Unsubscribe rate', numeric: true, value: (g) => g.unsubscribe_rate, render: (g) => pct(g.unsubscribe_rate) },
      ]}
    />
  );
}

const templateLabel = (t: TemplateInfo): string =>
  [t.step !== null ? `step ${t.step}` : '', t.variant !== null ? `variant ${t.variant}` : ''].filter(Boolean).join(', ') || 'the message';

export function LinksAndMap(props: { id: string; win: string; links: LinkReport; templates: TemplateInfo[] }) {
  const [pick, setPick] = useState(0);
  const tpl = props.templates[Math.min(pick, props.templates.length - 1)];
  return (
    <>
      <Table
        title="Links"
        rows={props.links.groups}
        csvName="links.csv"
        testId="links"
        initialSort="unique_clicks"
        columns={[
          { key: 'url', label: 'Link', value: (g: LinkGroup) => g.key, render: (g: LinkGroup) => <span title={g.key}>{g.key}</span> },
          { key: 'unique_clicks', label: 'Unique clicks', numeric: true, value: (g) => g.unique_clicks, render: (g) => num(g.unique_clicks) },
          { key: 'total_clicks', label: 'Total clicks', numeric: true, value: (g) => g.total_clicks, render: (g) => num(g.total_clicks) },
          {
            key: 'share',
            label: 'Click share',
            numeric: true,
            value: (g) => (g.click_share === null ? null : 100 * g.click_share),
            render: (g) => (
              <span>
                <span class="share" style={{ width: `${Math.round(60 * (g.click_share ?? 0))}px` }} />
                {pct(g.click_share === null ? null : 100 * g.click_share)}
              </span>
            ),
          },
          { key: 'ctr', label: 'CTR', numeric: true, value: (g) => g.ctr, render: (g) => pct(g.ctr) },
          { key: 'scanner', label: 'Scanner clicks', numeric: true, value: (g) => g.scanner_clicks, render: (g) => num(g.scanner_clicks) },
        ]}
      />
      <section class="card" data-testid="clickmap">
        <div class="tablehead">
          <h2>Click map</h2>
          {props.templates.length > 1 && (
            <select aria-label="Template" value={String(pick)} onChange={(e) => setPick(Number((e.target as HTMLSelectElement).value))}>
              {props.templates.map((t, i) => (
                <option value={String(i)} key={i}>
                  {templateLabel(t)}
                </option>
              ))}
            </select>
          )}
        </div>
        {tpl ? (
          <>
            <p class="muted">
              The message as sent, each link marked with its share of the campaign's unique clicks. Shown in a sandbox: no script runs, no image or link loads
              from outside.
            </p>
            <iframe
              class="clickmap"
              title={`Click map of ${props.id}, ${templateLabel(tpl)}`}
              sandbox=""
              referrerpolicy="no-referrer"
              src={campaignPath(props.id, 'click-map', { step: tpl.step === null ? null : String(tpl.step), variant: tpl.variant, window: props.win })}
            />
          </>
        ) : (
          <p class="muted">
            No template stored for this campaign. Templates are kept when messages are wrapped through <code>POST /api/v1/wrap</code>.
          </p>
        )}
      </section>
    </>
  );
}

export function AdsTable(props: { report: AdReport }) {
  return (
    <Table
      title="Ads"
      rows={props.report.groups}
      csvName="ads.csv"
      testId="ads"
      initialSort="ctr"
      columns={[
        { key: 'key', label: 'Ad', value: (g) => String(g.key ?? '') },
        { key: 'impressions', label: 'Impressions', numeric: true, value: (g) => g.impressions, render: (g) => num(g.impressions) },
        { key: 'clicks', label: 'Clicks', numeric: true, value: (g) => g.clicks, render: (g) => num(g.clicks) },
        { key: 'ctr', label: 'CTR', numeric: true, value: (g) => g.ctr, render: (g) => pct(g.ctr) },
        { key: 'ctr_ci', label: 'CTR interval', value: (g) => ci(g.ctr_ci) },
        { key: 'machine', label: 'Machine clicks', numeric: true, value: (g) => g.machine_clicks, render: (g) => num(g.machine_clicks) },
        { key: 'conversions', label: 'Conversions', numeric: true, value: (g) => g.conversions, render: (g) => num(g.conversions) },
        { key: 'revenue', label: 'Revenue', numeric: true, value: (g) => g.revenue, render: (g) => money(g.revenue) },
      ]}
    />
  );
}
