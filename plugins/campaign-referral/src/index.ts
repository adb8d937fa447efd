// @kequn/plugin-campaign-referral — 推荐计划 (DOMAIN.md §6, §8): engaged customers are invited to
// introduce friends and family. A referral is a `referred` response on the referrer's enrolment that
// names the referee; the engine keeps the referral graph and the referrer's goal is met when a referee
// reaches the asset bar.
import { definePlugin } from '@kequn/core';
import { defineCampaignType, type CampaignPlanInput, formatAmount, marketingText } from '@kequn/campaigns';
import { referralParametersSchema, type ReferralParameters } from './parameters.js';

export { referralParametersSchema, type ReferralParameters } from './parameters.js';

export const REFERRAL_CAMPAIGN_TYPE = 'referral';

export function planReferral(parameters: ReferralParameters): CampaignPlanInput {
  const { segments, exclude, refereeAumAtLeast, reward, channel, reminderDays, windowDays } = parameters;
  const bar = formatAmount(refereeAumAtLeast);
  const waitForReferral = { responses: ['referred' as const], timeout: { days: reminderDays } };
  return {
    audience: { segments, exclude },
    journey: [
      {
        id: 'invite',
        type: 'send',
        label: { 'zh-CN': '推荐邀请', en: 'Invitation to refer' },
        channel,
        template: {
          id: 'referral.invite',
          subject: { 'zh-CN': '感谢您的信任，诚邀您推荐亲友', en: 'Thank you — would you introduce a friend?' },
          text: marketingText(channel, {
            'zh-CN': `尊敬的{{name}}，感谢您对我行的信任与支持。如您的亲友也需要理财或日常金融服务，欢迎推荐他们与我们相识：请亲友办理业务时提及您的姓名，或告诉您的理财经理{{managerName}}。亲友在我行资产达到${bar['zh-CN']}后，您将获赠${reward['zh-CN']}。`,
            en: `Dear {{name}}, thank you for your trust. If friends or family could use our wealth or everyday banking services, we would be glad to meet them: they can mention your name when they visit, or you can tell your relationship manager {{managerName}}. When their assets with us reach ${bar.en}, you will receive ${reward.en}.`,
          }),
        },
      },
      { id: 'wait-referral', type: 'wait', label: { 'zh-CN': '等待推荐', en: 'Wait for a referral' }, until: waitForReferral },
      { id: 'referred', type: 'branch', label: { 'zh-CN': '是否已推荐', en: 'Referred someone?' }, if: { responded: ['referred'] }, then: 'thanks', else: 'reminder' },
      {
        id: 'reminder',
        type: 'send',
        label: { 'zh-CN': '推荐提醒', en: 'Reminder' },
        channel,
        template: {
          id: 'referral.reminder',
          text: marketingText(channel, {
            'zh-CN': `尊敬的{{name}}，我行推荐计划仍在进行中。若您的亲友有金融服务需要，欢迎介绍给您的理财经理{{managerName}}，亲友资产达到${bar['zh-CN']}后，${reward['zh-CN']}将送给您。`,
            en: `Dear {{name}}, our referral programme is still open. If friends or family need financial services, you are welcome to introduce them to your relationship manager {{managerName}}; once their assets with us reach ${bar.en}, ${reward.en} is yours.`,
          }),
        },
      },
      { id: 'wait-again', type: 'wait', label: { 'zh-CN': '再次等待推荐', en: 'Wait again' }, until: waitForReferral },
      { id: 'referred-late', type: 'branch', label: { 'zh-CN': '提醒后是否推荐', en: 'Referred after the reminder?' }, if: { responded: ['referred'] }, then: 'thanks', else: null },
      {
        id: 'thanks',
        type: 'send',
        label: { 'zh-CN': '感谢推荐', en: 'Thanks for the referral' },
        channel,
        template: {
          id: 'referral.thanks',
          text: marketingText(channel, {
            'zh-CN': `尊敬的{{name}}，感谢您向我们推荐亲友，我们会用心为他们服务。亲友在我行资产达到${bar['zh-CN']}后，${reward['zh-CN']}将为您送上。`,
            en: `Dear {{name}}, thank you for introducing your friend to us — we will take good care of them. Once their assets with us reach ${bar.en}, ${reward.en} will be on its way to you.`,
          }),
        },
      },
    ],
    goal: {
      label: { 'zh-CN': `推荐的亲友资产达到${bar['zh-CN']}`, en: `A referred friend reaches ${bar.en}` },
      windowDays,
      criterion: { referral: { refereeAumAtLeast } },
    },
    triggers: [{ type: 'start' }],
    purpose: 'marketing',
  };
}

export const referralCampaignType = defineCampaignType({ parameters: referralParametersSchema, plan: planReferral });

export const referralPlugin = definePlugin({
  id: 'campaign-referral',
  version: '0.1.0',
  displayName: { 'zh-CN': '推荐计划', en: 'Referral programme' },
  description: {
    'zh-CN': '邀请高粘性客户推荐亲友，亲友资产达标后奖励推荐人。',
    en: 'Invites engaged customers to introduce friends and family, rewarding the referrer when a referee qualifies.',
  },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      {
        id: REFERRAL_CAMPAIGN_TYPE,
        label: { 'zh-CN': '推荐计划', en: 'Referral programme' },
        description: {
          'zh-CN': '默认A、B类客户：推荐邀请、14天后提醒一次、推荐后致谢；被推荐人资产达到5万元时推荐人达成。',
          en: 'ABCD classes A and B by default: an invitation, one reminder after 14 days, thanks after a referral; met when a referee reaches CNY 50,000.',
        },
      },
    ],
  },
  activate(context) {
    context.campaignTypes.register(REFERRAL_CAMPAIGN_TYPE, referralCampaignType);
  },
});

export default referralPlugin;
