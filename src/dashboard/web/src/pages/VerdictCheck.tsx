// The classifier checking itself on this campaign's traffic (docs/metrics.md, "Verdict check"): shares
// that should hold steady; a drift says the rules no longer fit this sender's traffic.

interface Share {
  n: number;
  share: number | null;
}

/** `verdict_check` of GET /api/v1/campaigns/<id>/page (email campaigns). */
export interface VerdictCheck {
  honeypot: Share & { by_other_signals: Share };
  converting_clicks_human: Share;
  opens_machine_by_provider: Record<string, Share>;
}

const pctOf = (s: Share) => (s.share === null ? '—' : `${(100 * s.share).toFixed(1)}% of ${s.n}`);

export function VerdictCheckPanel(props: { check: VerdictCheck }) {
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
