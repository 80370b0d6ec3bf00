// `/calculator`: CTR, CTOR and ad CTR from typed numbers, computed by the server's `calc` (the CLI's
// code), so validation, intervals and warnings are exactly the command line's.
import { useState } from 'preact/hooks';
import { getJson } from '../api';
import { ci, num, pct } from '../format';

interface CalcResult {
  kind: 'email' | 'ad';
  clicks: number;
  delivered?: number;
  opens?: number;
  impressions?: number;
  ctr?: number | null;
  ctor?: number | null;
  open_rate?: number | null;
  ci: { ctr?: [number, number] | null; ctor?: [number, number] | null; open_rate?: [number, number] | null };
  warnings: string[];
}

const FIELDS = [
  ['clicks', 'Unique clicks'],
  ['delivered', 'Delivered'],
  ['opens', 'Unique opens'],
  ['impressions', 'Impressions (ads)'],
] as const;

export function Calculator() {
  const [values, setValues] = useState<Record<string, string>>({ clicks: '', delivered: '', opens: '', impressions: '' });
  const [result, setResult] = useState<CalcResult | null>(null);
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v.trim() !== '') q.set(k, v.trim());
    getJson<CalcResult>(`/api/v1/calc?${q}`).then(
      (r) => {
        setResult(r);
        setError('');
      },
      // The CLI names its flags (--opens); here they are fields.
      (err: Error) => {
        setResult(null);
        setError(err.message.replace(/--(\w+)/g, '$1'));
      },
    );
  };
  return (
    <div class="calc">
      <h1>Calculator</h1>
      <p class="muted">
        CTR = unique clicks ÷ delivered; CTOR = unique clicks ÷ unique opens; ad CTR = clicks ÷ impressions. Give clicks and one or more denominators of one
        family.
      </p>
      <section class="card">
        <form onSubmit={submit}>
          {FIELDS.map(([k, label]) => (
            <label key={k}>
              {label}
              <input
                type="number"
                min="0"
                step="1"
                name={k}
                value={values[k]}
                onInput={(e) => setValues({ ...values, [k]: (e.target as HTMLInputElement).value })}
              />
            </label>
          ))}
          <button type="submit">Calculate</button>
        </form>
      </section>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <section class="card" data-testid="calc-result">
          <div class="metrics">
            {result.ctr !== undefined && (
              <div class="metric">
                <div class="label">{result.kind === 'ad' ? 'Ad CTR' : 'CTR'}</div>
                <div class="value" data-metric="ctr">
                  {pct(result.ctr)}
                </div>
                <div class="sub">{ci(result.ci.ctr)}</div>
              </div>
            )}
            {result.ctor !== undefined && (
              <div class="metric">
                <div class="label">CTOR</div>
                <div class="value" data-metric="ctor">
                  {pct(result.ctor)}
                </div>
                <div class="sub">{ci(result.ci.ctor)}</div>
              </div>
            )}
            {result.open_rate !== undefined && (
              <div class="metric">
                <div class="label">Open rate</div>
                <div class="value" data-metric="open_rate">
                  {pct(result.open_rate)}
                </div>
                <div class="sub">{ci(result.ci.open_rate)}</div>
              </div>
            )}
          </div>
          <p class="muted">
            From {num(result.clicks)} clicks{result.delivered !== undefined ? `, ${num(result.delivered)} delivered` : ''}
            {result.opens !== undefined ? `, ${num(result.opens)} opens` : ''}
            {result.impressions !== undefined ? `, ${num(result.impressions)} impressions` : ''}.
          </p>
          {result.warnings.length > 0 && (
            <ul class="warnings">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
