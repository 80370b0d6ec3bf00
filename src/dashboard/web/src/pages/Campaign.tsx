// `/campaigns/<id>`: one campaign. The reporting window is a URL parameter that every request carries,
// so changing it changes every figure at once; all data comes from aggregate endpoints, never raw events.
import { useEffect, useState } from 'preact/hooks';
import { campaignPath, getJson, type AdReport, type Diagnosis, type EmailReport, type LinkReport, type TemplateInfo, type Timeseries } from '../api';
import { TimeChart } from '../components/TimeChart';
import { navigate } from '../nav';
import { AbTests, AdsTable, LinksAndMap, StepsTable } from './Breakdowns';
import { AdMetrics, EmailMetrics, Funnel, Removed } from './EmailSections';

const WINDOWS = [
  ['', 'all time'],
  ['1h', '1 hour'],
  ['24h', '24 hours'],
  ['48h', '48 hours'],
  ['7d', '7 days'],
  ['14d', '14 days'],
  ['30d', '30 days'],
] as const;

/** The classifier checking itself on this campaign's traffic (docs/classification.md). */
interface Share {
  n: number;
  share: number | null;
}
interface VerdictCheck {
  honeypot: Share & { by_other_signals: Share };
  converting_clicks_human: Share;
  opens_machine_by_provider: Record<string, Share>;
}
interface EmailData {
  kind: 'email';
  verdictCheck: VerdictCheck;
  totals: EmailReport;
  steps: EmailReport;
  variants: EmailReport;
  links: LinkReport;
  diagnosis: Diagnosis;
  templates: TemplateInfo[];
}
interface AdData {
  kind: 'ads';
  totals: AdReport;
  ads: AdReport;
  diagnosis: Diagnosis;
}
/** GET /api/v1/campaigns/<id>/page: a campaign page's reports, computed together. */
type CampaignPage =
  | {
      kind: 'email';
      report: EmailReport;
      steps: EmailReport;
      variants: EmailReport;
      links: LinkReport;
      diagnosis: Diagnosis;
      templates: TemplateInfo[];
      verdict_check: VerdictCheck;
    }
  | { kind: 'ads'; report: AdReport; ads: AdReport; diagnosis: Diagnosis };

/** A query parameter kept in the URL, so a view can be bookmarked and shared. */
function useParam(name: string, fallback: string): [string, (v: string) => void] {
  const [v, setV] = useState(new URLSearchParams(location.search).get(name) ?? fallback);
  const set = (next: string) => {
    const q = new URLSearchParams(location.search);
    if (next === fallback) q.delete(name);
    else q.set(name, next);
    const qs = q.toString();
    history.replaceState(null, '', `${location.pathname}${qs ? `?${qs}` : ''}`);
    setV(next);
  };
  return [v, set];
}

