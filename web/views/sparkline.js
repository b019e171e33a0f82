// A 7-day sparkline as an inline SVG polyline: one per row of the actions list, too many for a
// chart library each.
import { html } from '../lib.js';

export function Sparkline({ series }) {
  if (!series || !series.length) return html`<svg class="spark" width="84" height="20"></svg>`;
  const max = Math.max(1, ...series.map((b) => b.count));
  const step = series.length > 1 ? 80 / (series.length - 1) : 0;
  const points = series
    .map((b, i) => `${(2 + i * step).toFixed(1)},${(18 - (b.count / max) * 16).toFixed(1)}`)
    .join(' ');
  const total = series.reduce((n, b) => n + b.count, 0);
  return html`<svg class="spark" width="84" height="20" role="img"
      aria-label=${`last 7 days: ${total} events`}>
    <title>${series.map((b) => `${b.date.slice(0, 10)}: ${b.count}`).join('\n')}</title>
    <polyline points=${points} fill="none" stroke="currentColor" stroke-width="1.5" /></svg>`;
}
