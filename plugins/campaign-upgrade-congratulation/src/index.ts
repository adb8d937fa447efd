// @kequn/plugin-campaign-upgrade-congratulation — 升级祝贺与新客户经理介绍 (DOMAIN.md §4, §6): when a
// customer moves up a tier or is handed to a new manager, they are congratulated and introduced to
// the manager, who calls within two days to establish contact; a second attempt follows if the call
// did not reach them. A service campaign: no selling in the message.
import { definePlugin } from '@kequn/core';
import { defineCampaignType, type CampaignPlanInput } from '@kequn/campaigns';
import { upgradeCongratulationParametersSchema, type UpgradeCongratulationParameters } from './parameters.js';

export { upgradeCongratulationParametersSchema, upgradeEvents, type UpgradeCongratulationParameters } from './parameters.js';

export const UPGRADE_CONGRATULATION_CAMPAIGN_TYPE = 'upgrade-congratulation';

export function planUpgradeCongratulation(parameters: UpgradeCongratulationParameters): CampaignPlanInput {
  const { tiers, on, channel, callWithinDays, windowDays } = parameters;
  return {
    audience: { segments: [...tiers] },
    journey: [
      {
        id: 'congratulate',
        type: 'send',
        label: { 'zh-CN': '升级祝贺与经理介绍', en: 'Congratulation and introduction' },
        channel,
        template: {
          id: 'upgrade-congratulation.congratulate',
          subject: { 'zh-CN': '恭喜您升级', en: 'Congratulations on your upgrade' },
          text: {
            'zh-CN': '尊敬的{{name}}，感谢您长期以来对我行的信赖与支持，您已升级为我行{{tierLabel}}。我行为您配备了专属理财经理{{managerName}}，为您提供一对一的理财顾问服务，{{managerName}}将在近日与您联系。欢迎您在方便的时间莅临我行面谈。',
            en: 'Dear {{name}}, thank you for your long-standing trust. You are now one of our {{tierLabel}} customers, and {{managerName}} will be your dedicated relationship manager, offering one-to-one advice. {{managerName}} will call you in the next few days; you are also welcome to visit us whenever it suits you.',
          },
        },
      },
      {
        id: 'welcome-call',
        type: 'task',
        label: { 'zh-CN': '新理财经理首次致电', en: 'Welcome call by the new manager' },
        task: 'call',
        dueInDays: callWithinDays,
        toolkit: {
          script: {
            'zh-CN': [
              '准备：通话前阅读客户信息表与移交资料，向原理财经理了解客户情况与偏好。',
              '表明身份：{{name}}您好，我是XX行的理财经理{{managerName}}，恭喜您升级为我行{{tierLabel}}，今后由我为您提供一对一服务。',
              '建立联系：询问客户方便的联系方式与时间，介绍{{tierLabel}}可享受的服务与权益。',
              '邀约面谈：您看近期哪天方便来行里坐坐？我为您做一次完整的资产配置检视。客户暂不方便的，约定下次联系时间。',
              '记录：通话后登记联系结果(已联系/未接通)。',
            ].join('\n'),
            en: [
              'Prepare: read the customer file and the hand-off notes; ask the previous manager about the customer and their preferences.',
              'Introduce yourself: Hello {{name}}, this is {{managerName}} from the bank. Congratulations on becoming one of our {{tierLabel}} customers; I will be looking after you from now on.',
              'Connect: ask how and when they prefer to be contacted, and explain the services and benefits of {{tierLabel}}.',
              'Invite: would you like to come in one day soon for a full review of your arrangements? If not now, agree when to talk next.',
              'Record: log the outcome (reached / no answer) after the call.',
            ].join('\n'),
          },
          materials: [
            { title: { 'zh-CN': '客户提升移交审批表与客户信息表', en: 'Hand-off form and customer file' } },
            { title: { 'zh-CN': '本层级客户服务与权益介绍', en: 'Services and benefits of the tier' } },
          ],
        },
      },
      {
        id: 'wait-reached',
        type: 'wait',
        label: { 'zh-CN': '等待联系结果', en: 'Wait for the call outcome' },
        until: { responses: ['reached'], timeout: { days: callWithinDays + 1 } },
      },
      { id: 'reached', type: 'branch', label: { 'zh-CN': '是否已联系上', en: 'Reached?' }, if: { responded: ['reached'] }, then: null, else: 'retry-call' },
      {
        id: 'retry-call',
        type: 'task',
        label: { 'zh-CN': '再次联系', en: 'Second attempt' },
        task: 'call',
        dueInDays: 3,
        toolkit: {
          script: {
            'zh-CN': '换一个时段再次致电(如午休或傍晚，避开休息时间)；仍未接通的，通过企业微信留言介绍自己，或请原理财经理协助引荐。',
            en: 'Call again at a different time of day (lunchtime or early evening, never at rest hours); if still unanswered, leave a WeCom message introducing yourself, or ask the previous manager to make the introduction.',
          },
          materials: [],
        },
      },
    ],
    goal: {
      label: { 'zh-CN': '新理财经理与客户建立联系', en: 'New manager in contact with the customer' },
      windowDays,
      criterion: { response: 'reached', atLeast: 1 },
    },
    triggers: on.map((event) => ({ type: 'event' as const, event })),
    purpose: 'service',
  };
}

export const upgradeCongratulationCampaignType = defineCampaignType({ parameters: upgradeCongratulationParametersSchema, plan: planUpgradeCongratulation });

export const upgradeCongratulationPlugin = definePlugin({
  id: 'campaign-upgrade-congratulation',
  version: '0.1.0',
  displayName: { 'zh-CN': '升级祝贺与新理财经理介绍', en: 'Upgrade congratulation' },
  description: {
    'zh-CN': '客户升层或移交新理财经理时发送祝贺并介绍新理财经理，新理财经理两日内致电建立联系。',
    en: 'On a tier upgrade or hand-off, congratulates the customer and introduces the new manager, who calls within two days.',
  },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      {
        id: UPGRADE_CONGRATULATION_CAMPAIGN_TYPE,
        label: { 'zh-CN': '升级祝贺', en: 'Upgrade congratulation' },
        description: {
          'zh-CN': '升层或移交审批通过时触发：祝贺与新理财经理介绍、两日内首次致电、未接通再次联系；联系上客户即为达成。',
          en: 'Triggered by a tier upgrade or an approved hand-off: a congratulation introducing the new manager, a welcome call within two days and a second attempt; met when the customer is reached.',
        },
      },
    ],
  },
  activate(context) {
    context.campaignTypes.register(UPGRADE_CONGRATULATION_CAMPAIGN_TYPE, upgradeCongratulationCampaignType);
  },
});

export default upgradeCongratulationPlugin;
