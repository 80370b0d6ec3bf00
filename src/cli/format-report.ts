// The human-readable report: headline figures for people beside raw ones, what was set aside as
// machines, and the breakdown table. JSON and CSV carry the same figures at full precision. Stored text
// (campaign, group keys, links, reason codes) is escaped for the terminal here or by table().
import type { AdReport, EmailGroup, EmailReport, LinkGroup, Report } from '../metrics/report-types.js';
import { fmtCi, fmtDuration, fmtInt, fmtMoney, fmtPct, table, type Cell } from './format-table.js';
import { safeText } from './safe-text.js';

/** Above this share of privacy-hidden messages, CTOR loses meaning (Apple MPP share). */
const PRIVACY_HIDDEN_WARN = 20;

export function formatReport(r: Report): string {
  return r.kind === 'ads' ? formatAds(r) : formatEmail(r);
}

function formatEmail(r: EmailReport): string {
  const t = r.totals;
  const lines: string[] = [];
  lines.push(`Campaign ${safeText(r.campaign)} (email)   window: ${r.window ?? 'all time'}${r.by ? `   by ${r.by}` : ''}`);
  lines.push('');
  lines.push(
    table(
      ['', 'people', 'raw', '95% CI (people)'],
      [
        ['Sent', fmtInt(t.sent), '', ''],
        ['Delivered', fmtInt(t.delivered), '', `bounced ${fmtInt(t.bounced)} (${fmtPct(t.bounce_rate, 1)})`],
        ['Unique opens', fmtInt(t.unique_opens), fmtInt(t.raw.unique_opens), t.implied_opens ? `incl. ${fmtInt(t.implied_opens)} implied by a click` : ''],
        ['Unique clicks', fmtInt(t.unique_clicks), fmtInt(t.raw.unique_clicks), ''],
        ['Total clicks', fmtInt(t.total_clicks), fmtInt(t.raw.total_clicks), ''],
        ['CTR', fmtPct(t.ctr), fmtPct(t.raw.ctr), fmtCi(t.ctr_ci)],
        ['CTOR', fmtPct(t.ctor), fmtPct(t.raw.ctor), fmtCi(t.ctor_ci)],
        ['Open rate', fmtPct(t.open_rate), fmtPct(t.raw.open_rate), fmtCi(t.open_rate_ci)],
        ['Reply rate', fmtPct(t.reply_rate), '', fmtCi(t.reply_rate_ci)],
        ['Time to first reply', fmtDuration(t.median_time_to_reply_s), '', "median, people's replies"],
        ['Auto-replies, opt-outs', `${fmtInt(t.auto_replies)}, ${fmtInt(t.opt_out_replies)}`, '', 'set aside from replies'],
        ['Unsubscribes', fmtInt(t.unsubscribes), '', fmtPct(t.unsubscribe_rate)],
        ['Complaints', fmtInt(t.complaints), '', fmtPct(t.complaint_rate, 3)],
        ...(t.conversions > 0 ? [['Conversions', fmtInt(t.conversions), '', `revenue ${fmtMoney(t.revenue)}`] as Cell[]] : []),
      ],
    ),
  );
  lines.push('');
  lines.push(
    `Set aside as machines: ${fmtInt(t.machine_opens)} opens${byReason(t.machine_reasons.opens)}, ${fmtInt(t.scanner_clicks)} clicks${byReason(t.machine_reasons.clicks)}.`,
  );
  if (t.privacy_hidden > 0) {
    const note = (t.privacy_hidden_rate ?? 0) >= PRIVACY_HIDDEN_WARN ? ' CTOR is less reliable here: read CTR (clicks per delivered) instead.' : '';
    lines.push(
      `Privacy-hidden: ${fmtInt(t.privacy_hidden)} delivered messages (${fmtPct(t.privacy_hidden_rate, 1)}) had only machine opens, so their real opens cannot be seen.${note}`,
    );
  }
  if (t.orphans > 0) lines.push(`Orphans: ${fmtInt(t.orphans)} events name a message that was never sent; they are in no rate.`);
  if (r.groups.length > 0) {
    lines.push('');
    lines.push(r.by === 'link' ? linkTable(r.groups as LinkGroup[]) : groupTable(r, r.groups as EmailGroup[]));
  }
  return lines.join('\n');
}

