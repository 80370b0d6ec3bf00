// `/calculator`: CTR, CTOR and ad CTR from typed numbers, computed by the server's `calc` (the CLI's
// code), so validation, intervals and warnings are exactly the command line's.
import { useState } from 'preact/hooks';
import { type CalcResult, getJson } from '../api';
import { ci, num, pct } from '../format';

const FIELDS = [
  ['clicks', 'Unique clicks'],
  ['delivered', 'Delivered'],
  ['opens', 'Unique opens'],
  ['impressions', 'Impressions (ads)'],
] as const;

/**
 * A field as typed, read as a count: separators (12,000 or 12 000) and a zero fraction (1200.0) are fine;
 * anything else gets a sentence naming the field. TRICKY: a type=number input would block "1.5" or
 * "12,000" with the browser's own bubble, submit nothing, and leave the last result on screen.
 */
function readCount(label: string, text: string): { value?: string; error?: string } {
  const t = text.trim().replace(/[\s,_]/g, '');
  if (t === '') return {};
  const n = Number(t);
  if (!/^[+]?\d*\.?\d+(e\d+)?$/i.test(t) || !Number.isFinite(n)) return { error: `${label}: “${text.trim()}” is not a number.` };
  if (!Number.isInteger(n)) return { error: `${label} must be a whole number (it counts messages or impressions); got ${text.trim()}.` };
  if (!Number.isSafeInteger(n)) return { error: `${label} is too large.` };
  return { value: String(n) };
}

export function Calculator() {
  const [values, setValues] = useState<Record<string, string>>({ clicks: '', delivered: '', opens: '', impressions: '' });
  const [result, setResult] = useState<CalcResult | null>(null);
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, label] of FIELDS) {
      const r = readCount(label, values[k] ?? '');
      if (r.error) {
        setResult(null);
        setError(r.error);
        return;
      }
      if (r.value !== undefined) q.set(k, r.value);
    }
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
  // A result (or an error) stays only while it is about what the fields say.
  const edit = (k: string, v: string) => {
    setValues({ ...values, [k]: v });
    setResult(null);
    setError('');
  };
  return (
    <div class="calc">
      <h1>Calculator</h1>
      <p class="muted">
        CTR = unique clicks ÷ delivered; CTOR = unique clicks ÷ unique opens; ad CTR = clicks ÷ impressions. Give clicks and one or more denominators of one
        family. Each is a count, so whole numbers (12,000 is read as 12000). Clicks can exceed neither delivered nor opens: each counts a message once, and a
        click implies an open.
      </p>
      <section class="card">
        <form onSubmit={submit}>
          {FIELDS.map(([k, label]) => (
            <label key={k}>
              {label}
              <input
                type="text"
                inputmode="numeric"
                autocomplete="off"
                name={k}
                value={values[k]}
                onInput={(e) => edit(k, (e.target as HTMLInputElement).value)}
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
