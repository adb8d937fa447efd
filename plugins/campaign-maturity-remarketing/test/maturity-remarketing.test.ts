import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toEpochDay, type Customer } from '@kequn/core';
import { createSyntheticBank, createTestKernel } from '@kequn/testing';
import { planCampaign, type CampaignPlan } from '@kequn/campaigns';
import { OperatorRegistry, createSegmentEngine, tableAttributes, typeCheckRule, type Rule } from '@kequn/segments';
import type { ColumnarTable } from '@kequn/core';
import { MATURITY_REMARKETING_CAMPAIGN_TYPE, maturityRemarketingCampaignType, maturityRemarketingPlugin } from '../src/index.js';

function plan(parameters: unknown): CampaignPlan {
  return planCampaign(MATURITY_REMARKETING_CAMPAIGN_TYPE, maturityRemarketingCampaignType, parameters).plan;
}


function audienceRule(campaignPlan: CampaignPlan): Rule {
  const rule = campaignPlan.audience.rule;
  if (rule === undefined) throw new Error('the maturity audience is a rule');
  return rule;
}

function select(table: ColumnarTable<unknown>, rule: Rule): number[] {
  expect(typeCheckRule(rule, { attributes: tableAttributes(table), operators: new OperatorRegistry(), segmentIds: new Set() })).toEqual([]);
  const engine = createSegmentEngine({ segments: [{ id: 'audience', rule }], attributes: tableAttributes(table) });
  return [...(engine.evaluate(table).get('audience') ?? [])];
}

describe('maturity-remarketing campaign type (到期再营销)', () => {
  it('registers in a kernel and plans a valid campaign from defaults', async () => {
    const t = await createTestKernel({ plugins: [maturityRemarketingPlugin] });
    const implementation = await t.kernel.campaignTypes.get(MATURITY_REMARKETING_CAMPAIGN_TYPE);
    const { plan: planned } = planCampaign(MATURITY_REMARKETING_CAMPAIGN_TYPE, implementation, {});
    expect(planned.triggers).toEqual([{ type: 'start' }, { type: 'event', event: 'maturity' }]);
    expect(planned.goal.criterion).toEqual({ purchase: { productTypes: ['time_deposit', 'structured_deposit', 'wealth', 'fund', 'insurance'] } });
    expect(planned.journey.map((step) => step.id)).toEqual(['call', 'remind', 'wait-maturity', 'reinvested', 'follow-up']);
    const call = planned.journey[0];
    expect(call?.type === 'task' ? call.toolkit.materials.map((material) => material.title['zh-CN']) : []).toEqual(['定期存款续存', '结构性存款', '稳健型理财产品']);
    expect(plan({ enrolOnMaturityEvent: false }).triggers).toEqual([{ type: 'start' }]);
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('refuses parameters with an error naming the field', () => {
    expect(() => plan({ leadDays: 0 })).toThrow('parameters.leadDays');
    expect(() => plan({ leadDays: 20, windowDays: 20 })).toThrow('parameters.windowDays');
    expect(() => plan({ productTypes: ['car'] })).toThrow('parameters.productTypes[0]');
    expect(() => plan({ reinvestmentOptions: [] })).toThrow('parameters.reinvestmentOptions');
  });

  it('schedules the first call before the money matures, for every lead time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 300 }), (leadDays, extra) => {
        const planned = plan({ leadDays, windowDays: leadDays + extra });
        const call = planned.journey[0];
        expect(call?.type).toBe('task');
        if (call?.type === 'task') expect(call.dueInDays).toBeLessThanOrEqual(leadDays);
        expect(audienceRule(planned)).toEqual({ attribute: 'holdings.nextMaturityDate', op: 'withinNext', value: { days: leadDays } });
      }),
    );
  });

  it('targets exactly the customers with a maturity in the lead window, on the real attributes', async () => {
    const t = await createTestKernel({ plugins: [maturityRemarketingPlugin], customers: 3000 });
    const table = t.model.table;
    const asOf = toEpochDay(table.asOf);
    const selected = select(table, audienceRule(plan({})));
    const expected: number[] = [];
    for (let row = 0; row < table.size; row++) {
      const maturity = table.value(row, 'holdings.nextMaturityDate');
      if (maturity === null) continue;
      const day = toEpochDay(String(maturity));
      if (day >= asOf && day <= asOf + 15) expected.push(row);
    }
    expect(selected.length).toBeGreaterThan(0);
    expect(selected).toEqual(expected);

    const large = select(table, audienceRule(plan({ minMaturingAmount: 50_000 })));
    expect(large.length).toBeLessThan(selected.length);
    for (const row of large) {
      expect(selected).toContain(row);
      expect(Number(table.value(row, 'holdings.maturingAmount30d'))).toBeGreaterThanOrEqual(50_000);
    }
    await t.dispose();
  });

  it('still selects a customer on the day their product matures, when the maturity event enrols them', async () => {
    const bank = createSyntheticBank({ customers: 500, seed: 7 });
    const withMaturity = [...bank.customers()].find((customer: Customer) => customer.holdings.some((holding) => holding.maturityDate !== undefined && holding.maturityDate > bank.asOf));
    const maturityDate = withMaturity?.holdings.map((holding) => holding.maturityDate).find((date) => date !== undefined && date > bank.asOf);
    if (withMaturity === undefined || maturityDate === undefined) throw new Error('the synthetic bank should hold a product maturing after asOf');
    const t = await createTestKernel({ plugins: [maturityRemarketingPlugin], customers: [withMaturity], asOf: maturityDate });
    expect(select(t.model.table, audienceRule(plan({})))).toEqual([0]);
    await t.dispose();
  });
});
