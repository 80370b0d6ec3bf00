// A day-by-day trend drawn as a small SVG line (no chart library: a list can hold hundreds of them).
export function Sparkline(props: { values: Array<number | null>; label: string; width?: number; height?: number }) {
  const w = props.width ?? 84;
  const h = props.height ?? 22;
  const pts = props.values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  if (pts.length < 2) return <svg class="spark" width={w} height={h} role="img" aria-label={`${props.label}: not enough days for a trend`} />;
  const max = Math.max(...pts.map((p) => p[1]));
  // From zero, not from the smallest value: a line scaled to its own range makes 4,266 vs 4,267 look like a crash.
  const min = Math.min(0, ...pts.map((p) => p[1]));
  const n = props.values.length - 1 || 1;
  const y = (v: number) => (max === min ? h / 2 : h - 2 - ((v - min) / (max - min)) * (h - 4));
  const d = pts.map(([i, v]) => `${((i / n) * (w - 2) + 1).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg class="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${props.label} by day`}>
      <polyline points={d} fill="none" stroke="#c2410c" stroke-width="1.5" />
    </svg>
  );
}
