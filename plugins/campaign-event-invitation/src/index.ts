// @kequn/plugin-campaign-event-invitation — 预约来访, 沙龙, 讲座, 开放日 and 关怀活动 (DOMAIN.md §5
// "execution", §6): an invitation offering two time slots, a manager's personal invitation for those
// who have not registered, a reminder the day before for those who have; the goal is attendance.
//
// Timing is anchored on the event: the campaign enrols on `eventDate - inviteDaysBefore` (a schedule
// trigger), so fixed waits land the reminder exactly on the day before the event.
import { definePlugin, fromEpochDay, toEpochDay, type LocalizedText } from '@kequn/core';
import { defineCampaignType, type Audience, type CampaignPlanInput, marketingText } from '@kequn/campaigns';
import { eventInvitationParametersSchema, type EventInvitationParameters } from './parameters.js';
import { defaultEventNames, formatEventDate, formatSlot } from './wording.js';

export { eventInvitationParametersSchema, eventKinds, timeSlotSchema, type EventInvitationParameters, type EventKind, type TimeSlot } from './parameters.js';

export const EVENT_INVITATION_CAMPAIGN_TYPE = 'event-invitation';

function audienceOf(parameters: EventInvitationParameters): Audience {
  const wealthHolders = { attribute: 'holdings.productTypes', op: 'containsAny', value: ['wealth', 'fund', 'structured_deposit'] };
  return {
    segments: parameters.segments,
    exclude: [],
    ...(parameters.wealthHoldersOnly ? { rule: wealthHolders } : {}),
  };
}

function invitationText(parameters: EventInvitationParameters, name: LocalizedText, date: LocalizedText, slots: [string, string]): LocalizedText {
  const { place, capacity } = parameters;
  if (parameters.kind === 'appointment')
    return {
      'zh-CN': `尊敬的{{name}}，我是您的理财经理{{managerName}}。我行正在为客户提供免费的${name['zh-CN']}，由专业理财经理为您检视目前的理财安排是否符合您现在和未来的规划。${date['zh-CN']}在${place['zh-CN']}，您看${slots[0]}或${slots[1]}哪个时间方便？回复1或2即可预约(名额有限，共${String(capacity)}席)。`,
      en: `Dear {{name}}, this is {{managerName}}, your relationship manager. We are offering customers a free ${name.en}: a professional adviser reviews whether your current arrangements still fit your plans. On ${date.en} at ${place.en}, would ${slots[0]} or ${slots[1]} suit you better? Reply 1 or 2 to book (${String(capacity)} places).`,
    };
  return {
    'zh-CN': `尊敬的{{name}}，诚邀您参加我行${name['zh-CN']}：${date['zh-CN']}在${place['zh-CN']}举办，分${slots[0]}与${slots[1]}两场(名额有限，共${String(capacity)}席)。回复1或2即可报名，也可联系您的理财经理{{managerName}}。`,
    en: `Dear {{name}}, you are warmly invited to our ${name.en} on ${date.en} at ${place.en}, in two sessions: ${slots[0]} and ${slots[1]} (${String(capacity)} places). Reply 1 or 2 to register, or contact your relationship manager {{managerName}}.`,
  };
}

