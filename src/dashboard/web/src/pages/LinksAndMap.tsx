// A campaign's links with their click share (people or raw), and the click map: the message in a sandboxed
// frame where only clickrate's own script runs (it places the badges and reports the frame's height).
import { useEffect, useRef, useState } from 'preact/hooks';
import { campaignPath, type LinkGroup, type LinkReport, type TemplateInfo } from '../api';
import { Table, type Column } from '../components/Table';
import { num, pct } from '../format';
import { ciCsv, csvLead, viewNote } from '../report-columns';

const share = (s: number | null) => (
  <span>
    <span class="share" style={{ width: `${Math.round(60 * (s ?? 0))}px` }} />
    {pct(s === null ? null : 100 * s)}
  </span>
);

/** Raw click share: the link's raw unique clicks over the links' raw unique clicks summed (as the report's is for people). */
function rawShares(groups: LinkGroup[]): Map<LinkGroup, number | null> {
  const sum = groups.reduce((a, g) => a + g.raw.unique_clicks, 0);
  return new Map(groups.map((g) => [g, sum > 0 ? g.raw.unique_clicks / sum : null]));
}

export function LinksTable(props: { links: LinkReport; raw: boolean }) {
  const r = props.raw;
  const raw = rawShares(props.links.groups);
  const url: Column<LinkGroup> = {
    key: 'url',
    label: 'Link',
    value: (g) => g.key,
    render: (g) => <span title={g.key}>{g.key}</span>,
    csv: [['key', (g) => g.key]],
  };
  const columns: Column<LinkGroup>[] = r
    ? [
        url,
        { key: 'raw_unique_clicks', label: 'Unique clicks (raw)', numeric: true, value: (g) => g.raw.unique_clicks, render: (g) => num(g.raw.unique_clicks) },
        { key: 'raw_total_clicks', label: 'Total clicks (raw)', numeric: true, value: (g) => g.raw.total_clicks, render: (g) => num(g.raw.total_clicks) },
        { key: 'raw_click_share', label: 'Click share (raw)', numeric: true, value: (g) => raw.get(g) ?? null, render: (g) => share(raw.get(g) ?? null) },
        { key: 'raw_ctr', label: 'CTR (raw)', numeric: true, value: (g) => g.raw.ctr, render: (g) => pct(g.raw.ctr) },
        { key: 'scanner_clicks', label: 'Scanner clicks', numeric: true, value: (g) => g.scanner_clicks, render: (g) => num(g.scanner_clicks) },
      ]
    : [
        url,
        { key: 'unique_clicks', label: 'Unique clicks', numeric: true, value: (g) => g.unique_clicks, render: (g) => num(g.unique_clicks) },
        { key: 'total_clicks', label: 'Total clicks', numeric: true, value: (g) => g.total_clicks, render: (g) => num(g.total_clicks) },
        // A fraction 0…1 in the CSV, as in `report --csv`; a percentage on screen.
        { key: 'click_share', label: 'Click share', numeric: true, value: (g) => g.click_share, render: (g) => share(g.click_share) },
        { key: 'ctr', label: 'CTR', numeric: true, value: (g) => g.ctr, render: (g) => pct(g.ctr) },
        {
          key: 'ctr_ci',
          label: 'CTR interval',
          value: (g) => (g.ctr_ci ? `${g.ctr_ci[0].toFixed(2)}–${g.ctr_ci[1].toFixed(2)}%` : ''),
          csv: ciCsv('ctr', (g) => g.ctr_ci),
        },
        { key: 'scanner_clicks', label: 'Scanner clicks', numeric: true, value: (g) => g.scanner_clicks, render: (g) => num(g.scanner_clicks) },
      ];
  return (
    <Table
      title="Links"
      note={viewNote(r, 'messages that clicked each link')}
      rows={props.links.groups}
      csvName={r ? 'links-raw.csv' : 'links.csv'}
      csvLead={csvLead(props.links.campaign, props.links.window)}
      testId="links"
      initialSort={r ? 'raw_unique_clicks' : 'unique_clicks'}
      columns={columns}
    />
  );
}

const templateLabel = (t: TemplateInfo): string =>
  [t.step !== null ? `step ${t.step}` : '', t.variant !== null ? `variant ${t.variant}` : ''].filter(Boolean).join(', ') || 'the message';

/** Frames never grow past this, whatever a message says its height is. */
const MAX_FRAME_PX = 6000;

export function ClickMap(props: { id: string; win: string; templates: TemplateInfo[] }) {
  // An outreach sequence often opens with a step that has no link: start on the first that has some.
  const first = Math.max(
    0,
    props.templates.findIndex((t) => t.links > 0),
  );
  const [pick, setPick] = useState(first);
  const [height, setHeight] = useState<number | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const tpl = props.templates[Math.min(pick, props.templates.length - 1)];
  useEffect(() => {
    // TRICKY: only the frame's own messages count (the sandbox gives it an opaque origin, so its source
    // window is what identifies it), and only a bounded height is taken from them.
    const onMessage = (e: MessageEvent) => {
      const h = (e.data as { clickrateFrameHeight?: unknown } | null)?.clickrateFrameHeight;
      if (e.source !== frame.current?.contentWindow || typeof h !== 'number' || !Number.isFinite(h)) return;
      setHeight(Math.min(MAX_FRAME_PX, Math.max(80, Math.ceil(h) + 2)));
    };
    addEventListener('message', onMessage);
    return () => removeEventListener('message', onMessage);
  }, []);
  useEffect(() => setHeight(null), [pick, props.win]);
  return (
    <section class="card" data-testid="clickmap">
      <div class="tablehead">
        <h2>Click map</h2>
        {props.templates.length > 1 && (
          <select aria-label="Template" value={String(pick)} onChange={(e) => setPick(Number((e.target as HTMLSelectElement).value))}>
            {props.templates.map((t, i) => (
              <option value={String(i)} key={i}>
                {templateLabel(t)}
                {t.links === 0 ? ' (no links)' : ''}
              </option>
            ))}
          </select>
        )}
      </div>
      {tpl ? (
        <>
          <p class="muted">
            {templateLabel(tpl)[0]!.toUpperCase() + templateLabel(tpl).slice(1)} as sent, each link marked with its share of the people's unique clicks on this
            message's links. Shown in a sandbox: none of the message's scripts run, and no image or link loads from outside.
          </p>
          <iframe
            ref={frame}
            class="clickmap"
            style={height === null ? undefined : { height: `${height}px` }}
            data-sized={height === null ? 'no' : 'yes'}
            title={`Click map of ${props.id}, ${templateLabel(tpl)}`}
            sandbox="allow-scripts"
            referrerpolicy="no-referrer"
            src={campaignPath(props.id, 'click-map', { step: tpl.step === null ? null : String(tpl.step), variant: tpl.variant, window: props.win })}
          />
        </>
      ) : (
        <p class="muted">
          No template stored for this campaign. Templates are kept when messages are wrapped through <code>POST /api/v1/wrap</code>, or sent through the
          Nodemailer plugin with <code>apiUrl</code> and <code>apiKey</code> (docs/click-map.md).
        </p>
      )}
    </section>
  );
}
