// The headline of a campaign: figure cards with intervals and benchmarks (people or raw), the funnel for
// people and raw side by side, and what machine filtering set aside, by reason.
import { Fragment } from 'preact';
import type { AdReport, Diagnosis, EmailReport, Range } from '../api';
import { Table } from '../components/Table';
import { ci, duration, money, num, pct } from '../format';

function Bench(props: { value: number | null; range: Range | undefined }) {
  if (!props.range || props.value === null) return null;
  const { low, high, label } = props.range;
  const where = props.value < low ? 'low' : props.value > high ? 'high' : 'ok';
  return (
    <div class={`bench ${where === 'low' ? 'low' : 'ok'}`}>
      typical {low}–{high}% ({label}){where === 'low' ? ' · below' : where === 'high' ? ' · above' : ''}
    </div>
  );
}

function Metric(props: { name: string; label: string; value: string; sub?: string; bench?: { value: number | null; range: Range | undefined } }) {
  return (
    <div class="metric">
      <div class="label">{props.label}</div>
      <div class="value" data-metric={props.name}>
        {props.value}
      </div>
      {props.sub && <div class="sub">{props.sub}</div>}
      {props.bench && <Bench {...props.bench} />}
    </div>
  );
}

export function EmailMetrics(props: { report: EmailReport; view: string; diagnosis: Diagnosis; currency: string }) {
  const t = props.report.totals;
  const b = props.diagnosis.benchmarks;
  const raw = props.view === 'raw';
  return (
    <div class="metrics" data-testid="metrics" data-view={props.view}>
      <Metric name="sent" label="Sent" value={num(t.sent)} sub={`${num(t.bounced)} bounced`} />
      <Metric name="delivered" label="Delivered" value={num(t.delivered)} />
      {raw ? (
        <>
          <Metric name="ctr" label="CTR (raw)" value={pct(t.raw.ctr)} sub={`${num(t.raw.unique_clicks)} clicked incl. machines`} />
          <Metric name="ctor" label="CTOR (raw)" value={pct(t.raw.ctor)} sub={`${num(t.raw.unique_opens)} opened incl. machines`} />
          <Metric name="open_rate" label="Open rate (raw)" value={pct(t.raw.open_rate)} />
        </>
      ) : (
        <>
          <Metric name="ctr" label="CTR" value={pct(t.ctr)} sub={`${num(t.unique_clicks)} clicked · ${ci(t.ctr_ci)}`} bench={{ value: t.ctr, range: b.ctr }} />
          <Metric
            name="ctor"
            label="CTOR"
            value={pct(t.ctor)}
            sub={`${num(t.unique_opens)} opened · ${ci(t.ctor_ci)}`}
            bench={{ value: t.ctor, range: b.ctor }}
          />
          <Metric name="open_rate" label="Open rate" value={pct(t.open_rate)} sub={`${pct(t.privacy_hidden_rate)} privacy-hidden`} />
        </>
      )}
      <Metric
        name="reply_rate"
        label="Reply rate"
        value={pct(t.reply_rate)}
        sub={`${num(t.replies)} replied · ${ci(t.reply_rate_ci)}${t.median_time_to_reply_s === null ? '' : ` · median first reply ${duration(t.median_time_to_reply_s)}`}${t.auto_replies + t.opt_out_replies > 0 ? ` · set aside: ${num(t.auto_replies)} auto-replies, ${num(t.opt_out_replies)} opt-outs` : ''}`}
        bench={t.replies > 0 ? { value: t.reply_rate, range: b.reply_rate } : undefined}
      />
      {t.conversions > 0 && (
        <Metric
          name="revenue_per_recipient"
          label="Revenue / recipient"
          value={money(t.revenue_per_recipient, props.currency)}
          sub={`${num(t.conversions)} conversions · ${money(t.revenue, props.currency)} total`}
        />
      )}
    </div>
  );
}

