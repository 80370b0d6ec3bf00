// `/campaigns/<id>`: one campaign. The reporting window is a URL parameter that every request carries,
// so changing it changes every figure at once; all data comes from aggregate endpoints, never raw events.
// The page is a column of panels, one component each (CampaignPanels.tsx, Breakdowns.tsx, LinksAndMap.tsx):
// a new panel is one more line in the list below.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, campaignPath, getJson, type AdReport, type Diagnosis, type EmailReport, type LinkReport, type TemplateInfo } from '../api';
import { NotFound } from '../components/NotFound';
import { navigate } from '../nav';
import { AbTests, AdsTable, StepsTable } from './Breakdowns';
import { DiagnosisPanel, KindSetting, OverTime } from './CampaignPanels';
import { VerdictCheckPanel, type VerdictCheck } from './VerdictCheck';
import { AdMetrics, EmailMetrics, Funnel, Removed } from './EmailSections';
import { ClickMap, LinksTable } from './LinksAndMap';

const WINDOWS = [
  ['', 'all time'],
  ['1h', '1 hour'],
  ['24h', '24 hours'],
  ['48h', '48 hours'],
  ['7d', '7 days'],
  ['14d', '14 days'],
  ['30d', '30 days'],
] as const;

/** GET /api/v1/campaigns/<id>/page: a campaign page's reports, computed together. */
export type CampaignData =
  | {
      kind: 'email';
      currency: string;
      report: EmailReport;
      steps: EmailReport;
      variants: EmailReport;
      links: LinkReport;
      diagnosis: Diagnosis;
      templates: TemplateInfo[];
      verdict_check: VerdictCheck;
    }
  | { kind: 'ads'; currency: string; report: AdReport; ads: AdReport; diagnosis: Diagnosis };

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
  const [data, setData] = useState<CampaignData | null>(null);
  const [error, setError] = useState('');
  const [missing, setMissing] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    setError('');
    // One request for everything but the chart: the server computes the breakdowns in one pass.
    getJson<CampaignData>(campaignPath(id, 'page', { window: win })).then(
      (page) => live && setData(page),
      (e: Error) => {
        if (!live) return;
        if (e instanceof ApiError && e.code === 'CR_ERR_NOT_FOUND') setMissing(true);
        else setError(e.message);
      },
    );
    return () => {
      live = false;
    };
  }, [id, win, reload]);

  if (missing) return <NotFound title="Campaign not found" text={`No campaign named “${id}” has any events in this store.`} />;
  const raw = view === 'raw';
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
        <fieldset class="seg" aria-label="People or raw">
          <button type="button" class={!raw ? 'on' : ''} aria-pressed={!raw} onClick={() => setView('people')}>
            People
          </button>
          <button type="button" class={raw ? 'on' : ''} aria-pressed={raw} onClick={() => setView('raw')}>
            Raw (unfiltered)
          </button>
        </fieldset>
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
          <KindSetting id={id} choice={data.diagnosis.email_kind} onChange={() => setReload(reload + 1)} />
          <EmailMetrics report={data.report} view={view} diagnosis={data.diagnosis} currency={data.currency} />
          <div class="row">
            <Funnel report={data.report} />
            <DiagnosisPanel diagnosis={data.diagnosis} />
          </div>
          {raw && <Removed report={data.report} reasons={data.diagnosis.reasons} />}
          <VerdictCheckPanel check={data.verdict_check} />
        </>
      )}
      {data?.kind === 'ads' && (
        <>
          <AdMetrics report={data.report} view={view} diagnosis={data.diagnosis} currency={data.currency} />
          <DiagnosisPanel diagnosis={data.diagnosis} />
        </>
      )}
      <OverTime id={id} win={win} interval={interval === 'hour' ? 'hour' : 'day'} setInterval={setIntervalParam} />
      {data?.kind === 'email' && (
        <>
          <AbTests report={data.variants} raw={raw} currency={data.currency} />
          <StepsTable report={data.steps} raw={raw} />
          <LinksTable links={data.links} raw={raw} />
          <ClickMap id={id} win={win} templates={data.templates} />
        </>
      )}
      {data?.kind === 'ads' && <AdsTable report={data.ads} raw={raw} currency={data.currency} />}
    </>
  );
}
