import { escapeHtml } from './escape';
import { linearScale, niceTicks, tickLabel } from './svg-scale';

/*
 * Horizontal grouped bars: one group per row (a load run), one bar per measure, each labelled with its value.
 * Used for the load runs, where the question is "how do these runs compare", not "what happened when".
 */

export interface Bar {
  name: string;
  value: number;
  color: string;
}

export interface BarRow {
  label: string;
  bars: Bar[];
}

export interface BarChartSpec {
  title: string;
  xLabel: string;
  rows: BarRow[];
  width?: number;
  /** Shown after each bar's value, e.g. "ms". */
  unit?: string;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export function renderBarChart(spec: BarChartSpec): string {
  const width = spec.width ?? 540;
  const barH = 14;
  const gap = 3;
  const groupGap = 14;
  const left = 150;
  const right = width - 70;
  const top = 48;
  const perBar = barH + gap;
  const nBars = Math.max(1, ...spec.rows.map((r) => r.bars.length));
  const groupH = nBars * perBar + groupGap;
  const bottom = top + Math.max(1, spec.rows.length) * groupH;
  const height = bottom + 44;
  const max = Math.max(1, ...spec.rows.flatMap((r) => r.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const ticks = niceTicks(0, max, 4);
  const x = linearScale([0, ticks[ticks.length - 1]], [left, right], ticks);
  const o: string[] = [];
  o.push(`<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(spec.title)}" ${FONT}>`);
  o.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  o.push(`<text x="12" y="20" font-size="15" font-weight="600" fill="#111">${escapeHtml(spec.title)}</text>`);
  const names = [...new Map(spec.rows.flatMap((r) => r.bars.map((b) => [b.name, b.color] as const))).entries()];
  let lx = left;
  for (const [name, color] of names) {
    o.push(`<rect x="${lx}" y="30" width="12" height="10" fill="${color}"/><text x="${lx + 16}" y="39" font-size="12" fill="#333">${escapeHtml(name)}</text>`);
    lx += 36 + name.length * 7;
  }
  for (const t of ticks) {
    const X = x(t).toFixed(1);
    o.push(`<line x1="${X}" y1="${top}" x2="${X}" y2="${bottom}" stroke="#e6e6e6"/>`);
    o.push(`<text x="${X}" y="${bottom + 16}" font-size="12" fill="#444" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  spec.rows.forEach((row, r) => {
    const gy = top + r * groupH + groupGap / 2;
    o.push(`<text x="${left - 8}" y="${(gy + (row.bars.length * perBar) / 2 + 4).toFixed(1)}" font-size="12" fill="#222" text-anchor="end">${escapeHtml(row.label)}</text>`);
    row.bars.forEach((b, i) => {
      const v = Number.isFinite(b.value) ? b.value : 0;
      const y = gy + i * perBar;
      const w = Math.max(1, x(v) - left);
      o.push(`<rect class="bar" x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${b.color}"><title>${escapeHtml(`${row.label}: ${b.name} ${b.value}`)}</title></rect>`);
      const label = `${tickLabel(Number(v.toFixed(v < 10 ? 2 : 0)))}${spec.unit ? ` ${spec.unit}` : ''}`;
      o.push(`<text x="${(left + w + 4).toFixed(1)}" y="${y + barH - 3}" font-size="11.5" fill="#222">${escapeHtml(label)}</text>`);
    });
  });
  o.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>`);
  o.push(`<text x="${((left + right) / 2).toFixed(1)}" y="${height - 8}" font-size="13" fill="#222" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`);
  o.push('</svg>');
  return o.join('\n');
}
