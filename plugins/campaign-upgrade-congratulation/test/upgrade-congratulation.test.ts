import { describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { planCampaign, type CampaignPlan } from '@kequn/campaigns';
import { TIER_ATTRIBUTE, tieringPlugin } from '@kequn/plugin-tiering';
import { UPGRADE_CONGRATULATION_CAMPAIGN_TYPE, upgradeCongratulationCampaignType, upgradeCongratulationPlugin } from '../src/index.js';

function plan(parameters: unknown): CampaignPlan {
  return planCampaign(UPGRADE_CONGRATULATION_CAMPAIGN_TYPE, upgradeCongratulationCampaignType, parameters).plan;
}



describe('upgrade-congratulation campaign type (升级祝贺与新理财经理介绍)', () => {
  it('registers in a kernel and plans a valid service campaign from defaults', async () => {
    const t = await createTestKernel({ plugins: [upgradeCongratulationPlugin] });
    const implementation = await t.kernel.campaignTypes.get(UPGRADE_CONGRATULATION_CAMPAIGN_TYPE);
    const { plan: planned } = planCampaign(UPGRADE_CONGRATULATION_CAMPAIGN_TYPE, implementation, {});
    expect(planned.triggers).toEqual([
      { type: 'event', event: 'tier_upgrade' },
      { type: 'event', event: 'handoff_approved' },
    ]);
    expect(planned.purpose).toBe('service');
    expect(planned.goal.criterion).toEqual({ response: 'reached', atLeast: 1 });
    const [congratulate, call] = planned.journey;
    if (congratulate?.type !== 'send' || call?.type !== 'task') throw new Error('the journey opens with the congratulation and the welcome call');
    for (const text of [congratulate.template.text['zh-CN'], congratulate.template.text.en]) {
      expect(text).toContain('{{name}}');
      expect(text).toContain('{{tierLabel}}');
      expect(text).toContain('{{managerName}}');
    }
    // The hand-off rule: the receiving manager calls within two days.
    expect(call.dueInDays).toBe(2);
    expect(plan({ on: ['handoff_approved'] }).triggers).toEqual([{ type: 'event', event: 'handoff_approved' }]);
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('refuses parameters with an error naming the field', () => {
    expect(() => plan({ tiers: ['vip'] })).toThrow('parameters.tiers[0]');
    expect(() => plan({ on: [] })).toThrow('parameters.on');
    expect(() => plan({ on: ['tier_downgrade'] })).toThrow('parameters.on[0]');
    expect(() => plan({ callWithinDays: 0 })).toThrow('parameters.callWithinDays');
  });

  it('targets the tiering plugin segments: customers now in mid, high-end or private tiers', async () => {
    const t = await createTestKernel({ plugins: [tieringPlugin, upgradeCongratulationPlugin], customers: 3000 });
    const table = t.model.table;
    const tiers = plan({}).audience.segments;
    const offered = (await t.kernel.segmentStrategies.get('tiering')).segments().map((segment) => segment.id);
    const memberships = await t.model.evaluate('tiering');
    const members = new Set<number>();
    for (const segmentId of tiers) {
      expect(offered).toContain(segmentId);
      for (const row of memberships.get(segmentId) ?? []) members.add(row);
    }
    expect(members.size).toBeGreaterThan(0);
    expect(members.size).toBeLessThan(table.size);
    for (const row of members) expect(['mid', 'high_end', 'private']).toContain(table.value(row, TIER_ATTRIBUTE));
    await t.dispose();
  });
});
