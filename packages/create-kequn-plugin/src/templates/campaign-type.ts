// Template: a campaign type — a two-step journey (an invitation, then the manager's call) for payroll
// customers below an asset threshold, with the goal measured as reaching the threshold (达标).
import type { PluginName } from '../names.js';
import type { PluginTemplate } from './template.js';

function source(name: PluginName): string {
  const { identifier, typeName, pluginId, packageName, constant } = name;
  return `// ${packageName} — a Kequn campaign type: payroll customers (代发工资客户) whose assets are below a
// threshold are invited by message to move savings to the bank, and their manager calls them a few
// days later. The campaign has met its goal for a customer whose assets reach the threshold.
import { definePlugin } from '@kequn/core';
import { defineCampaignType, type CampaignPlanInput } from '@kequn/campaigns';
import { z } from 'zod';

export const ${constant}_CAMPAIGN_TYPE = '${pluginId}';

export const ${identifier}ParametersSchema = z.strictObject({
  /** Assets (CNY) a customer is invited to reach; customers already there are not in the audience. */
  threshold: z.number().positive().default(50_000),
  /** Channel of the invitation. */
  channel: z.enum(['sms', 'wecom']).default('sms'),
  /** Working days the manager has for the follow-up call. */
  callWithinDays: z.number().int().min(1).max(10).default(3),
  /** Days after enrolment in which reaching the threshold counts. */
  windowDays: z.number().int().min(7).max(90).default(30),
});
export type ${typeName}Parameters = z.output<typeof ${identifier}ParametersSchema>;

export function plan${typeName}(parameters: ${typeName}Parameters): CampaignPlanInput {
  const { threshold, channel, callWithinDays, windowDays } = parameters;
  return {
    audience: {
      rule: {
        all: [
          { attribute: 'behaviour.payrollEmployerId', op: 'isNotNull' },
          { attribute: 'assets.currentAum', op: 'lt', value: threshold },
        ],
      },
    },
    journey: [
      {
        id: 'invite',
        type: 'send',
        label: { 'zh-CN': '邀约短信', en: 'Invitation' },
        channel,
        template: {
          id: '${pluginId}.invite',
          text: {
            'zh-CN': '尊敬的{{name}}，感谢您选择我行代发工资服务。您的专属理财经理{{managerName}}将在近日与您联系，为您介绍适合工资理财的产品。',
            en: 'Dear {{name}}, thank you for having your salary paid through us. {{managerName}}, your relationship manager, will call you shortly about savings plans that suit a monthly salary.',
          },
        },
      },
      {
        id: 'follow-up-call',
        type: 'task',
        label: { 'zh-CN': '理财经理致电', en: 'Manager call' },
        task: 'call',
        dueInDays: callWithinDays,
        toolkit: {
          script: {
            'zh-CN': '问候并确认客户已收到短信；了解工资到账后的资金安排；介绍定投与工资理财产品；客户有意向的，约定面谈时间。',
            en: 'Greet and check the message arrived; ask how the salary is used once paid; introduce regular saving plans; if interested, agree a meeting.',
          },
          materials: [{ title: { 'zh-CN': '工资理财产品介绍', en: 'Salary savings products' } }],
        },
      },
    ],
    goal: {
      label: { 'zh-CN': '资产达到门槛', en: 'Assets reach the threshold' },
      windowDays,
      criterion: { aumAtLeast: threshold },
    },
    triggers: [{ type: 'start' }],
    purpose: 'marketing',
  };
}

export const ${identifier}CampaignType = defineCampaignType({ parameters: ${identifier}ParametersSchema, plan: plan${typeName} });

export const ${identifier}Plugin = definePlugin({
  id: '${pluginId}',
  version: '0.1.0',
  displayName: { 'zh-CN': '代发客户资产提升', en: 'Payroll savings uplift' },
  description: {
    'zh-CN': '资产低于门槛的代发客户：短信邀约，理财经理跟进致电；资产达到门槛即为达成。',
    en: 'Payroll customers below an asset threshold: an invitation, then a call by their manager; met when assets reach the threshold.',
  },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      {
        id: ${constant}_CAMPAIGN_TYPE,
        label: { 'zh-CN': '代发客户资产提升', en: 'Payroll savings uplift' },
        description: {
          'zh-CN': '邀约短信与理财经理致电两步旅程，以资产达标衡量。',
          en: 'A two-step journey, invitation then call, measured by assets reaching the threshold.',
        },
      },
    ],
  },
  activate(context) {
    context.campaignTypes.register(${constant}_CAMPAIGN_TYPE, ${identifier}CampaignType);
  },
});

export default ${identifier}Plugin;
`;
}

