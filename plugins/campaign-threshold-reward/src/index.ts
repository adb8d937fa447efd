// @kequn/plugin-campaign-threshold-reward — 达标有礼 (DOMAIN.md §1 "effective" tier, §6): customers
// just below a tier bar are invited to bring their assets up to it and keep them there for a holding
// period; those who have not moved after a week get a call from their manager.
import { definePlugin } from '@kequn/core';
import { defineCampaignType, type CampaignPlanInput, formatAmount, marketingText } from '@kequn/campaigns';
import { thresholdRewardParametersSchema, type ThresholdRewardParameters } from './parameters.js';

export { thresholdRewardParametersSchema, aumBases, type ThresholdRewardParameters } from './parameters.js';

export const THRESHOLD_REWARD_CAMPAIGN_TYPE = 'threshold-reward';

/** The attribute the journey checks to see whether a customer has reached the bar today. */
const CURRENT_AUM = 'assets.currentAum';

export function planThresholdReward(parameters: ThresholdRewardParameters): CampaignPlanInput {
  const { bar, lowerBound, basis, holdDays, windowDays, reward, channel, firstFollowUpDays, callFollowUpDays } = parameters;
  const amount = formatAmount(bar);
  const reachedBar = { rule: { attribute: CURRENT_AUM, op: 'gte', value: bar } };
  return {
    audience: { rule: { all: [{ attribute: basis, op: 'gte', value: lowerBound }, { attribute: basis, op: 'lt', value: bar }] } },
    journey: [
      {
        id: 'invite',
        type: 'send',
        label: { 'zh-CN': '达标邀请', en: 'Invitation' },
        channel,
        template: {
          id: 'threshold-reward.invite',
          subject: { 'zh-CN': `${amount['zh-CN']}达标有礼`, en: `Reach ${amount.en} and receive a thank-you gift` },
          text: marketingText(channel, {
            'zh-CN': `尊敬的{{name}}，感谢您一直以来对我行的信赖。活动期间，您在我行的资产达到${amount['zh-CN']}并连续保持${holdDays}天，即可获赠${reward['zh-CN']}。如需了解详情，欢迎联系您的理财经理{{managerName}}。`,
            en: `Dear {{name}}, thank you for banking with us. During this campaign, when your assets with us reach ${amount.en} and stay there for ${holdDays} consecutive days, you will receive ${reward.en}. Your relationship manager {{managerName}} is happy to tell you more.`,
          }),
        },
      },
      { id: 'wait-first', type: 'wait', label: { 'zh-CN': '等待客户响应', en: 'Give the customer time' }, duration: { days: firstFollowUpDays } },
      { id: 'reached', type: 'branch', label: { 'zh-CN': '是否已达标', en: 'Reached the bar?' }, if: reachedBar, then: 'progress', else: 'call' },
      {
        id: 'call',
        type: 'task',
        label: { 'zh-CN': '理财经理电话沟通', en: 'Manager call' },
        task: 'call',
        dueInDays: 3,
        toolkit: {
          script: {
            'zh-CN': [
              `开场：您好，我是您在我行的理财经理{{managerName}}，感谢您一直以来的支持，耽误您两分钟时间可以吗？`,
              `说明：我行正在开展“${amount['zh-CN']}达标有礼”活动，资产达到${amount['zh-CN']}并连续保持${holdDays}天，可获赠${reward['zh-CN']}。`,
              `了解需求：请教客户近期的资金安排和关心的问题（收益、流动性、安全），客户不便时不追问。`,
              `建议：如客户有闲置资金，可介绍活期、定期与稳健型理财的选择，并讲清风险与期限；尊重客户决定，不承诺收益。`,
              `结束：感谢客户的时间，告知随时可以联系您。`,
            ].join('\n'),
            en: [
              `Opening: Hello, this is {{managerName}}, your relationship manager. Thank you for banking with us — do you have two minutes?`,
              `Explain: we are running a "${amount.en} thank-you" campaign: assets with us of ${amount.en} held for ${holdDays} consecutive days earn ${reward.en}.`,
              `Needs: ask about upcoming plans for their money and what matters to them (return, access, safety); do not press if it is not a good time.`,
              `Suggest: if they have idle funds, explain the choice between demand and time deposits and low-risk wealth products, with risks and terms; respect their decision and never promise returns.`,
              `Close: thank them for their time and tell them they can reach you any time.`,
            ].join('\n'),
          },
          materials: [
            { title: { 'zh-CN': '活动规则与达标说明', en: 'Campaign rules and how the bar is measured' } },
            { title: { 'zh-CN': '礼品与增值权益清单', en: 'Gifts and value-added benefits' } },
            { title: { 'zh-CN': '稳健型产品说明书', en: 'Low-risk product sheets' } },
          ],
        },
      },
      { id: 'wait-call', type: 'wait', label: { 'zh-CN': '电话后等待', en: 'After the call' }, duration: { days: callFollowUpDays } },
      { id: 'reached-after-call', type: 'branch', label: { 'zh-CN': '电话后是否达标', en: 'Reached the bar after the call?' }, if: reachedBar, then: 'progress', else: null },
      {
        id: 'progress',
        type: 'send',
        label: { 'zh-CN': '达标确认与持有提示', en: 'Bar reached: holding period' },
        channel,
        template: {
          id: 'threshold-reward.progress',
          text: marketingText(channel, {
            'zh-CN': `尊敬的{{name}}，您在我行的资产已达到${amount['zh-CN']}，感谢您的信任。连续保持满${holdDays}天后，${reward['zh-CN']}将为您送上。`,
            en: `Dear {{name}}, your assets with us have reached ${amount.en} — thank you for your trust. Once they have stayed there for ${holdDays} consecutive days, ${reward.en} will be on its way to you.`,
          }),
        },
      },
      { id: 'holding', type: 'wait', label: { 'zh-CN': '持有期', en: 'Holding period' }, duration: { days: holdDays } },
    ],
    goal: {
      label: { 'zh-CN': `资产达到${amount['zh-CN']}并保持${holdDays}天`, en: `Assets at ${amount.en} or more for ${holdDays} days` },
      windowDays,
      criterion: { aumAtLeast: bar, holdDays },
    },
    triggers: [{ type: 'start' }],
    purpose: 'marketing',
  };
}

export const thresholdRewardCampaignType = defineCampaignType({ parameters: thresholdRewardParametersSchema, plan: planThresholdReward });

export const thresholdRewardPlugin = definePlugin({
  id: 'campaign-threshold-reward',
  version: '0.1.0',
  displayName: { 'zh-CN': '达标有礼', en: 'Threshold reward' },
  description: {
    'zh-CN': '邀请资产接近层级门槛的客户达标并保持一段持有期，达标后给予回馈。',
    en: 'Invites customers just below a tier bar to reach it and hold it for a period, with a reward.',
  },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      {
        id: THRESHOLD_REWARD_CAMPAIGN_TYPE,
        label: { 'zh-CN': '达标有礼', en: 'Threshold reward' },
        description: {
          'zh-CN': '资产接近门槛(默认3万–5万元)的客户：短信邀请，7天后未达标由理财经理电话沟通；资产达标并保持持有期即为达成。',
          en: 'Customers just below a bar (default CNY 30k–50k): an invitation, a manager call after 7 days if not reached; the goal is the bar held for the holding period.',
        },
      },
    ],
  },
  activate(context) {
    context.campaignTypes.register(THRESHOLD_REWARD_CAMPAIGN_TYPE, thresholdRewardCampaignType);
  },
});

export default thresholdRewardPlugin;