export function planEventInvitation(parameters: EventInvitationParameters): CampaignPlanInput {
  const { eventDate, place, timeSlots, capacity, channel, inviteDaysBefore, registrationDays } = parameters;
  const name = parameters.eventName ?? defaultEventNames[parameters.kind];
  const date = formatEventDate(eventDate);
  const slots: [string, string] = [formatSlot(timeSlots[0]), formatSlot(timeSlots[1])];
  const inviteDate = fromEpochDay(toEpochDay(eventDate) - inviteDaysBefore);
  const registered = { responded: ['registered' as const] };
  return {
    audience: audienceOf(parameters),
    journey: [
      {
        id: 'invite',
        type: 'send',
        label: { 'zh-CN': '发送邀请', en: 'Invitation' },
        channel,
        template: {
          id: `event-invitation.${parameters.kind}.invite`,
          subject: { 'zh-CN': `诚邀参加${name['zh-CN']}`, en: `Invitation: ${name.en}` },
          text: marketingText(channel, invitationText(parameters, name, date, slots)),
        },
      },
      { id: 'wait-reply', type: 'wait', label: { 'zh-CN': '等待报名', en: 'Wait for registration' }, duration: { days: registrationDays } },
      { id: 'registered', type: 'branch', label: { 'zh-CN': '是否已报名', en: 'Registered?' }, if: registered, then: 'wait-event', else: 'invite-call' },
      {
        id: 'invite-call',
        type: 'task',
        label: { 'zh-CN': '理财经理邀约', en: 'Manager invitation' },
        task: 'invite',
        dueInDays: 2,
        toolkit: {
          script: {
            'zh-CN': [
              `开场：您好，我是XX行理财经理{{managerName}}，前几天给您发过${name['zh-CN']}的邀请。`,
              parameters.kind === 'appointment'
                ? `介绍：${date['zh-CN']}在${place['zh-CN']}，由专业理财经理一对一帮您检视目前的理财安排是否符合需要，完全免费。`
                : `介绍：${date['zh-CN']}在${place['zh-CN']}举办，免费参加，可以和其他客户交流，也可以现场向理财经理咨询。`,
              `二择一定时间：您看${slots[0]}还是${slots[1]}方便？`,
              '确认：客户同意后登记报名并复述时间地点；客户不方便的，感谢并询问以后是否愿意收到类似活动邀请。',
            ].join('\n'),
            en: [
              `Opening: Hello, this is {{managerName}} from the bank — I sent you an invitation to our ${name.en} a few days ago.`,
              parameters.kind === 'appointment'
                ? `Explain: on ${date.en} at ${place.en}, a professional adviser reviews one to one whether your arrangements still fit; it is free.`
                : `Explain: it takes place on ${date.en} at ${place.en}, it is free, and you can meet other customers and ask our advisers anything.`,
              `Offer two times: would ${slots[0]} or ${slots[1]} suit you better?`,
              'Confirm: if they agree, record the registration and repeat the time and place; if not, thank them and ask whether they would like invitations to similar events.',
            ].join('\n'),
          },
          materials: [
            { title: { 'zh-CN': '活动议程与讲师介绍', en: 'Agenda and speakers' } },
            { title: { 'zh-CN': `报名登记表(共${String(capacity)}席)`, en: `Registration sheet (${String(capacity)} places)` } },
          ],
        },
      },
      // Task steps do not wait, so both paths arrive here on day `registrationDays` and leave on the day before the event.
      { id: 'wait-event', type: 'wait', label: { 'zh-CN': '等待至活动前一天', en: 'Until the day before' }, duration: { days: inviteDaysBefore - 1 - registrationDays } },
      { id: 'coming', type: 'branch', label: { 'zh-CN': '是否已报名', en: 'Registered?' }, if: registered, then: 'reminder', else: null },
      {
        id: 'reminder',
        type: 'send',
        label: { 'zh-CN': '活动前一天提醒', en: 'Reminder the day before' },
        channel,
        template: {
          id: `event-invitation.${parameters.kind}.reminder`,
          text: marketingText(channel, {
            'zh-CN': `尊敬的{{name}}，温馨提醒：您报名的${name['zh-CN']}将于${date['zh-CN']}按您预约的时段在${place['zh-CN']}举行，期待与您见面。如时间有变，请联系您的理财经理{{managerName}}。`,
            en: `Dear {{name}}, a friendly reminder: the ${name.en} you registered for is on ${date.en} at ${place.en}, at the time you chose. We look forward to seeing you. If your plans change, please let your relationship manager {{managerName}} know.`,
          }),
        },
      },
    ],
    goal: {
      label: { 'zh-CN': `参加${name['zh-CN']}`, en: `Attended the ${name.en}` },
      // Attendance is recorded on the day or shortly after.
      windowDays: inviteDaysBefore + 3,
      criterion: { response: 'attended', atLeast: 1 },
    },
    triggers: [{ type: 'schedule', dates: [inviteDate] }],
    purpose: 'marketing',
  };
}

export const eventInvitationCampaignType = defineCampaignType({ parameters: eventInvitationParametersSchema, plan: planEventInvitation });

export const eventInvitationPlugin = definePlugin({
  id: 'campaign-event-invitation',
  version: '0.1.0',
  displayName: { 'zh-CN': '活动邀约(沙龙、讲座、预约来访)', en: 'Event invitation' },
  description: {
    'zh-CN': '邀请客户参加沙龙、讲座、开放日或到网点预约面谈，提供两个时段供选择，未报名由理财经理邀约，报名者活动前一天提醒。',
    en: 'Invites customers to a salon, talk, open day or branch appointment with two time slots; managers follow up with those not registered, and registered customers get a reminder the day before.',
  },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      {
        id: EVENT_INVITATION_CAMPAIGN_TYPE,
        label: { 'zh-CN': '活动邀约', en: 'Event invitation' },
        description: {
          'zh-CN': '活动前10天(默认)发出邀请，3天未报名由理财经理邀约，报名者活动前一天提醒；客户到场即为达成。',
          en: 'Invitation 10 days ahead (default), a manager invitation after 3 days without registration, a reminder the day before for those registered; the goal is attendance.',
        },
      },
    ],
  },
  activate(context) {
    context.campaignTypes.register(EVENT_INVITATION_CAMPAIGN_TYPE, eventInvitationCampaignType);
  },
});

export default eventInvitationPlugin;