function test(name: PluginName): string {
  const { identifier, constant } = name;
  const typeId = `${constant}_CAMPAIGN_TYPE`;
  return `import { describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { planCampaign } from '@kequn/campaigns';
import { createSegmentEngine, tableAttributes } from '@kequn/segments';
import { ${typeId}, ${identifier}Plugin } from '../src/index.js';

describe('payroll savings uplift campaign type', () => {
  it('plans an invitation followed by the manager call, measured by the threshold', async () => {
    const t = await createTestKernel({ plugins: [${identifier}Plugin] });
    const campaignType = await t.kernel.campaignTypes.get(${typeId});
    const { plan } = planCampaign(${typeId}, campaignType, { threshold: 80_000, callWithinDays: 2 });
    expect(plan.journey.map((step) => step.type)).toEqual(['send', 'task']);
    const [, call] = plan.journey;
    expect(call?.type === 'task' ? call.dueInDays : undefined).toBe(2);
    expect(plan.goal.criterion).toEqual({ aumAtLeast: 80_000 });
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('refuses parameters with an error naming the field', async () => {
    const t = await createTestKernel({ plugins: [${identifier}Plugin] });
    const campaignType = await t.kernel.campaignTypes.get(${typeId});
    expect(() => planCampaign(${typeId}, campaignType, { threshold: -1 })).toThrow('parameters.threshold');
    expect(() => planCampaign(${typeId}, campaignType, { channel: 'fax' })).toThrow('parameters.channel');
    await t.dispose();
  });

  it('targets payroll customers below the threshold only', async () => {
    const t = await createTestKernel({ plugins: [${identifier}Plugin], customers: 2000 });
    const campaignType = await t.kernel.campaignTypes.get(${typeId});
    const { plan } = planCampaign(${typeId}, campaignType, {});
    const rule = plan.audience.rule;
    if (rule === undefined) throw new Error('the audience is a rule');
    const table = t.model.table;
    const engine = createSegmentEngine({ segments: [{ id: 'audience', rule }], attributes: tableAttributes(table) });
    const audience = [...(engine.evaluate(table).get('audience') ?? [])];
    expect(audience.length).toBeGreaterThan(0);
    for (const row of audience) {
      expect(table.value(row, 'behaviour.payrollEmployerId')).not.toBeNull();
      expect(Number(table.value(row, 'assets.currentAum'))).toBeLessThan(50_000);
    }
    await t.dispose();
  });
});
`;
}

function readme(name: PluginName): string {
  const { identifier, pluginId } = name;
  return `A campaign type: payroll customers (代发工资客户) below an asset threshold receive an invitation and,
a few days later, a call from their relationship manager; the goal is met for a customer whose assets
reach the threshold within the window. The plan is validated by \`@kequn/campaigns\`.

\`\`\`ts
import { createKernel } from '@kequn/core';
import { planCampaign } from '@kequn/campaigns';
import { ${identifier}Plugin } from '${name.packageName}';

const kernel = createKernel({ plugins: [${identifier}Plugin] });
await kernel.start();
const campaignType = await kernel.campaignTypes.get('${pluginId}');
const { plan } = planCampaign('${pluginId}', campaignType, { threshold: 80_000, channel: 'wecom' });
console.log(plan.journey.map((step) => step.id)); // ['invite', 'follow-up-call']
\`\`\`

Change the audience, journey and goal in \`plan${name.typeName}\` (\`src/index.ts\`), and the parameters a
bank may set in \`${identifier}ParametersSchema\`.`;
}

export const campaignTypeTemplate: PluginTemplate = {
  summary: 'A Kequn campaign type: invitation then manager call for payroll customers below an asset threshold',
  uses: ['@kequn/campaigns'],
  testUses: ['@kequn/segments'],
  source,
  test,
  readme,
};
