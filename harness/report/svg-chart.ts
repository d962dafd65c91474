import { escapeHtml } from './escape';
import { linearScale, logScale, niceTicks, tickLabel, type Scale } from './svg-scale';
import type { FaultBand } from './time-series';

/*
 * A small SVG time chart: lines (straight or stepped), stacked step areas, shaded fault bands with labels and vertical
 * event markers, on a linear or logarithmic y axis. Output is a self-contained <svg> string; nothing is loaded from
 * anywhere. Colours and fonts are chosen for a screen and for a printout.
 */

export interface LineSeries {
  name: string;
  color: string;
  xs: number[];
  /** null leaves a gap (no data in that bucket). */
  ys: Array<number | null>;
  /** Hold each value until the next x (counts of things), instead of joining points (rates, latencies). */
  step?: boolean;
  dash?: string;
  width?: number;
}

export interface AreaLayer {
  name: string;
  color: string;
  values: number[];
}

/** Layers stacked bottom-up; value i holds from xs[i] to xs[i+1] (the last one to the x domain's end). */
export interface StackedAreas {
  xs: number[];
  layers: AreaLayer[];
}

export interface Marker {
  x: number;
  label: string;
}

export interface ChartSpec {
  /** Unique within the page: it names the chart's clip path. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  width?: number;
  height?: number;
  yScale?: 'linear' | 'log';
  /** Lowest upper bound of the y axis (so a flat 1-worker line is not drawn at the very top). */
  yMinMax?: number;
  integerTicks?: boolean;
  lines?: LineSeries[];
  stacked?: StackedAreas;
  bands?: FaultBand[];
  /** Phases of the workload (fixed rate, saturation): a tinted strip along the bottom with their names. */
  phases?: FaultBand[];
  markers?: Marker[];
  /** x ticks and their labels, for an axis that is not time (the latency distribution's percentiles). */
  xTicks?: number[];
  xTickLabel?: (v: number) => string;
}

