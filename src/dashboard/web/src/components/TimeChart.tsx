// Opens or clicks over time as stacked bars, people below and machines above (uPlot, bundled). uPlot has
// no stacking, so the machine bar is drawn as people + machines behind the people bar.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartWidth, type Buckets } from '../time-buckets';

export function TimeChart(props: { title: string; buckets: Buckets; people: number[]; machines?: number[]; peopleLabel?: string; machineLabel?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const { t, stepMs, from, to } = props.buckets;
  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const machines = props.machines;
    const stacked = props.people.map((p, i) => p + (machines?.[i] ?? 0));
    const bars = uPlot.paths.bars!({ size: [0.85, 40] });
    const plot = new uPlot(
      {
        // Wider than the card when every bucket would be thinner than a few pixels: the card scrolls.
        width: chartWidth(t.length, Math.max(320, (host.parentElement ?? host).clientWidth)),
        height: 220,
        title: props.title,
        legend: { show: true },
        scales: {
          // TRICKY: uPlot pads a lone or narrow time range out by years; the axis is the data's span,
          // half a bucket either side of the first and last bars.
          x: { time: true, range: () => [from / 1000, to / 1000] },
          // Bars start at zero: a scale fitted to 4,266–4,267 would draw noise as a cliff.
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
        },
        series: [
          {},
          {
            label: props.machineLabel ?? 'machines',
            stroke: '#94a3b8',
            fill: '#cbd5e1',
            paths: bars,
            points: { show: false },
            show: machines !== undefined,
            value: (_u, _v, _s, i) => (i === null ? '' : String(machines?.[i] ?? '')),
          },
          { label: props.peopleLabel ?? 'people', stroke: '#1d4ed8', fill: '#1d4ed8', paths: bars, points: { show: false } },
        ],
        axes: [{}, { size: 56 }],
        hooks: {
          // What the axis really spans, for the browser test and a reader's tools (not what was asked for).
          setScale: [
            (u, scale) => {
              if (scale !== 'x') return;
              host.dataset.from = String((u.scales.x?.min ?? 0) * 1000);
              host.dataset.to = String((u.scales.x?.max ?? 0) * 1000);
            },
          ],
        },
      },
      [t.map((x) => x / 1000), stacked, props.people],
      host,
    );
    return () => plot.destroy();
  }, [t, stepMs, from, to, props.people, props.machines, props.title]);
  return <div class="chart" ref={el} data-buckets={t.length} />;
}