/** The top reasons, e.g. " (apple-mpp-proxy 2,310; security-vendor-ip:Microsoft 410)". */
function byReason(reasons: Record<string, number>): string {
  const top = Object.entries(reasons).slice(0, 4);
  return top.length === 0 ? '' : ` (${top.map(([k, n]) => `${safeText(k)} ${fmtInt(n)}`).join('; ')})`;
}

function groupTable(r: EmailReport, groups: EmailGroup[]): string {
  const ab = r.by === 'variant';
  const header = [r.by ?? 'group', 'delivered', 'opens', 'clicks', 'CTR', 'CTOR', 'replies', 'reply rate', 'reply time', 'raw CTR'];
  if (ab) header.push('CTR lift', 'p', 'verdict');
  const rows = groups.map((g) => {
    const row: Cell[] = [
      g.key === null ? '(none)' : String(g.key),
      fmtInt(g.delivered),
      fmtInt(g.unique_opens),
      fmtInt(g.unique_clicks),
      fmtPct(g.ctr),
      fmtPct(g.ctor),
      fmtInt(g.replies),
      fmtPct(g.reply_rate),
      fmtDuration(g.median_time_to_reply_s),
      fmtPct(g.raw.ctr),
    ];
    if (ab) {
      const c = g.comparison;
      if (!c) row.push(g.key === r.control ? 'control' : '', '', '');
      else
        row.push(
          c.ctr.lift === null ? 'n/a' : `${c.ctr.lift >= 0 ? '+' : ''}${c.ctr.lift.toFixed(1)}%`,
          c.ctr.p_value === null ? '' : c.ctr.p_value.toFixed(4),
          verdict(c.ctr),
        );
    }
    return row;
  });
  return table(header, rows);
}

function verdict(v: { significant: boolean; lift: number | null; reason?: string }): string {
  if (v.reason) return v.reason;
  if (!v.significant) return 'no difference yet';
  return (v.lift ?? 0) > 0 ? 'better (p<0.05)' : 'worse (p<0.05)';
}

function linkTable(groups: LinkGroup[]): string {
  return table(
    ['link', 'unique clicks', 'total clicks', 'scanner clicks', 'CTR', 'share'],
    groups.map((g) => [
      g.key,
      fmtInt(g.unique_clicks),
      fmtInt(g.total_clicks),
      fmtInt(g.scanner_clicks),
      fmtPct(g.ctr),
      g.click_share === null ? 'n/a' : fmtPct(g.click_share * 100, 1),
    ]),
  );
}

function formatAds(r: AdReport): string {
  const t = r.totals;
  const lines = [`Campaign ${safeText(r.campaign)} (ads)${r.by ? `   by ${r.by}` : ''}`, ''];
  lines.push(
    table(
      ['', 'people', 'raw', '95% CI (people)'],
      [
        ['Impressions', fmtInt(t.impressions), '', ''],
        ['Clicks', fmtInt(t.clicks), fmtInt(t.raw.clicks), ''],
        ['CTR', fmtPct(t.ctr), fmtPct(t.raw.ctr), fmtCi(t.ctr_ci)],
        ...(t.conversions > 0 ? [['Conversions', fmtInt(t.conversions), '', `revenue ${fmtMoney(t.revenue)}`] as Cell[]] : []),
      ],
    ),
  );
  lines.push('', `Set aside as machines: ${fmtInt(t.machine_clicks)} clicks${byReason(t.machine_reasons.clicks)}.`);
  if (r.groups.length > 0) {
    lines.push('');
    lines.push(
      table(
        [r.by ?? 'group', 'impressions', 'clicks', 'CTR', '95% CI', 'machine clicks', 'raw CTR'],
        r.groups.map((g) => [
          g.key === null ? '(none)' : String(g.key),
          fmtInt(g.impressions),
          fmtInt(g.clicks),
          fmtPct(g.ctr),
          fmtCi(g.ctr_ci),
          fmtInt(g.machine_clicks),
          fmtPct(g.raw.ctr),
        ]),
      ),
    );
  }
  return lines.join('\n');
}
