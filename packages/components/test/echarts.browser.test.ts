// The optional ECharts adapter: the default SVG path never requests ECharts, and renderer="echarts"
// imports it on first use and draws into the element's chart containers. One file, in test order:
// the first test must run before anything on this page has imported ECharts.
import { afterEach, describe, expect, it } from 'vitest';
import '../src/define/kq-kpi-dashboard.js';
import type { KqKpiDashboard } from '../src/index.js';
import { axeViolations, cleanup, clientFor, mount, shadow, until } from './browser-helpers.js';

afterEach(cleanup);

function echartsRequests(): string[] {
  return (
    performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      // ECharts modules (pre-bundled `echarts_core.js`, or node_modules/echarts/) and the adapter.
      .filter((name) => /echarts[-_/]/.test(name))
  );
}

async function dashboard(renderer: 'svg' | 'echarts'): Promise<KqKpiDashboard> {
  const element = mount<KqKpiDashboard>(
    `<kq-kpi-dashboard to="2026-10-31" trend="3" renderer="${renderer}"></kq-kpi-dashboard>`,
    'kq-kpi-dashboard',
    'en',
  );
  element.client = await clientFor();
  await until(() => element.loadStatus === 'ready', 'the KPIs');
  return element;
}

describe('the ECharts renderer', () => {
  it('is never loaded by the default SVG renderer', async () => {
    const element = await dashboard('svg');
    expect(shadow(element).querySelectorAll('svg[data-renderer="svg"]').length).toBeGreaterThan(0);
    expect(shadow(element).querySelector('[data-chart]')).toBeNull();
    expect(echartsRequests()).toEqual([]);
  });

  it('imports echarts/core on first use and draws the trends with it', async () => {
    const element = await dashboard('echarts');
    const chart = await until(
      () =>
        shadow(element).querySelector<HTMLElement>('[data-chart="aumGrowth"][_echarts_instance_]'),
      'an ECharts chart',
    );
    expect(echartsRequests().some((name) => /echarts_core/.test(name))).toBe(true);
    // ECharts' SVG renderer draws inside the container the element labelled.
    await until(() => chart.querySelector('svg path'), 'the drawn line');
    expect(chart.getAttribute('aria-label')).toBe('AUM growth, trend over 3 months');
    expect(
      shadow(element).querySelector('[data-chart="tierMoves"][_echarts_instance_]'),
    ).not.toBeNull();
    expect(shadow(element).querySelector('svg[data-renderer="svg"]')).toBeNull();
    expect(await axeViolations(element)).toEqual([]);
  });
});
