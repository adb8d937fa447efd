// @kequn/plugin-campaign-maturity-remarketing — 产品到期再营销 (DOMAIN.md §6): before a deposit or
// wealth product matures, the manager calls with re-investment options and the customer gets a
// reminder; if nothing was re-invested after the maturity, the manager follows up once.
import { definePlugin, type LocalizedText } from '@kequn/core';
import { defineCampaignType, type CampaignPlanInput, marketingText } from '@kequn/campaigns';
import { maturityRemarketingParametersSchema, type MaturityRemarketingParameters } from './parameters.js';

export { maturityRemarketingParametersSchema, type MaturityRemarketingParameters } from './parameters.js';

export const MATURITY_REMARKETING_CAMPAIGN_TYPE = 'maturity-remarketing';

function optionList(options: readonly LocalizedText[]): LocalizedText {
  return { 'zh-CN': options.map((option) => option['zh-CN']).join('、'), en: options.map((option) => option.en).join('; ') };
}

export function planMaturityRemarketing(parameters: MaturityRemarketingParameters): CampaignPlanInput {
  const { leadDays, minMaturingAmount, reinvestmentOptions, productTypes, channel, followUpDays, windowDays, enrolOnMaturityEvent } = parameters;
  const options = optionList(reinvestmentOptions);
  const maturingSoon = { attribute: 'holdings.nextMaturityDate', op: 'withinNext', value: { days: leadDays } };
  const materials = reinvestmentOptions.map((option) => ({ title: option }));
  return {
    audience: {
      rule: minMaturingAmount > 0 ? { all: [maturingSoon, { attribute: 'holdings.maturingAmount30d', op: 'gte', value: minMaturingAmount }] } : maturingSoon,
    },
    journey: [
      {
        id: 'call',
        type: 'task',
        label: { 'zh-CN': '到期前电话沟通', en: 'Call before maturity' },
        task: 'call',
        // The call must happen before the money matures.
        dueInDays: Math.min(3, leadDays),
        toolkit: {
          script: {
            'zh-CN': [
              '开场：女士/先生，您好。我是您在我行的专属理财经理{{managerName}}。',
              '说明：您在我行办理的产品即将到期，提前跟您说一声，方便您安排这笔资金。',
              `了解需求：这笔资金近期是否有用途？您更看重流动性、期限还是收益？`,
              `介绍：可以考虑${options['zh-CN']}；请说明各自的期限、风险等级与流动性，不承诺收益，按客户风险评估结果推荐。`,
              '结束：如需办理，来网点之前可以先联系我，我提前为您准备好，谢谢。',
            ].join('\n'),
            en: [
              'Opening: Hello, this is {{managerName}}, your relationship manager.',
              'Explain: a product you hold with us matures soon; I am calling ahead so you can plan for the money.',
              'Needs: will you need the money soon? Do you care most about access, term or return?',
              `Options: ${options.en}. Explain term, risk level and access for each, never promise a return, and recommend only what the customer's risk assessment allows.`,
              'Close: if you would like to go ahead, call me before you come to the branch and I will have everything ready. Thank you.',
            ].join('\n'),
          },
          materials,
        },
      },
      {
        id: 'remind',
        type: 'send',
        label: { 'zh-CN': '到期提醒', en: 'Maturity reminder' },
        channel,
        template: {
          id: 'maturity-remarketing.remind',
          subject: { 'zh-CN': '产品到期提醒', en: 'Your product matures soon' },
          text: marketingText(channel, {
            'zh-CN': '尊敬的{{name}}，您在我行持有的产品即将到期，到期资金将按约定转入您的账户。如需了解续存或其他稳健型产品，欢迎联系您的理财经理{{managerName}}。',
            en: 'Dear {{name}}, a product you hold with us matures soon and the funds will be paid into your account as agreed. If you would like to hear about renewing or other low-risk options, your relationship manager {{managerName}} is happy to help.',
          }),
        },
      },
      { id: 'wait-maturity', type: 'wait', label: { 'zh-CN': '等待到期与客户决定', en: 'Until the maturity and a decision' }, duration: { days: followUpDays } },
      { id: 'reinvested', type: 'branch', label: { 'zh-CN': '是否已再投资', en: 'Re-invested?' }, if: { goalMet: true }, then: null, else: 'follow-up' },
      {
        id: 'follow-up',
        type: 'task',
        label: { 'zh-CN': '到期后回访', en: 'Follow-up after maturity' },
        task: 'call',
        dueInDays: 3,
        toolkit: {
          script: {
            'zh-CN': [
              '开场：女士/先生，您好，我是您的理财经理{{managerName}}，您的产品已经到期，资金已转入您的账户。',
              '关心：这笔资金是否已有安排？如暂不需要，放在活期收益较低，可以了解一下其他安排。',
              `介绍：${options['zh-CN']}。客户已有安排的，感谢并结束通话，不再重复推荐。`,
            ].join('\n'),
            en: [
              'Opening: Hello, this is {{managerName}}, your relationship manager. Your product has matured and the money is in your account.',
              'Care: do you have plans for it? Left in a demand account it earns little, so other options may be worth a look.',
              `Options: ${options.en}. If the customer has already decided, thank them and end the call without pressing again.`,
            ].join('\n'),
          },
          materials,
        },
      },
    ],
    goal: {
      label: { 'zh-CN': '到期资金在我行再投资', en: 'Maturing money re-invested with us' },
      windowDays,
      criterion: { purchase: { productTypes } },
    },
    triggers: enrolOnMaturityEvent ? [{ type: 'start' }, { type: 'event', event: 'maturity' }] : [{ type: 'start' }],
    purpose: 'marketing',
  };
}

export const maturityRemarketingCampaignType = defineCampaignType({ parameters: maturityRemarketingParametersSchema, plan: planMaturityRemarketing });

export const maturityRemarketingPlugin = definePlugin({
  id: 'campaign-maturity-remarketing',
  version: '0.1.0',
  displayName: { 'zh-CN': '产品到期再营销', en: 'Maturity re-marketing' },
  description: {
    'zh-CN': '存款或理财产品到期前，理财经理带着再投资方案电话沟通并发送到期提醒。',
    en: 'Before a deposit or wealth product matures, a manager call with re-investment options and a reminder.',
  },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      {
        id: MATURITY_REMARKETING_CAMPAIGN_TYPE,
        label: { 'zh-CN': '产品到期再营销', en: 'Maturity re-marketing' },
        description: {
          'zh-CN': '默认15天内有产品到期的客户：理财经理电话、到期提醒，到期后未再投资则回访一次；客户购买存款或理财类产品即为达成。',
          en: 'Customers with a product maturing within 15 days (default): a manager call and a reminder, one follow-up after maturity if nothing was re-invested; the goal is a deposit or investment purchase.',
        },
      },
    ],
  },
  activate(context) {
    context.campaignTypes.register(MATURITY_REMARKETING_CAMPAIGN_TYPE, maturityRemarketingCampaignType);
  },
});

export default maturityRemarketingPlugin;
