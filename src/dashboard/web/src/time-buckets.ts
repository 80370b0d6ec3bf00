// The time axis of a campaign's charts: every bucket from the first event's to the last's (empty ones as
// zero, so bars keep their place in time), the span the axis draws, and how wide a chart must be for its
// bars to stay readable.

export interface Buckets {
  /** Bucket starts, epoch ms, one per step with no gaps. */
  t: number[];
  stepMs: number;
  /** What the x axis spans, epoch ms: half a bucket either side of the first and last (bars are centred). */
  from: number;
  to: number;
}

const STEP_MS = { hour: 3_600_000, day: 86_400_000 } as const;
/** Below this width a bar cannot be seen or hovered; past it, the chart scrolls sideways. */
export const MIN_BAR_PX = 6;
/** More buckets than this are not filled in (a stray event years away would make millions of bars). */
const MAX_BUCKETS = 5000;

/** The buckets of a series; `index` maps each filled bucket back to the series' point (or -1). */
export function bucketsOf(points: ReadonlyArray<{ t: number }>, interval: 'hour' | 'day'): Buckets & { index: number[] } {
  const stepMs = STEP_MS[interval];
  if (points.length === 0) return { t: [], stepMs, from: 0, to: stepMs, index: [] };
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  const n = Math.floor((last - first) / stepMs) + 1;
  const from = first - stepMs / 2;
  const to = last + stepMs / 2;
  if (n > MAX_BUCKETS) return { t: points.map((p) => p.t), stepMs, from, to, index: points.map((_, i) => i) };
  const at = new Map(points.map((p, i) => [p.t, i]));
  const t: number[] = [];
  const index: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = first + k * stepMs;
    t.push(x);
    index.push(at.get(x) ?? -1);
  }
  return { t, stepMs, from, to, index };
}

/** A series' values on the filled buckets (empty buckets are 0). */
export function valuesOn(index: readonly number[], values: readonly number[]): number[] {
  return index.map((i) => (i < 0 ? 0 : (values[i] ?? 0)));
}

/** The chart's width: the card's, or wider so that each bucket gets MIN_BAR_PX. */
export function chartWidth(buckets: number, available: number): number {
  return Math.max(available, buckets * MIN_BAR_PX + 80);
}
