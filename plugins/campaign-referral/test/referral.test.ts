import { describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { planCampaign, type CampaignPlan } from '@kequn/campaigns';
import { ABCD_STRATEGY, abcdPlugin } from '@kequn/plugin-abcd';
import { REFERRAL_CAMPAIGN_TYPE, referralCampaignType, referralPlugin } from '../src/index.js';

function plan(parameters: unknown): CampaignPlan {
  return planCampaign(REFERRAL_CAMPAIGN_TYPE, referralCampaignType, parameters).plan;
}



describe('referral campaign type (推荐计划)', () => {
  it('registers in a kernel and plans a valid campaign from defaults', async () => {
    const t = await createTestKernel({ plugins: [referralPlugin] });
    const implementation = await t.kernel.campaignTypes.get(REFERRAL_CAMPAIGN_TYPE);
    const { plan: planned } = planCampaign(REFERRAL_CAMPAIGN_TYPE, implementation, {});
    expect(planned.audience).toEqual({ segments: ['a', 'b'], exclude: [] });
    expect(planned.goal.criterion).toEqual({ referral: { refereeAumAtLeast: 50_000 } });
    expect(planned.journey.map((step) => step.id)).toEqual(['invite', 'wait-referral', 'referred', 'reminder', 'wait-again', 'referred-late', 'thanks']);
    const invite = planned.journey[0];
    expect(invite?.type === 'send' ? invite.template.text['zh-CN'] : '').toContain('5万元');
    expect(invite?.type === 'send' ? invite.template.text['zh-CN'].endsWith('回复TD退订') : false).toBe(true);
    expect(plan({ refereeAumAtLeast: 12_500, channel: 'app_push' }).goal.label.en).toBe('A referred friend reaches CNY 12,500');
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('waits for a referral on both waits and thanks referrers on either path', () => {
    const planned = plan({ reminderDays: 10 });
    const waits = planned.journey.filter((step) => step.type === 'wait');
    expect(waits.map((step) => step.until)).toEqual([
      { responses: ['referred'], timeout: { days: 10, hours: 0 } },
      { responses: ['referred'], timeout: { days: 10, hours: 0 } },
    ]);
    const branches = planned.journey.filter((step) => step.type === 'branch');
    expect(branches.map((step) => [step.if, step.then])).toEqual([
      [{ responded: ['referred'] }, 'thanks'],
      [{ responded: ['referred'] }, 'thanks'],
    ]);
  });

  it('refuses parameters with an error naming the field', () => {
    expect(() => plan({ refereeAumAtLeast: -1 })).toThrow('parameters.refereeAumAtLeast');
    expect(() => plan({ segments: [] })).toThrow('parameters.segments');
    expect(() => plan({ reminderDays: 0 })).toThrow('parameters.reminderDays');
    expect(() => plan({ reward: { 'zh-CN': '礼品' } })).toThrow('parameters.reward.en');
  });

  it('invites ABCD classes A and B: engaged customers with at least 50k average assets', async () => {
    const t = await createTestKernel({ plugins: [abcdPlugin, referralPlugin], customers: 3000 });
    const table = t.model.table;
    const segments = plan({}).audience.segments;
    const offered = (await t.kernel.segmentStrategies.get(ABCD_STRATEGY)).segments().map((segment) => segment.id);
    const memberships = await t.model.evaluate(ABCD_STRATEGY);
    const members = new Set<number>();
    for (const segmentId of segments) {
      expect(offered).toContain(segmentId);
      for (const row of memberships.get(segmentId) ?? []) members.add(row);
    }
    expect(members.size).toBeGreaterThan(0);
    expect(members.size).toBeLessThan(table.size);
    for (const row of members) expect(Number(table.value(row, 'assets.averageDailyAum3m'))).toBeGreaterThanOrEqual(50_000);
    await t.dispose();
  });
});
