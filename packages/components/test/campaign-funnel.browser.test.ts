import { afterEach, describe, expect, inject, it } from 'vitest';
import '../src/define/kq-campaign-funnel.js';
import type { KqCampaignFunnel } from '../src/index.js';
import { axeViolations, cleanup, clientFor, mount, shadow, until } from './browser-helpers.js';

afterEach(cleanup);

async function funnel(
  lang: string,
  campaignId: string,
  renderer = 'svg',
): Promise<KqCampaignFunnel> {
  const element = mount<KqCampaignFunnel>(
    `<kq-campaign-funnel campaign-id="${campaignId}" renderer="${renderer}"></kq-campaign-funnel>`,
    'kq-campaign-funnel',
    lang,
  );
  element.client = await clientFor('operations_manager', { branchId: 'BR001' });
  await until(() => element.loadStatus === 'ready' || element.loadStatus === 'error', 'the report');
  return element;
}

describe('kq-campaign-funnel', () => {
  it("shows the run campaign's funnel, treated vs holdout and its uplift interval from the server, in zh-CN", async () => {
    const campaignId = inject('runCampaignId');
    const element = await funnel('zh-CN', campaignId);
    const report = await (await clientFor()).call('campaigns.report', { params: { campaignId } });
    const root = shadow(element);
    expect(report.funnel.length).toBeGreaterThan(0);
    expect(root.querySelectorAll('[part="funnel-table"] tbody tr').length).toBe(
      report.funnel.length,
    );
    const first = report.funnel[0];
    const firstRow = root.querySelector(
      `[part="funnel-table"] tr[data-step="${first?.stepId ?? ''}"]`,
    );
    const cells = Array.from(firstRow?.querySelectorAll('td') ?? []).map((cell) =>
      cell.textContent?.trim(),
    );
    const count = (value: number) => new Intl.NumberFormat('zh-CN').format(value);
    expect(cells.slice(0, 4)).toEqual(
      [first?.reached, first?.sent, first?.tasks, first?.suppressed].map((v) => count(v ?? 0)),
    );
    for (const [reason, n] of Object.entries(first?.suppressedBy ?? {}))
      expect(firstRow?.querySelector(`[data-reason="${reason}"]`)?.textContent).toBe(
        `${reason}: ${count(n)}`,
      );
    expect(
      Array.from(root.querySelectorAll('[part="cohort-table"] tbody tr')).map((row) =>
        row.getAttribute('data-cohort'),
      ),
    ).toEqual(report.cohorts.map((cohort) => cohort.cohort));
    expect(root.querySelector('[part="cohort-table"]')?.textContent).toContain('对照组');
    if (report.uplift === null)
      expect(root.querySelector('[data-section="uplift"]')?.textContent).toContain('样本不足');
    else {
      expect(root.querySelector('[data-figure="uplift"]')?.textContent).toContain('95% 区间');
      expect(root.querySelector('[part="interval"] circle')).not.toBeNull();
    }
    expect(root.querySelector('[data-section="cost"]')?.textContent).toContain('总成本');
    expect(root.querySelectorAll('svg[data-renderer="svg"]').length).toBe(2);
    expect(await axeViolations(element)).toEqual([]);
  });

  it('draws an interval that keeps zero on the axis and speaks English', async () => {
    const element = mount<KqCampaignFunnel>(
      '<kq-campaign-funnel></kq-campaign-funnel>',
      'kq-campaign-funnel',
      'en',
    );
    element.report = {
      campaignId: 'given',
      status: 'running',
      asOf: '2026-11-01T10:00:00+08:00',
      enrolled: 1000,
      funnel: [
        {
          stepId: 'sms',
          type: 'message',
          reached: 900,
          sent: 700,
          tasks: 0,
          suppressed: 200,
          suppressedBy: { quiet_hours: 150, opted_out: 50 },
          deferredBy: {},
        },
      ],
      cohorts: [
        {
          cohort: 'treatment',
          variant: 'a',
          customers: 900,
          conversions: 90,
          conversionRate: 0.1,
          meanAumChange: 1200,
        },
        {
          cohort: 'holdout',
          variant: 'a',
          customers: 100,
          conversions: 5,
          conversionRate: 0.05,
          meanAumChange: 100,
        },
      ],
      uplift: { estimate: 0.05, low: 0.01, high: 0.09 },
      variantUplift: {},
      aumUpliftPerCustomer: { estimate: 1100, low: -200, high: 2400 },
      aumUpliftTotal: 990_000,
      incrementalConversions: 45,
      cost: {
        contacts: 35,
        rewards: 4500,
        total: 4535,
        perConversion: 50.39,
        perIncrementalConversion: 100.78,
      },
    };
    await element.updateComplete;
    const root = shadow(element);
    expect(root.querySelector('[data-figure="uplift"]')?.textContent?.trim()).toBe(
      '+5% (95% interval +1% to +9%)',
    );
    expect(root.querySelector('[data-reason="quiet_hours"]')?.textContent).toBe('quiet_hours: 150');
    expect(root.querySelector('[data-section="conversions"]')?.textContent).toContain('Holdout');
    expect(root.querySelector('[data-section="aum"]')?.textContent).toContain('per customer');
    const zero = root.querySelector('[part="interval"] line');
    const point = root.querySelector('[part="interval"] circle');
    // Zero sits left of the whole interval here, so the estimate is drawn to its right.
    expect(Number(point?.getAttribute('cx'))).toBeGreaterThan(Number(zero?.getAttribute('x1')));
    expect(await axeViolations(element)).toEqual([]);
  });

  it('says when the report is not found', async () => {
    const element = await funnel('en', 'no-such-campaign');
    expect(element.loadStatus).toBe('error');
    expect(shadow(element).querySelector('[part="error"] code')?.textContent).toMatch(/^KQ_/);
    expect(await axeViolations(element)).toEqual([]);
  });
});
