// Panels of a campaign page: what kind of campaign it is (set or inferred), the diagnosis, and opens and
// clicks over time by hour or day.
import { useEffect, useState } from 'preact/hooks';
import { campaignPath, EMAIL_KINDS, getJson, type Diagnosis, type KindChoice, type Timeseries } from '../api';
import { TimeChart } from '../components/TimeChart';
import { bucketsOf, MIN_BAR_PX, valuesOn } from '../time-buckets';

/** The campaign's kind decides its benchmark ranges; an inferred one says so and from what. */
export function KindSetting(props: { id: string; choice: KindChoice | undefined; onChange: () => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const c = props.choice;
  if (!c) return null;
  const set = (kind: string) => {
    setBusy(true);
    setError('');
    getJson(campaignPath(props.id, 'settings'), { method: 'PUT', body: { kind: kind === '' ? null : kind } }).then(
      () => {
        setBusy(false);
        props.onChange();
      },
      (e: Error) => {
        setBusy(false);
        setError(e.message);
      },
    );
  };
  return (
    <p class="kind" data-testid="kind">
      <label>
        Campaign kind{' '}
        <select aria-label="Campaign kind" value={c.inferred ? '' : c.kind} disabled={busy} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
          <option value="">{`infer (${c.inferred ? c.kind : 'from steps and replies'})`}</option>
          {EMAIL_KINDS.map((k) => (
            <option value={k} key={k}>
              {k}
            </option>
          ))}
        </select>
      </label>{' '}
      <span class="muted" data-testid="kind-source">
        {c.inferred ? `Inferred: ${c.kind}, because ${c.why}.` : `Set: ${c.kind}.`} Benchmarks are those of {c.kind} email.
      </span>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </p>
  );
}

export function DiagnosisPanel(props: { diagnosis: Diagnosis }) {
  return (
    <section class="card" data-testid="diagnosis">
      <h2>Diagnosis</h2>
      <ul class="findings">
        {props.diagnosis.findings.map((f) => (
          <li class={f.tone} key={f.code}>
            {f.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Opens and clicks (or impressions and clicks) per hour or day, on an axis that spans the data. */
export function OverTime(props: { id: string; win: string; interval: 'hour' | 'day'; setInterval: (v: string) => void }) {
  const [series, setSeries] = useState<Timeseries | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    getJson<Timeseries>(campaignPath(props.id, 'timeseries', { window: props.win, interval: props.interval })).then(
      (s) => live && setSeries(s),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [props.id, props.win, props.interval]);
  const b = bucketsOf(series?.points ?? [], series?.interval ?? props.interval);
  const on = (pick: (p: Timeseries['points'][number]) => number) => valuesOn(b.index, series?.points.map(pick) ?? []);
  const wide = b.t.length * MIN_BAR_PX + 80 > 560;
  return (
    <section class="card" data-testid="over-time">
      <div class="tablehead">
        <h2>Over time</h2>
        <fieldset class="seg" aria-label="Interval">
          <button
            type="button"
            class={props.interval === 'hour' ? 'on' : ''}
            aria-pressed={props.interval === 'hour'}
            onClick={() => props.setInterval('hour')}
          >
            By hour
          </button>
          <button type="button" class={props.interval === 'day' ? 'on' : ''} aria-pressed={props.interval === 'day'} onClick={() => props.setInterval('day')}>
            By day
          </button>
        </fieldset>
      </div>
      {error && <p class="error">{error}</p>}
      {series && series.points.length === 0 && <p class="muted">No opens or clicks yet.</p>}
      {series && wide && (
        <p class="muted" data-testid="scroll-note">
          {b.t.length.toLocaleString('en-US')} {props.interval === 'hour' ? 'hours' : 'days'}: each chart scrolls sideways so every bar stays readable.
        </p>
      )}
      {series && series.points.length > 0 && series.kind === 'email' && (
        <div class="row">
          <div class="card chartcard">
            <TimeChart title="Opens" buckets={b} people={on((p) => p.human_opens)} machines={on((p) => p.machine_opens)} />
          </div>
          <div class="card chartcard">
            <TimeChart title="Clicks" buckets={b} people={on((p) => p.human_clicks)} machines={on((p) => p.machine_clicks)} />
          </div>
        </div>
      )}
      {series && series.points.length > 0 && series.kind === 'ads' && (
        <div class="row">
          <div class="card chartcard">
            <TimeChart title="Impressions" buckets={b} people={on((p) => p.impressions)} peopleLabel="impressions" />
          </div>
          <div class="card chartcard">
            <TimeChart title="Clicks" buckets={b} people={on((p) => p.human_clicks)} machines={on((p) => p.machine_clicks)} />
          </div>
        </div>
      )}
    </section>
  );
}
