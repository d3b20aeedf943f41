/** Small inline SVG charts (no scripts, no external assets), so the report opens from disk anywhere. */

/** Escapes text for HTML and SVG. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export type Bar = { label: string; value: number; color: string };

/** Horizontal bars, one per item, with the value at the end. */
export function barChart(title: string, bars: Bar[], width = 520): string {
  const rowH = 26;
  const labelW = 170;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = bars.length * rowH + 10;
  const rows = bars
    .map((b, i) => {
      const w = Math.round(((width - labelW - 60) * b.value) / max);
      const y = i * rowH + 5;
      return `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>
<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" fill="${b.color}"><title>${esc(b.label)}: ${b.value}</title></rect>
<text x="${labelW + w + 6}" y="${y + 16}">${b.value}</text>`;
    })
    .join('\n');
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">${rows}</svg></figure>`;
}

export type StackedRow = { label: string; parts: { key: string; value: number }[] };

/** Horizontal stacked bars (one row per label), with a legend of the keys and their colors. */
export function stackedBarChart(
  title: string,
  rows: StackedRow[],
  colors: Record<string, string>,
  width = 720,
): string {
  const rowH = 24;
  // Wide enough for the longest label (about 7 px a character at 12 px), so account names are never clipped.
  const labelW = Math.max(120, 16 + 7 * Math.max(0, ...rows.map((r) => r.label.length)));
  width += Math.max(0, labelW - 200);
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((n, p) => n + p.value, 0)));
  const legend = Object.entries(colors)
    .map(
      ([k, c], i) =>
        `<rect x="${labelW + i * 130}" y="4" width="12" height="12" fill="${c}"/><text x="${labelW + i * 130 + 16}" y="14">${esc(k)}</text>`,
    )
    .join('');
  const body = rows
    .map((r, i) => {
      const y = 26 + i * rowH;
      let x = labelW;
      const total = r.parts.reduce((n, p) => n + p.value, 0);
      const segs = r.parts
        .filter((p) => p.value > 0)
        .map((p) => {
          const w = ((width - labelW - 50) * p.value) / max;
          const seg = `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${colors[p.key] ?? '#999'}"><title>${esc(r.label)} ${esc(p.key)}: ${p.value}</title></rect>`;
          x += w;
          return seg;
        })
        .join('');
      return `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>${segs}<text x="${(x + 6).toFixed(1)}" y="${y + 15}">${total}</text>`;
    })
    .join('\n');
  const h = 30 + rows.length * rowH;
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">${legend}${body}</svg></figure>`;
}

/** Vertical histogram columns with labels underneath. */
export function columnChart(title: string, bars: Bar[], width = 520): string {
  const h = 200;
  const colW = Math.floor((width - 20) / Math.max(1, bars.length));
  const max = Math.max(1, ...bars.map((b) => b.value));
  const cols = bars
    .map((b, i) => {
      const bh = Math.round(((h - 50) * b.value) / max);
      const x = 10 + i * colW;
      return `<rect x="${x + 6}" y="${h - 30 - bh}" width="${colW - 12}" height="${bh}" fill="${b.color}"><title>${esc(b.label)}: ${b.value}</title></rect>
<text x="${x + colW / 2}" y="${h - 34 - bh}" text-anchor="middle">${b.value}</text>
<text x="${x + colW / 2}" y="${h - 12}" text-anchor="middle">${esc(b.label)}</text>`;
    })
    .join('\n');
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}">${cols}</svg></figure>`;
}
