import { afterEach, describe, expect, it } from 'vitest';
import '../src/define/kq-kpi-dashboard.js';
import type { KqKpiDashboard } from '../src/index.js';
import { axeViolations, cleanup, clientFor, mount, shadow, until } from './browser-helpers.js';

afterEach(cleanup);

async function dashboard(lang: string, attributes: string): Promise<KqKpiDashboard> {
  const element = mount<KqKpiDashboard>(
    `<kq-kpi-dashboard ${attributes}></kq-kpi-dashboard>`,
    'kq-kpi-dashboard',
    lang,
  );
  element.client = await clientFor();
  await until(
    () =>
      element.loadStatus === 'ready' &&
      shadow(element).querySelectorAll('[part~="card"]').length === 6,
    'the KPI cards',
  );
  return element;
}

function card(element: KqKpiDashboard, kpi: string): HTMLElement {
  const found = shadow(element).querySelector<HTMLElement>(`[data-kpi="${kpi}"]`);
  if (found === null) throw new Error(`no ${kpi} card`);
  return found;
}

describe('kq-kpi-dashboard', () => {
  it('shows the server figures of the period with a monthly SVG trend per card, in zh-CN', async () => {
    const element = await dashboard('zh-CN', 'from="2026-10-01" to="2026-10-31" trend="3"');
    const answer = await (
      await clientFor()
    ).call('kpis.get', { query: { from: '2026-10-01', to: '2026-10-31' } });
    const figures = answer.figures;
    const percent = (value: number) =>
      new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(value);
    expect(card(element, 'aumGrowth').querySelector('[part="value"]')?.textContent).toBe(
      figures.aumUplift === null ? '无数据' : percent(figures.aumUplift),
    );
    expect(card(element, 'tierMoves').querySelector('[part="value"]')?.textContent).toBe(
      `提升 ${figures.upgrades} / 下降 ${figures.downgrades}`,
    );
    expect(card(element, 'crossSell').querySelector('h3')?.textContent).toBe('交叉销售率');
    expect(card(element, 'coverage').querySelector('[part="note"]')?.textContent).toContain(
      new Intl.NumberFormat('zh-CN').format(figures.customers),
    );
    // Three monthly periods: the trend line has one point per month with a figure.
    expect(element.report?.trend.map((period) => period.period)).toEqual([
      { from: '2026-08-01', to: '2026-08-31' },
      { from: '2026-09-01', to: '2026-09-30' },
      { from: '2026-10-01', to: '2026-10-31' },
    ]);
    const line = card(element, 'aumGrowth').querySelector('svg[data-renderer="svg"] polyline');
    expect(line?.getAttribute('points')?.split(' ').length).toBe(3);
    expect(card(element, 'tierMoves').querySelectorAll('rect').length).toBe(6);
    expect(card(element, 'aumGrowth').querySelector('svg')?.getAttribute('aria-label')).toBe(
      '总资产提升率近 3 个月趋势',
    );
    expect(await axeViolations(element)).toEqual([]);
  });

  it('speaks English, shows "No data" for a KPI without a base, and draws no trend with trend=1', async () => {
    const element = await dashboard('en', 'to="2026-10-31" trend="1"');
    expect(element.report?.current.period).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    const figures = element.report?.current.figures;
    expect(card(element, 'dormant').querySelector('h3')?.textContent).toBe('Dormant activation');
    if (figures?.dormantReactivationRate === null)
      expect(card(element, 'dormant').querySelector('[part="value"]')?.textContent).toBe('No data');
    expect(shadow(element).querySelectorAll('polyline').length).toBe(0);
    expect(shadow(element).querySelector('[part="title"]')?.textContent).toContain(
      'Oct 1, 2026 to Oct 31, 2026',
    );
    expect(await axeViolations(element)).toEqual([]);
  });
});
