// The count-over-time chart: uPlot, loaded on first use (the list does not need its 40 KB).
import { html, useEffect, useRef } from '../lib.js';

const UPLOT = '../node_modules/uplot/dist/uPlot.esm.js?v=1.6.32';

// The buckets are days (hours, …) of `timeZone`, the zone the server counted in; uPlot's tzDate
// labels the axis in that zone too, not in the browser's.
export function CountChart({ series, interval, timeZone }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    let cancelled = false;
    import(UPLOT).then(({ default: uPlot }) => {
      if (cancelled || !box.current) return;
      const xs = series.map((b) => Date.parse(b.date) / 1000);
      const ys = series.map((b) => b.count);
      const width = Math.max(300, box.current.clientWidth || 800);
      if (plot.current) plot.current.destroy();
      plot.current = new uPlot({
        width, height: 240,
        series: [{}, { label: 'count', stroke: '#1d4aff', fill: 'rgba(29,74,255,0.1)', width: 2,
          points: { show: series.length <= 60 } }],
        axes: [{}, { size: 50 }],
        scales: { x: { time: true } },
        tzDate: (ts) => (timeZone ? uPlot.tzDate(new Date(ts * 1e3), timeZone) : new Date(ts * 1e3)),
        legend: { show: true },
      }, [xs, ys], box.current);
    });
    return () => { cancelled = true; };
  }, [JSON.stringify(series), interval, timeZone]);
  useEffect(() => () => plot.current && plot.current.destroy(), []);
  return html`<div class="chart" ref=${box} data-points=${series.length}
    data-total=${series.reduce((n, b) => n + b.count, 0)}></div>`;
}