export const MARGIN = { top: 58, right: 24, bottom: 50, left: 68 };
export const BAND_COLOR = '#d62728';
export const PHASE_COLOR = '#6a51a3';
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function plotArea(width: number, height: number): PlotArea {
  return { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
}

const px = (v: number) => Number(v.toFixed(1));

function dataMax(spec: ChartSpec): { min: number; max: number } {
  let min = Infinity;
  let max = 0;
  for (const l of spec.lines ?? []) {
    for (const y of l.ys) {
      if (y === null || !Number.isFinite(y)) continue;
      max = Math.max(max, y);
      if (y > 0) min = Math.min(min, y);
    }
  }
  if (spec.stacked) {
    for (let i = 0; i < spec.stacked.xs.length; i++) {
      const sum = spec.stacked.layers.reduce((s, l) => s + (l.values[i] ?? 0), 0);
      max = Math.max(max, sum);
      if (sum > 0) min = Math.min(min, sum);
    }
  }
  return { min: Number.isFinite(min) ? min : 1, max: Math.max(max, spec.yMinMax ?? 0) };
}

function yScaleFor(spec: ChartSpec, area: PlotArea): Scale {
  const { min, max } = dataMax(spec);
  if (spec.yScale === 'log') return logScale(min, max, [area.bottom, area.top]);
  const ticks = niceTicks(0, max > 0 ? max : 1, 5, spec.integerTicks);
  return linearScale([0, ticks[ticks.length - 1]], [area.bottom, area.top], ticks);
}

/** Path of a line with gaps at nulls; a stepped line holds each value until the next x (the last until xEnd). */
export function linePath(xs: number[], ys: Array<number | null>, x: Scale, y: Scale, step: boolean, xEnd: number): string {
  const parts: string[] = [];
  const has = (i: number) => i < xs.length && ys[i] !== null && ys[i] !== undefined && Number.isFinite(ys[i]);
  let open = false;
  for (let i = 0; i < xs.length; i++) {
    if (!has(i)) {
      open = false;
      continue;
    }
    const X = px(x(xs[i]));
    const Y = px(y(ys[i] as number));
    if (!open) parts.push(`M${X},${Y}`);
    else parts.push(step ? `H${X}V${Y}` : `L${X},${Y}`);
    const segmentEnds = !has(i + 1);
    if (step && segmentEnds) parts.push(`H${px(x(i + 1 < xs.length ? xs[i + 1] : xEnd))}`);
    // A lone point between gaps would draw nothing: a tiny stroke with round caps shows it as a dot.
    if (!step && !open && segmentEnds) parts.push('h0.1');
    open = true;
  }
  return parts.join('');
}

function stackedPaths(st: StackedAreas, x: Scale, y: Scale, xEnd: number): string[] {
  const base = new Array<number>(st.xs.length).fill(0);
  const out: string[] = [];
  for (const layer of st.layers) {
    const top = base.map((b, i) => b + (layer.values[i] ?? 0));
    let d = '';
    for (let i = 0; i < st.xs.length; i++) {
      const x0 = px(x(st.xs[i]));
      const x1 = px(x(i + 1 < st.xs.length ? st.xs[i + 1] : xEnd));
      d += `${i === 0 ? 'M' : 'L'}${x0},${px(y(top[i]))}L${x1},${px(y(top[i]))}`;
    }
    for (let i = st.xs.length - 1; i >= 0; i--) {
      const x0 = px(x(st.xs[i]));
      const x1 = px(x(i + 1 < st.xs.length ? st.xs[i + 1] : xEnd));
      d += `L${x1},${px(y(base[i]))}L${x0},${px(y(base[i]))}`;
    }
    out.push(`<path class="data" d="${d}Z" fill="${layer.color}" fill-opacity="0.85" stroke="none"><title>${escapeHtml(layer.name)}</title></path>`);
    top.forEach((v, i) => (base[i] = v));
  }
  return out;
}

/** Fault bands clipped to the plot area; a fault shorter than a pixel still shows as a 2 px band. */
export function bandRects(bands: FaultBand[], x: Scale, area: PlotArea): Array<{ x: number; width: number; band: FaultBand }> {
  const [d0, d1] = x.domain;
  const rects: Array<{ x: number; width: number; band: FaultBand }> = [];
  for (const band of bands) {
    if (band.to < d0 || band.from > d1) continue;
    let x0 = Math.max(area.left, x(band.from));
    const x1 = Math.min(area.right, x(band.to));
    let w = Math.max(2, x1 - x0);
    if (x0 + w > area.right) x0 = area.right - w;
    w = Math.min(w, area.right - area.left);
    rects.push({ x: px(x0), width: px(w), band });
  }
  return rects;
}

function legend(spec: ChartSpec): string {
  const items: string[] = [];
  let cx = MARGIN.left;
  const y = 38;
  const add = (swatch: string, name: string) => {
    items.push(`<g transform="translate(${px(cx)},${y})">${swatch}<text x="22" y="4" font-size="12" fill="#333">${escapeHtml(name)}</text></g>`);
    cx += 40 + name.length * 7;
  };
  for (const l of [...(spec.stacked?.layers ?? [])].reverse()) add(`<rect x="0" y="-6" width="16" height="10" fill="${l.color}"/>`, l.name);
  for (const l of spec.lines ?? []) {
    add(`<line x1="0" y1="0" x2="16" y2="0" stroke="${l.color}" stroke-width="${l.width ?? 2}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`, l.name);
  }
  if (spec.bands?.length) {
    add(
      `<rect x="0" y="-6" width="16" height="10" fill="${BAND_COLOR}" fill-opacity="0.14" stroke="${BAND_COLOR}" stroke-dasharray="3 2"/><rect x="0" y="-6" width="16" height="3" fill="${BAND_COLOR}"/>`,
      'fault window',
    );
  }
  if (spec.phases?.length) add(`<rect x="0" y="-6" width="16" height="10" fill="${PHASE_COLOR}" fill-opacity="0.10" stroke="${PHASE_COLOR}"/>`, 'workload phase');
  if (spec.markers?.length) add(`<line x1="8" y1="-7" x2="8" y2="5" stroke="#6a3d9a" stroke-width="1.5" stroke-dasharray="3 2"/>`, 'new master elected');
  return items.join('');
}

export function renderChart(spec: ChartSpec): string {
  const width = spec.width ?? 1100;
  const height = spec.height ?? 320;
  const area = plotArea(width, height);
  const xTicks = spec.xTicks ?? niceTicks(spec.xDomain[0], spec.xDomain[1], 12).filter((t) => t >= spec.xDomain[0] && t <= spec.xDomain[1]);
  const xLabelOf = spec.xTickLabel ?? tickLabel;
  const x = linearScale(spec.xDomain, [area.left, area.right], xTicks);
  const y = yScaleFor(spec, area);
  const clip = `clip-${spec.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const o: string[] = [];
  o.push(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(spec.title)}" ${FONT}>`,
  );
  o.push(`<defs><clipPath id="${clip}"><rect x="${area.left}" y="${area.top}" width="${area.right - area.left}" height="${area.bottom - area.top}"/></clipPath></defs>`);
  o.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  o.push(`<text x="${MARGIN.left}" y="20" font-size="16" font-weight="600" fill="#111">${escapeHtml(spec.title)}</text>`);
  o.push(legend(spec));

  // Grid and y axis.
  for (const t of y.ticks) {
    const Y = px(y(t));
    o.push(`<line x1="${area.left}" y1="${Y}" x2="${area.right}" y2="${Y}" stroke="#e3e3e3"/>`);
    o.push(`<text x="${area.left - 8}" y="${Y + 4}" font-size="12" fill="#444" text-anchor="end">${tickLabel(t)}</text>`);
  }
  for (const t of x.ticks) {
    const X = px(x(t));
    o.push(`<line x1="${X}" y1="${area.top}" x2="${X}" y2="${area.bottom}" stroke="#f0f0f0"/>`);
    o.push(`<line x1="${X}" y1="${area.bottom}" x2="${X}" y2="${area.bottom + 5}" stroke="#666"/>`);
    o.push(`<text x="${X}" y="${area.bottom + 19}" font-size="12" fill="#444" text-anchor="middle">${escapeHtml(xLabelOf(t))}</text>`);
  }

  // Phases: a faint tint over their whole span, and a strip with the name along the bottom.
  for (const r of bandRects(spec.phases ?? [], x, area)) {
    o.push(
      `<rect class="phase-band" x="${r.x}" y="${area.top}" width="${r.width}" height="${area.bottom - area.top}" fill="${PHASE_COLOR}" fill-opacity="0.06"><title>${escapeHtml(r.band.label)}: ${r.band.from.toFixed(1)}–${r.band.to.toFixed(1)} s</title></rect>`,
      `<rect x="${r.x}" y="${area.bottom - 16}" width="${r.width}" height="16" fill="${PHASE_COLOR}" fill-opacity="0.16"/>`,
      `<text class="phase-label" x="${px(r.x + 4)}" y="${area.bottom - 4}" font-size="11" fill="#3f2a7a">${escapeHtml(r.band.label)}</text>`,
    );
  }
  // Under the data: the band's tint, so that lines and areas keep their own colours.
  const rects = bandRects(spec.bands ?? [], x, area);
  for (const r of rects) {
    o.push(
      `<rect class="fault-band" x="${r.x}" y="${area.top}" width="${r.width}" height="${area.bottom - area.top}" fill="${BAND_COLOR}" fill-opacity="0.14"><title>${escapeHtml(r.band.label)}: ${r.band.from.toFixed(1)}–${r.band.to.toFixed(1)} s</title></rect>`,
    );
  }
  o.push(`<g clip-path="url(#${clip})">`);
  if (spec.stacked) o.push(...stackedPaths(spec.stacked, x, y, spec.xDomain[1]));
  for (const l of spec.lines ?? []) {
    const d = linePath(l.xs, l.ys, x, y, l.step ?? false, spec.xDomain[1]);
    if (d) {
      o.push(
        `<path class="data" d="${d}" fill="none" stroke="${l.color}" stroke-width="${l.width ?? 2}" stroke-linejoin="round" stroke-linecap="round"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}><title>${escapeHtml(l.name)}</title></path>`,
      );
    }
  }
  o.push('</g>');

  // Over the data: the band's edges, a strip along the top and the label, which an opaque stacked area cannot hide.
  rects.forEach((r, i) => {
    const x1 = px(r.x + r.width);
    o.push(
      `<g class="fault-edges" stroke="${BAND_COLOR}" stroke-width="1.2" stroke-dasharray="4 3" stroke-opacity="0.85"><line x1="${r.x}" y1="${area.top}" x2="${r.x}" y2="${area.bottom}"/><line x1="${x1}" y1="${area.top}" x2="${x1}" y2="${area.bottom}"/></g>`,
      `<rect x="${r.x}" y="${area.top}" width="${r.width}" height="5" fill="${BAND_COLOR}" fill-opacity="0.8"/>`,
    );
    // Labels on up to three rows so that faults close together do not print over each other.
    const ly = area.top + 17 + (i % 3) * 14;
    // After the band where there is room, else before it, else (a band as wide as the chart) inside it.
    const after = r.x + r.width + 160 <= area.right;
    const anchorRight = !after && r.x - 160 >= area.left;
    const lx = after ? r.x + r.width + 4 : anchorRight ? r.x - 4 : r.x + 4;
    o.push(
      `<text class="fault-label" x="${px(lx)}" y="${ly}" font-size="11.5" font-weight="600" fill="#a51d1d" text-anchor="${anchorRight ? 'end' : 'start'}" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeHtml(r.band.label)}</text>`,
    );
  });

  (spec.markers ?? []).forEach((m, i) => {
    if (m.x < spec.xDomain[0] || m.x > spec.xDomain[1]) return;
    const X = px(x(m.x));
    o.push(`<line x1="${X}" y1="${area.top}" x2="${X}" y2="${area.bottom}" stroke="#6a3d9a" stroke-width="1.5" stroke-dasharray="3 2"/>`);
    o.push(
      `<text x="${X + 4}" y="${area.bottom - 6 - (i % 2) * 14}" font-size="11.5" fill="#4a2a72" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeHtml(m.label)}</text>`,
    );
  });

  // Axes on top of everything.
  o.push(`<line x1="${area.left}" y1="${area.bottom}" x2="${area.right}" y2="${area.bottom}" stroke="#333"/>`);
  o.push(`<line x1="${area.left}" y1="${area.top}" x2="${area.left}" y2="${area.bottom}" stroke="#333"/>`);
  o.push(`<text x="${px((area.left + area.right) / 2)}" y="${height - 10}" font-size="13" fill="#222" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`);
  const yMid = px((area.top + area.bottom) / 2);
  o.push(`<text x="16" y="${yMid}" font-size="13" fill="#222" text-anchor="middle" transform="rotate(-90 16 ${yMid})">${escapeHtml(spec.yLabel)}</text>`);
  o.push('</svg>');
  return o.join('\n');
}