export function CampaignPage(props: { id: string }) {
  const id = props.id;
  const [win, setWin] = useParam('window', '');
  const [view, setView] = useParam('view', 'people');
  const [interval, setIntervalParam] = useParam('interval', 'day');
  const [data, setData] = useState<EmailData | AdData | null>(null);
  const [series, setSeries] = useState<Timeseries | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    setError('');
    const w = { window: win };
    (async () => {
      // One request for everything but the chart: the server computes the breakdowns in one pass.
      const page = await getJson<CampaignPage>(campaignPath(id, 'page', w));
      if (!live) return;
      if (page.kind === 'email')
        setData({
          kind: 'email',
          totals: page.report,
          steps: page.steps,
          variants: page.variants,
          links: page.links,
          diagnosis: page.diagnosis,
          templates: page.templates,
          verdictCheck: page.verdict_check,
        });
      else setData({ kind: 'ads', totals: page.report, ads: page.ads, diagnosis: page.diagnosis });
    })().catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [id, win]);

  useEffect(() => {
    let live = true;
    getJson<Timeseries>(campaignPath(id, 'timeseries', { window: win, interval })).then(
      (s) => live && setSeries(s),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id, win, interval]);

  const t = series?.points.map((p) => p.t) ?? [];
  return (
    <>
      <p>
        <a href="/" data-nav>
          ← All campaigns
        </a>
      </p>
      <h1>{id}</h1>
      <div class="toolbar">
        {data?.kind !== 'ads' && (
          <label>
            Reporting window
            <select aria-label="Reporting window" value={win} onChange={(e) => setWin((e.target as HTMLSelectElement).value)}>
              {WINDOWS.map(([v, label]) => (
                <option value={v} key={v}>
                  {v ? `within ${label} of each send` : label}
                </option>
              ))}
            </select>
          </label>
        )}
        <span class="seg" role="group" aria-label="People or raw">
          <button type="button" class={view === 'people' ? 'on' : ''} aria-pressed={view === 'people'} onClick={() => setView('people')}>
            People
          </button>
          <button type="button" class={view === 'raw' ? 'on' : ''} aria-pressed={view === 'raw'} onClick={() => setView('raw')}>
            Raw (unfiltered)
          </button>
        </span>
        <a href={campaignPath(id, 'events.jsonl')} download>
          Raw events (JSON Lines)
        </a>
        <button type="button" class="link" onClick={() => navigate('/calculator')}>
          Calculator
        </button>
      </div>
      {error && <p class="error">{error}</p>}
      {!data && !error && <p class="muted">Loading…</p>}
      {data?.kind === 'email' && (
        <>
          <EmailMetrics report={data.totals} view={view} diagnosis={data.diagnosis} />
          <div class="row">
            <Funnel report={data.totals} />
            <section class="card" data-testid="diagnosis">
              <h2>Diagnosis</h2>
              <ul class="findings">
                {data.diagnosis.findings.map((f) => (
                  <li class={f.tone} key={f.code}>
                    {f.text}
                  </li>
                ))}
              </ul>
            </section>
          </div>
          {view === 'raw' && <Removed report={data.totals} reasons={data.diagnosis.reasons} />}
          <VerdictCheckCard check={data.verdictCheck} />
        </>
      )}
      {data?.kind === 'ads' && (
        <>
          <AdMetrics report={data.totals} view={view} diagnosis={data.diagnosis} />
          <section class="card" data-testid="diagnosis">
            <h2>Diagnosis</h2>
            <ul class="findings">
              {data.diagnosis.findings.map((f) => (
                <li class={f.tone} key={f.code}>
                  {f.text}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
      <section class="card">
        <div class="tablehead">
          <h2>Over time</h2>
          <span class="seg" role="group" aria-label="Interval">
            <button type="button" class={interval === 'hour' ? 'on' : ''} onClick={() => setIntervalParam('hour')}>
              By hour
            </button>
            <button type="button" class={interval === 'day' ? 'on' : ''} onClick={() => setIntervalParam('day')}>
              By day
            </button>
          </span>
        </div>
        {series && series.kind === 'email' && (
          <div class="row">
            <div class="card">
              <TimeChart title="Opens" t={t} people={series.points.map((p) => p.human_opens)} machines={series.points.map((p) => p.machine_opens)} />
            </div>
            <div class="card">
              <TimeChart title="Clicks" t={t} people={series.points.map((p) => p.human_clicks)} machines={series.points.map((p) => p.machine_clicks)} />
            </div>
          </div>
        )}
        {series && series.kind === 'ads' && (
          <div class="row">
            <div class="card">
              <TimeChart title="Impressions" t={t} people={series.points.map((p) => p.impressions)} peopleLabel="impressions" />
            </div>
            <div class="card">
              <TimeChart title="Clicks" t={t} people={series.points.map((p) => p.human_clicks)} machines={series.points.map((p) => p.machine_clicks)} />
            </div>
          </div>
        )}
      </section>
      {data?.kind === 'email' && (
        <>
          <AbTests report={data.variants} />
          <StepsTable report={data.steps} />
          <LinksAndMap id={id} win={win} links={data.links} templates={data.templates} />
        </>
      )}
      {data?.kind === 'ads' && <AdsTable report={data.ads} />}
    </>
  );
}

const pctOf = (s: Share) => (s.share === null ? '—' : `${(100 * s.share).toFixed(1)}% of ${s.n}`);

/** Shares that should hold steady; a drift says the rules no longer fit this sender's traffic. */
function VerdictCheckCard(props: { check: VerdictCheck }) {
  const c = props.check;
  return (
    <section class="card" data-testid="verdict-check">
      <h2>Verdict check</h2>
      <ul class="findings">
        <li>
          Honeypot requests judged machine: {pctOf(c.honeypot)} (by the other signals alone: {pctOf(c.honeypot.by_other_signals)})
        </li>
        <li>Clicks that led to a conversion or reply, judged human: {pctOf(c.converting_clicks_human)}</li>
        {Object.entries(c.opens_machine_by_provider)
          .filter(([, s]) => s.n > 0)
          .map(([k, s]) => (
            <li key={k}>
              Opens via {k} judged machine: {pctOf(s)}
            </li>
          ))}
      </ul>
    </section>
  );
}
