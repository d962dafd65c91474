import { bandRects, linePath, MARGIN, plotArea, renderChart } from './svg-chart';
import { linearScale, logScale, niceStep, niceTicks } from './svg-scale';

const WIDTH = 800;
const HEIGHT = 300;
const area = plotArea(WIDTH, HEIGHT);

function rectsOf(svg: string, cls: string): Array<{ x: number; width: number; y: number; height: number }> {
  return [...svg.matchAll(new RegExp(`<rect class="${cls}" x="([\\d.-]+)" y="([\\d.-]+)" width="([\\d.-]+)" height="([\\d.-]+)"`, 'g'))].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    width: Number(m[3]),
    height: Number(m[4]),
  }));
}

test('nice ticks are round and cover the range', () => {
  expect(niceStep(0.7)).toBe(1);
  expect(niceStep(13)).toBe(20);
  expect(niceStep(31)).toBe(50);
  expect(niceTicks(0, 60, 12)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
  expect(niceTicks(0, 233, 5)).toEqual([0, 50, 100, 150, 200, 250]);
  expect(niceTicks(0, 3, 5, true)).toEqual([0, 1, 2, 3]);
  expect(logScale(2, 40, [100, 0]).ticks).toEqual([1, 10, 100]);
});

test('fault bands stay inside the plot area, even when they run past the x domain', () => {
  const svg = renderChart({
    id: 't',
    title: 'bands',
    xLabel: 's',
    yLabel: 'n',
    xDomain: [0, 60],
    width: WIDTH,
    height: HEIGHT,
    lines: [{ name: 'a', color: '#000', xs: [0, 30, 60], ys: [1, 2, 3] }],
    bands: [
      { from: -5, to: 3, label: 'starts before' },
      { from: 20, to: 20.01, label: 'very short' },
      { from: 58, to: 90, label: 'ends after' },
      { from: 70, to: 80, label: 'outside' },
    ],
  });
  const rects = rectsOf(svg, 'fault-band');
  expect(rects).toHaveLength(3);
  for (const r of rects) {
    expect(r.x).toBeGreaterThanOrEqual(area.left);
    expect(r.x + r.width).toBeLessThanOrEqual(area.right + 0.05);
    expect(r.width).toBeGreaterThanOrEqual(2);
    expect(r.y).toBe(area.top);
    expect(r.y + r.height).toBe(area.bottom);
  }
  // The short fault sits where 20 s is, and is still visible.
  const short = rects[1];
  const x20 = area.left + (20 / 60) * (area.right - area.left);
  expect(Math.abs(short.x - x20)).toBeLessThan(1);
  expect(svg).toContain('very short');
  expect(svg).not.toContain('>outside<');
});

test('a band at the right edge keeps its minimum width inside the plot', () => {
  const x = linearScale([0, 10], [area.left, area.right], []);
  const [r] = bandRects([{ from: 10, to: 10, label: 'edge' }], x, area);
  expect(r.x + r.width).toBeLessThanOrEqual(area.right);
  expect(r.width).toBe(2);
});

test('line paths break at nulls and steps hold their value', () => {
  const x = linearScale([0, 4], [0, 400], []);
  const y = linearScale([0, 10], [100, 0], []);
  const gap = linePath([0, 1, 2, 3], [1, 2, null, 4], x, y, false, 4);
  expect(gap.match(/M/g)).toHaveLength(2);
  expect(gap).toBe('M0,90L100,80M300,60h0.1');
  expect(linePath([0, 1], [5, 10], x, y, true, 4)).toBe('M0,50H100V0H400');
});

test('chart text is escaped', () => {
  const svg = renderChart({
    id: 'x"y',
    title: '<b>title</b>',
    xLabel: 'a & b',
    yLabel: 'y',
    xDomain: [0, 1],
    bands: [{ from: 0, to: 1, label: '<script>x</script>' }],
  });
  expect(svg).not.toContain('<b>');
  expect(svg).not.toContain('<script>');
  expect(svg).toContain('&lt;script&gt;');
  expect(svg).toContain('a &amp; b');
  expect(svg).toContain('clip-x_y');
});

test('the plot area leaves the margins for labels', () => {
  expect(area).toEqual({ left: MARGIN.left, top: MARGIN.top, right: WIDTH - MARGIN.right, bottom: HEIGHT - MARGIN.bottom });
});
