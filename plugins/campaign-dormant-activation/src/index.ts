// @kequn/plugin-campaign-dormant-activation — 休眠客户激活 (DOMAIN.md §6): contact plan → phone/SMS
// invitation → trusted opening → product presentation → close → ongoing care. The invitation only
// greets; the manager's call carries the opening and the presentation; activated customers get care,
// the others one gentle reminder.
import { definePlugin } from '@kequn/core';
import { defineCampaignType, type CampaignPlanInput, type Trigger, marketingText } from '@kequn/campaigns';
import { dormantActivationParametersSchema, type DormantActivationParameters } from './parameters.js';

export { dormantActivationParametersSchema, type DormantActivationParameters } from './parameters.js';

export const DORMANT_ACTIVATION_CAMPAIGN_TYPE = 'dormant-activation';

function triggersOf(parameters: DormantActivationParameters): Trigger[] {
  const triggers: Trigger[] = parameters.scheduleDates === undefined ? [{ type: 'start' }] : [{ type: 'schedule', dates: parameters.scheduleDates }];
  if (parameters.enrolOnSegmentEntry) triggers.push({ type: 'segment_entry', segments: parameters.segments });
  return triggers;
}

export function planDormantActivation(parameters: DormantActivationParameters): CampaignPlanInput {
  const { segments, channel, followUpDays, minTransactions, windowDays } = parameters;
  return {
    audience: { segments },
    journey: [
      {
        id: 'invite',
        type: 'send',
        label: { 'zh-CN': '问候与邀约', en: 'Greeting and invitation' },
        channel,
        template: {
          id: 'dormant-activation.invite',
          text: marketingText(channel, {
            'zh-CN': '尊敬的{{name}}，您好！我是您在我行的客户经理{{managerName}}。许久未见，近期将与您电话联系，为您做一次免费的账户检视，看看您的账户与资金安排是否仍然合适。如有任何需要，欢迎随时联系我。',
            en: 'Dear {{name}}, this is {{managerName}}, your relationship manager. It has been a while — I will call you soon to offer a free account review, to check that your accounts and arrangements still suit you. Please get in touch any time you need anything.',
          }),
        },
      },
      {
        id: 'call',
        type: 'task',
        label: { 'zh-CN': '电话邀约激活', en: 'Activation call' },
        task: 'call',
        dueInDays: 5,
        toolkit: {
          script: {
            'zh-CN': [
              '信任开场：您好，我是XX行的客户经理{{managerName}}，前几天给您发过短信。今天打电话主要是关心一下您账户的使用情况，占用您两分钟可以吗？',
              '了解近况：您最近是否还在使用我行的账户？有没有遇到不方便的地方（网点、手机银行、转账）？',
              '产品呈现：根据客户所说的需要，只介绍一到两样：手机银行的便捷功能、活期资金的稳健安排或近期的客户活动；讲清期限与风险。',
              '促成：客户有兴趣的，邀请其到网点面谈或帮助其开通手机银行；客户无意愿的，感谢并结束，不重复推荐。',
              '持续维护：记录客户的需要与方便联系的时间，约定下一次联系。',
            ].join('\n'),
            en: [
              'Trusted opening: Hello, this is {{managerName}} from the bank — I sent you a message a few days ago. I am calling to check how your account is working for you; do you have two minutes?',
              'Their situation: do you still use your account with us? Has anything been inconvenient (branch, mobile banking, transfers)?',
              'Presentation: based on what they said, present one or two things only: handy mobile-banking features, a low-risk home for idle funds, or upcoming customer events; explain terms and risks.',
              'Close: if interested, invite them to the branch or help them set up mobile banking; if not, thank them and end without pressing.',
              'Ongoing care: note their needs and a convenient time, and agree on the next contact.',
            ].join('\n'),
          },
          materials: [
            { title: { 'zh-CN': '手机银行开通与使用指引', en: 'Mobile banking set-up guide' } },
            { title: { 'zh-CN': '稳健型产品一览', en: 'Low-risk products at a glance' } },
            { title: { 'zh-CN': '近期客户活动日历', en: 'Upcoming customer events' } },
          ],
        },
      },
      { id: 'wait-activity', type: 'wait', label: { 'zh-CN': '观察是否恢复交易', en: 'Watch for activity' }, duration: { days: followUpDays } },
      { id: 'active', type: 'branch', label: { 'zh-CN': '是否已激活', en: 'Active again?' }, if: { goalMet: true }, then: 'care', else: 'reminder' },
      {
        id: 'reminder',
        type: 'send',
        label: { 'zh-CN': '温馨提醒', en: 'Gentle reminder' },
        channel,
        template: {
          id: 'dormant-activation.reminder',
          text: marketingText(channel, {
            'zh-CN': '尊敬的{{name}}，您的账户仍在为您保留。通过手机银行即可随时查询和办理业务，如需帮助开通或有任何疑问，欢迎联系您的客户经理{{managerName}}。',
            en: 'Dear {{name}}, your account is still here for you. Mobile banking lets you check and manage it any time; if you would like help setting it up, or have any question, your relationship manager {{managerName}} is glad to help.',
          }),
        },
      },
      { id: 'done', type: 'exit', label: { 'zh-CN': '结束', en: 'End' } },
      {
        id: 'care',
        type: 'send',
        label: { 'zh-CN': '持续关怀', en: 'Ongoing care' },
        channel,
        template: {
          id: 'dormant-activation.care',
          text: marketingText(channel, {
            'zh-CN': '尊敬的{{name}}，感谢您再次选择我行。今后有任何业务或理财方面的需要，欢迎随时联系您的客户经理{{managerName}}，我们将竭诚为您服务。',
            en: 'Dear {{name}}, thank you for banking with us again. Whenever you need anything, your relationship manager {{managerName}} is here to help.',
          }),
        },
      },
    ],
    goal: {
      label: { 'zh-CN': '客户恢复交易', en: 'Customer active again' },
      windowDays,
      criterion: { activity: { minTransactions } },
      // Activated customers still receive the care message: care is part of the pattern.
      exitOnGoal: false,
    },
    triggers: triggersOf(parameters),
    purpose: 'marketing',
  };
}

export const dormantActivationCampaignType = defineCampaignType({ parameters: dormantActivationParametersSchema, plan: planDormantActivation });

export const dormantActivationPlugin = definePlugin({
  id: 'campaign-dormant-activation',
  version: '0.1.0',
  displayName: { 'zh-CN': '休眠客户激活', en: 'Dormant activation' },
  description: {
    'zh-CN': '对休眠客户进行问候邀约、电话激活与持续关怀。',
    en: 'Greets dormant customers, calls them with a trusted opening and a presentation, and keeps caring for those who return.',
  },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      {
        id: DORMANT_ACTIVATION_CAMPAIGN_TYPE,
        label: { 'zh-CN': '休眠客户激活', en: 'Dormant activation' },
        description: {
          'zh-CN': '休眠客群：短信问候、理财经理电话激活(信任开场、产品呈现、促成)，恢复交易者持续关怀，其余温馨提醒一次。',
          en: 'Dormant customers: a greeting, a manager call (trusted opening, presentation, close), care for those who return and one gentle reminder for the others.',
        },
      },
    ],
  },
  activate(context) {
    context.campaignTypes.register(DORMANT_ACTIVATION_CAMPAIGN_TYPE, dormantActivationCampaignType);
  },
});

export default dormantActivationPlugin;
