// `/`: every campaign with its headline figures and a daily trend beside each, searchable and sortable.
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api';
import { Sparkline } from '../components/Sparkline';
import { Table, type Column } from '../components/Table';
import { num, pct } from '../format';

interface TrendPoint {
  t: number;
  sent?: number;
  delivered?: number;
  impressions?: number;
  clicks?: number;
  ctr: number | null;
  ctor?: number | null;
  reply_rate?: number | null;
}
interface Row {
  campaign: string;
  kind: 'email' | 'ads';
  first_ts: string;
  last_ts: string;
  sent?: number;
  delivered?: number;
  impressions?: number;
  clicks?: number;
  unique_clicks?: number;
  ctr: number | null;
  ctor?: number | null;
  reply_rate?: number | null;
  trend: TrendPoint[];
}

const withSpark = (text: string, values: Array<number | null | undefined>, label: string) => (
  <span>
    {text}
    <Sparkline values={values.map((v) => v ?? null)} label={label} />
  </span>
);

const columns: Column<Row>[] = [
  {
    key: 'campaign',
    label: 'Campaign',
    value: (r) => r.campaign,
    render: (r) => (
      <a href={`/campaigns/${encodeURIComponent(r.campaign)}`} data-nav>
        {r.campaign}
      </a>
    ),
  },
  { key: 'kind', label: 'Kind', value: (r) => r.kind },
  {
    key: 'sent',
    label: 'Sent / impressions',
    numeric: true,
    csv: [
      ['sent', (r) => r.sent ?? null],
      ['impressions', (r) => r.impressions ?? null],
    ],
    value: (r) => (r.kind === 'email' ? r.sent : r.impressions) ?? null,
    render: (r) =>
      withSpark(
        num(r.kind === 'email' ? r.sent : r.impressions),
        r.trend.map((p) => (r.kind === 'email' ? p.sent : p.impressions)),
        'volume',
      ),
  },
  {
    key: 'delivered',
    label: 'Delivered / clicks',
    numeric: true,
    csv: [
      ['delivered', (r) => r.delivered ?? null],
      ['clicks', (r) => (r.kind === 'ads' ? (r.clicks ?? null) : (r.unique_clicks ?? null))],
    ],
    value: (r) => (r.kind === 'email' ? r.delivered : r.clicks) ?? null,
    render: (r) =>
      withSpark(
        num(r.kind === 'email' ? r.delivered : r.clicks),
        r.trend.map((p) => (r.kind === 'email' ? p.delivered : p.clicks)),
        'delivered',
      ),
  },
  {
    key: 'ctr',
    label: 'CTR',
    numeric: true,
    value: (r) => r.ctr,
    render: (r) =>
      withSpark(
        pct(r.ctr),
        r.trend.map((p) => p.ctr),
        'CTR',
      ),
  },
  {
    key: 'ctor',
    label: 'CTOR',
    numeric: true,
    value: (r) => r.ctor ?? null,
    render: (r) =>
      r.kind === 'email'
        ? withSpark(
            pct(r.ctor),
            r.trend.map((p) => p.ctor),
            'CTOR',
          )
        : '—',
  },
  {
    key: 'reply_rate',
    label: 'Reply rate',
    numeric: true,
    value: (r) => r.reply_rate ?? null,
    render: (r) =>
      r.kind === 'email'
        ? withSpark(
            pct(r.reply_rate),
            r.trend.map((p) => p.reply_rate),
            'reply rate',
          )
        : '—',
  },
  // The last event of any kind (a late click, a reply), not the last send; UTC, as the API gives it.
  { key: 'last_ts', label: 'Last event (UTC)', value: (r) => r.last_ts, render: (r) => r.last_ts.slice(0, 16).replace('T', ' ') },
];

export function CampaignList() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    getJson<{ campaigns: Row[] }>('/api/v1/dashboard/overview').then(
      (r) => setRows(r.campaigns),
      (e: Error) => setError(e.message),
    );
  }, []);
  const query = search.trim();
  const shown = (rows ?? []).filter((r) => r.campaign.toLowerCase().includes(query.toLowerCase()));
  return (
    <>
      <h1>Campaigns</h1>
      <p class="muted">Opens and clicks by machines (privacy proxies, security scanners, crawlers) are set aside. Trends are by send day.</p>
      {error && <p class="error">{error}</p>}
      {rows === null && !error && <p class="muted">Loading…</p>}
      {rows && (
        <Table
          title={`${shown.length} of ${rows.length} campaigns`}
          rows={shown}
          columns={columns}
          csvName="campaigns.csv"
          testId="campaigns"
          note="People only: machine opens and clicks are set aside."
          empty={query ? `No campaign matches “${query}”.` : 'No campaigns yet: import events or run clickrate demo.'}
          extra={
            <input
              type="search"
              placeholder="Search campaigns"
              aria-label="Search campaigns"
              value={search}
              onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
            />
          }
        />
      )}
    </>
  );
}
