// The optional ECharts adapter (ECharts is what Chinese banks' portals already use). Imported only
// by ChartController when an element's renderer is "echarts", and it imports `echarts/core` with
// just the line and bar charts, the grid and tooltip, and the SVG renderer — never the full build.
import { use, init, getInstanceByDom } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartAdapter, ChartSpec } from '../foundation/chart.js';

use([BarChart, LineChart, GridComponent, TooltipComponent, SVGRenderer]);

function optionOf(spec: ChartSpec, colour: (property: string) => string) {
  const horizontal = spec.kind === 'bar';
  const categoryAxis = { type: 'category' as const, data: [...spec.categories] };
  const valueAxis = {
    type: 'value' as const,
    axisLabel: { formatter: (value: number) => spec.format(value) },
  };
  const text = colour('--_text');
  return {
    animation: false,
    textStyle: { color: text },
    // ECharts 6 keeps axis labels inside the container by itself (grid.outerBoundsMode).
    grid: { left: 8, right: 16, top: 8, bottom: 8 },
    tooltip: {
      trigger: 'axis' as const,
      valueFormatter: (value: unknown) => (typeof value === 'number' ? spec.format(value) : '—'),
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: spec.series.map((series) => ({
      name: series.name,
      type: spec.kind,
      data: [...series.values],
      itemStyle: { color: colour(series.colour) },
      lineStyle: { color: colour(series.colour) },
    })),
  };
}

export const echartsAdapter: ChartAdapter = {
  draw(container, spec, colour) {
    const chart = getInstanceByDom(container) ?? init(container, undefined, { renderer: 'svg' });
    chart.setOption(optionOf(spec, colour), true);
  },
  dispose(container) {
    getInstanceByDom(container)?.dispose();
  },
};
