import { describe, expect, it } from 'vitest';
import { toEpochDay } from '@kequn/core';
import { createTestKernel } from '@kequn/testing';
import { CampaignError, planCampaign, type CampaignPlan } from '@kequn/campaigns';
import { DORMANT_SEGMENT, DORMANT_STRATEGY, dormantPlugin } from '@kequn/plugin-dormant';
import { DORMANT_ACTIVATION_CAMPAIGN_TYPE, dormantActivationCampaignType, dormantActivationPlugin } from '../src/index.js';

function plan(parameters: unknown): CampaignPlan {
  return planCampaign(DORMANT_ACTIVATION_CAMPAIGN_TYPE, dormantActivationCampaignType, parameters).plan;
}



describe('dormant-activation campaign type (休眠激活)', () => {
  it('registers in a kernel and plans a valid campaign from defaults', async () => {
    const t = await createTestKernel({ plugins: [dormantActivationPlugin] });
    const implementation = await t.kernel.campaignTypes.get(DORMANT_ACTIVATION_CAMPAIGN_TYPE);
    const { plan: planned } = planCampaign(DORMANT_ACTIVATION_CAMPAIGN_TYPE, implementation, {});
    expect(planned.audience.segments).toEqual([DORMANT_SEGMENT]);
    expect(planned.goal.criterion).toEqual({ activity: { minTransactions: 1 } });
    expect(planned.goal.exitOnGoal).toBe(false);
    expect(planned.triggers).toEqual([{ type: 'start' }]);
    expect(planned.journey.map((step) => `${step.id}:${step.type}`)).toEqual(['invite:send', 'call:task', 'wait-activity:wait', 'active:branch', 'reminder:send', 'done:exit', 'care:send']);
    for (const step of planned.journey) if (step.type === 'send') expect(step.template.text['zh-CN'].endsWith('回复TD退订')).toBe(true);
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('enrols on schedule dates and on segment entry when asked', () => {
    const planned = plan({ scheduleDates: ['2027-01-04', '2027-04-01'], enrolOnSegmentEntry: true });
    expect(planned.triggers).toEqual([
      { type: 'schedule', dates: ['2027-01-04', '2027-04-01'] },
      { type: 'segment_entry', segments: [DORMANT_SEGMENT] },
    ]);
  });

  it('refuses parameters with an error naming the field', () => {
    expect(() => plan({ segments: [] })).toThrow('parameters.segments');
    expect(() => plan({ scheduleDates: ['2026-13-01'] })).toThrow('parameters.scheduleDates[0]');
    expect(() => plan({ channel: 'fax' })).toThrow('parameters.channel');
    expect(() => plan({ minTransactions: 0 })).toThrow(CampaignError);
  });

  it('targets the dormant plugin segment: inactive customers holding assets above the floor', async () => {
    const t = await createTestKernel({ plugins: [dormantPlugin, dormantActivationPlugin], customers: 3000 });
    const table = t.model.table;
    const [segmentId] = plan({}).audience.segments;
    if (segmentId === undefined) throw new Error('the dormant audience names a segment');
    const offered = (await t.kernel.segmentStrategies.get(DORMANT_STRATEGY)).segments().map((segment) => segment.id);
    expect(offered).toContain(segmentId);
    const members = [...((await t.model.evaluate(DORMANT_STRATEGY)).get(segmentId) ?? [])];
    expect(members.length).toBeGreaterThan(0);
    const cutoff = toEpochDay(table.asOf) - 180;
    for (const row of members) {
      const last = table.value(row, 'behaviour.lastTransactionDate');
      expect(last === null || toEpochDay(String(last)) < cutoff).toBe(true);
      expect(Number(table.value(row, 'assets.currentAum'))).toBeGreaterThanOrEqual(1000);
    }
    await t.dispose();
  });
});