export function AdMetrics(props: { report: AdReport; view: string; diagnosis: Diagnosis; currency: string }) {
  const t = props.report.totals;
  const raw = props.view === 'raw';
  return (
    <div class="metrics" data-testid="metrics" data-view={props.view}>
      <Metric name="impressions" label="Impressions" value={num(t.impressions)} />
      <Metric
        name="clicks"
        label={raw ? 'Clicks (raw)' : 'Clicks'}
        value={num(raw ? t.raw.clicks : t.clicks)}
        sub={`${num(t.machine_clicks)} machine clicks set aside`}
      />
      <Metric
        name="ctr"
        label={raw ? 'CTR (raw)' : 'CTR'}
        value={pct(raw ? t.raw.ctr : t.ctr)}
        sub={raw ? 'unfiltered' : ci(t.ctr_ci)}
        bench={raw ? undefined : { value: t.ctr, range: props.diagnosis.benchmarks.ctr }}
      />
      <Metric name="conversions" label="Conversions" value={num(t.conversions)} sub={`${money(t.revenue, props.currency)} revenue`} />
    </div>
  );
}

function Bar(props: { n: number; of: number; raw?: boolean; name: string }) {
  const w = props.of > 0 ? Math.min(100, (100 * props.n) / props.of) : 0;
  return (
    <div class="barrow">
      <div class={`bar${props.raw ? ' raw' : ''}`}>
        <span style={{ width: `${w}%` }} />
      </div>
      <b data-funnel={props.name}>
        {num(props.n)} · {props.of > 0 ? `${w.toFixed(1)}%` : 'n/a'}
      </b>
    </div>
  );
}

export function Funnel(props: { report: EmailReport }) {
  const t = props.report.totals;
  const rows: Array<[string, number, number]> = [
    ['Delivered', t.delivered, t.delivered],
    ['Opened', t.unique_opens, t.raw.unique_opens],
    ['Clicked', t.unique_clicks, t.raw.unique_clicks],
    ['Replied', t.replies, t.replies],
  ];
  return (
    <section class="card" data-testid="funnel">
      <h2>Funnel</h2>
      <div class="funnel">
        <span />
        <span class="h">People</span>
        <span class="h">Raw (machines included)</span>
        {rows.map(([label, people, raw]) => (
          <Fragment key={label}>
            <span>{label}</span>
            <Bar n={people} of={t.delivered} name={`people-${label.toLowerCase()}`} />
            <Bar n={raw} of={t.delivered} raw name={`raw-${label.toLowerCase()}`} />
          </Fragment>
        ))}
      </div>
    </section>
  );
}

export function Removed(props: { report: EmailReport; reasons: Record<string, string> }) {
  const t = props.report.totals;
  const rows = [
    ...Object.entries(t.machine_reasons.opens).map(([code, n]) => ({ type: 'open', code, n })),
    ...Object.entries(t.machine_reasons.clicks).map(([code, n]) => ({ type: 'click', code, n })),
  ].sort((a, b) => b.n - a.n);
  return (
    <div data-testid="removed">
      <p>
        Filtering set aside <b>{num(t.raw.unique_opens - t.unique_opens)}</b> opened and <b>{num(t.raw.unique_clicks - t.unique_clicks)}</b> clicked messages (
        {num(t.machine_opens)} machine opens, {num(t.scanner_clicks)} scanner clicks). An event with several reasons counts under each.
      </p>
      <Table
        title="What filtering removed, by reason"
        rows={rows}
        csvName="machine-reasons.csv"
        initialSort="n"
        columns={[
          { key: 'type', label: 'Event', value: (r) => r.type },
          { key: 'code', label: 'Reason', value: (r) => r.code },
          { key: 'text', label: 'Meaning', value: (r) => props.reasons[r.code] ?? '' },
          { key: 'n', label: 'Events', numeric: true, value: (r) => r.n, render: (r) => num(r.n) },
        ]}
      />
    </div>
  );
}
