/** A timeline as inline SVG: events on a date axis, legacy use and SSO use in two colour-blind-safe colours. */
import { esc } from './svg-charts.js';

/** One dated event: legacy (IAM password or key) or SSO. */
export type TimelineEvent = { at: string; label: string; kind: 'legacy' | 'sso' };

const COLORS = { legacy: '#D55E00', sso: '#009E73' } as const;

/** Draws the events in date order on one axis, labelled by date, with a legend. */
export function timelineChart(title: string, events: TimelineEvent[], width = 760): string {
  const dated = events.filter((e) => !Number.isNaN(Date.parse(e.at))).sort((a, b) => (a.at < b.at ? -1 : 1));
  if (dated.length === 0) return `<p>No dated events for ${esc(title.toLowerCase())}.</p>`;
  const t0 = Date.parse(dated[0].at);
  const t1 = Math.max(t0 + 86_400_000, Date.parse(dated.at(-1)!.at));
  const left = 20;
  const right = width - 20;
  const x = (iso: string) => left + ((right - left) * (Date.parse(iso) - t0)) / (t1 - t0);
  const rowH = 18;
  const axisY = 40;
  const marks = dated
    .map((e, i) => {
      const cx = x(e.at).toFixed(1);
      const y = axisY + 16 + i * rowH;
      return `<line x1="${cx}" y1="${axisY}" x2="${cx}" y2="${y - 4}" stroke="${COLORS[e.kind]}" stroke-dasharray="2,2"/>
<circle cx="${cx}" cy="${axisY}" r="5" fill="${COLORS[e.kind]}"><title>${esc(e.at)}: ${esc(e.label)}</title></circle>
<text x="${Math.min(Number(cx), right - 260).toFixed(1)}" y="${y + 4}">${esc(e.at.slice(0, 10))} ${esc(e.label)}</text>`;
    })
    .join('\n');
  const h = axisY + 24 + dated.length * rowH;
  const legend = `<circle cx="26" cy="12" r="5" fill="${COLORS.legacy}"/><text x="36" y="16">IAM user (password, keys)</text>
<circle cx="226" cy="12" r="5" fill="${COLORS.sso}"/><text x="236" y="16">IAM Identity Center</text>`;
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">${legend}
<line x1="${left}" y1="${axisY}" x2="${right}" y2="${axisY}" stroke="#4a5568"/>${marks}</svg></figure>`;
}
