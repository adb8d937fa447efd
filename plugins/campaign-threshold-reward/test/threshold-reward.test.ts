import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestKernel } from '@kequn/testing';
import { CampaignError, planCampaign, type CampaignPlan } from '@kequn/campaigns';
import { OperatorRegistry, createSegmentEngine, tableAttributes, typeCheckRule } from '@kequn/segments';
import { THRESHOLD_REWARD_CAMPAIGN_TYPE, thresholdRewardCampaignType, thresholdRewardPlugin } from '../src/index.js';

function plan(parameters: unknown): CampaignPlan {
  return planCampaign(THRESHOLD_REWARD_CAMPAIGN_TYPE, thresholdRewardCampaignType, parameters).plan;
}

function smsTexts(campaignPlan: CampaignPlan): string[] {
  return campaignPlan.journey.flatMap((step) => (step.type === 'send' && step.channel === 'sms' ? [step.template.text['zh-CN'], step.template.text.en] : []));
}

function parameterError(parameters: unknown): CampaignError {
  try {
    plan(parameters);
  } catch (error) {
    if (error instanceof CampaignError) return error;
    throw error;
  }
  throw new Error('expected the parameters to be refused');
}

describe('threshold-reward campaign type (达标有礼)', () => {
  it('registers in a kernel and plans a valid campaign from defaults', async () => {
    const t = await createTestKernel({ plugins: [thresholdRewardPlugin] });
    expect(t.kernel.campaignTypes.list().map((entry) => entry.declaration.id)).toEqual([THRESHOLD_REWARD_CAMPAIGN_TYPE]);
    const implementation = await t.kernel.campaignTypes.get(THRESHOLD_REWARD_CAMPAIGN_TYPE);
    const { plan: planned } = planCampaign(THRESHOLD_REWARD_CAMPAIGN_TYPE, implementation, {});
    expect(planned.goal.criterion).toEqual({ aumAtLeast: 50_000, holdDays: 30 });
    expect(planned.goal.windowDays).toBe(60);
    expect(planned.triggers).toEqual([{ type: 'start' }]);
    expect(planned.purpose).toBe('marketing');
    expect(planned.journey.map((step) => step.id)).toEqual(['invite', 'wait-first', 'reached', 'call', 'wait-call', 'reached-after-call', 'progress', 'holding']);
    const call = planned.journey.find((step) => step.type === 'task');
    expect(call?.toolkit.script['zh-CN']).toContain('5万元达标有礼');
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('refuses parameters with an error naming the field', () => {
    const lower = parameterError({ lowerBound: 60_000 });
    expect(lower.code).toBe('KQ_CAMPAIGN_PARAMETERS_INVALID');
    expect(lower.message).toContain('parameters.lowerBound');
    expect(parameterError({ holdDays: 0 }).message).toContain('parameters.holdDays');
    expect(parameterError({ holdDays: 30, windowDays: 20 }).message).toContain('parameters.windowDays');
    expect(parameterError({ basis: 'assets.somethingElse' }).message).toContain('parameters.basis');
    expect(parameterError({ bonus: 1 }).message).toContain('bonus');
  });

  it('targets exactly the customers in the band below the bar, on the real attributes', async () => {
    const t = await createTestKernel({ plugins: [thresholdRewardPlugin], customers: 3000 });
    const table = t.model.table;
    const rule = plan({}).audience.rule;
    if (rule === undefined) throw new Error('the threshold-reward audience is a rule');
    expect(typeCheckRule(rule, { attributes: tableAttributes(table), operators: new OperatorRegistry(), segmentIds: new Set() })).toEqual([]);
    const engine = createSegmentEngine({ segments: [{ id: 'audience', rule }], attributes: tableAttributes(table) });
    const selected = [...(engine.evaluate(table).get('audience') ?? [])];
    const expected: number[] = [];
    for (let row = 0; row < table.size; row++) {
      const aum = table.value(row, 'assets.averageDailyAum3m');
      if (typeof aum === 'number' && aum >= 30_000 && aum < 50_000) expected.push(row);
    }
    expect(selected.length).toBeGreaterThan(0);
    expect(selected).toEqual(expected);
    await t.dispose();
  });

  it('plans valid campaigns for every valid combination, with the unsubscribe hint on every SMS', () => {
    const parameters = fc
      .record({
        bar: fc.integer({ min: 2, max: 10_000_000 }),
        lowerFraction: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        holdDays: fc.integer({ min: 1, max: 180 }),
        extraDays: fc.integer({ min: 1, max: 186 }),
        channel: fc.constantFrom('sms', 'wecom', 'app_push'),
      })
      .map(({ bar, lowerFraction, holdDays, extraDays, channel }) => ({
        bar,
        lowerBound: Math.max(1, Math.floor(bar * lowerFraction)),
        holdDays,
        windowDays: holdDays + extraDays,
        channel,
      }));
    fc.assert(
      fc.property(parameters, (input) => {
        const planned = plan(input);
        expect(planned.goal.criterion).toEqual({ aumAtLeast: input.bar, holdDays: input.holdDays });
        expect(planned.goal.windowDays).toBeGreaterThan(input.holdDays);
        for (const text of smsTexts(planned)) expect(text.endsWith('回复TD退订') || text.endsWith('Reply TD to unsubscribe.')).toBe(true);
        expect(smsTexts(planned).length).toBe(input.channel === 'sms' ? 4 : 0);
      }),
      { numRuns: 200 },
    );
  });
});
