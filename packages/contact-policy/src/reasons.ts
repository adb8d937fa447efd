// Why a contact was suppressed: a stable code, machine-readable detail, and a sentence in both
// shipped locales that a relationship manager can read out to a customer or an auditor.
import {
  channelKindSchema,
  contactPurposeSchema,
  isoDate,
  isoDateTime,
  localizedTextSchema,
  type ChannelKind,
  type ContactPurpose,
  type LocalizedText,
} from '@kequn/core';
import { z } from 'zod';
import { governedPurposeSchema, marketingPauseSchema } from './settings.js';

export const reasonCodeSchema = z.enum([
  'consent_missing',
  'consent_expired',
  'quiet_hours',
  'frequency_cap',
  'holiday',
  'do_not_contact',
  'higher_priority_campaign',
]);
export type ReasonCode = z.infer<typeof reasonCodeSchema>;

/** Reasons that pass with time: waiting until `retryAt` can lift them. */
export const timeBoundReasonCodes: readonly ReasonCode[] = [
  'quiet_hours',
  'frequency_cap',
  'holiday',
  'higher_priority_campaign',
];

export const doNotContactDetailSchema = z.object({ purpose: contactPurposeSchema });

export const consentMissingDetailSchema = z.object({
  channel: channelKindSchema,
  purpose: contactPurposeSchema,
  /** The consent purposes that would have allowed this contact. */
  accepted: z.array(contactPurposeSchema),
  /** Set when the customer withdrew consent (opt-out) rather than never granting it. */
  withdrawnAt: isoDateTime.optional(),
});

export const consentExpiredDetailSchema = z.object({
  channel: channelKindSchema,
  purpose: contactPurposeSchema,
  /** The purpose of the grant that expired. */
  grantPurpose: contactPurposeSchema,
  expiredAt: isoDateTime,
});

export const quietHoursDetailSchema = z.object({
  channel: channelKindSchema,
  start: z.string(),
  end: z.string(),
  /** The bank's wall-clock time of the request, HH:MM. */
  localTime: z.string(),
  endsAt: isoDateTime,
});

export const holidayDetailSchema = z.object({
  channel: channelKindSchema,
  date: isoDate,
  kind: z.enum(['public_holiday', 'weekend']),
  holiday: z.string().optional(),
  name: localizedTextSchema.optional(),
  pausedOn: marketingPauseSchema,
});

export const frequencyCapDetailSchema = z.object({
  cap: z.string().optional(),
  /** The channel counted; absent when the cap counts every channel. */
  channel: channelKindSchema.optional(),
  purposes: z.array(governedPurposeSchema),
  limit: z.number().int(),
  windowDays: z.number(),
  count: z.number().int(),
  /** When enough counted contacts leave the window for one more to fit. */
  freesAt: isoDateTime,
});

export const higherPriorityCampaignDetailSchema = z.object({
  campaignId: z.string(),
  priority: z.number().int(),
  winningCampaignId: z.string(),
  winningPriority: z.number().int(),
  winningAt: isoDateTime,
  windowHours: z.number(),
  /** `batch`: won in the same arbitrate() call; `history`: already contacted the customer. */
  decidedBy: z.enum(['batch', 'history']),
});

const reason = <Code extends ReasonCode, Detail extends z.ZodType>(code: Code, detail: Detail) =>
  z.object({ code: z.literal(code), detail, message: localizedTextSchema });

export const suppressionReasonSchema = z.discriminatedUnion('code', [
  reason('do_not_contact', doNotContactDetailSchema),
  reason('consent_missing', consentMissingDetailSchema),
  reason('consent_expired', consentExpiredDetailSchema),
  reason('quiet_hours', quietHoursDetailSchema),
  reason('holiday', holidayDetailSchema),
  reason('frequency_cap', frequencyCapDetailSchema),
  reason('higher_priority_campaign', higherPriorityCampaignDetailSchema),
]);
export type SuppressionReason = z.infer<typeof suppressionReasonSchema>;

export const decisionSchema = z.discriminatedUnion('allowed', [
  z.object({ allowed: z.literal(true) }),
  z.object({
    allowed: z.literal(false),
    reasons: z.array(suppressionReasonSchema).min(1),
    /** The earliest instant the same contact would be allowed; absent when waiting cannot help. */
    retryAt: isoDateTime.optional(),
  }),
]);
export type Decision = z.infer<typeof decisionSchema>;

type DetailOf<Code extends ReasonCode> = Extract<SuppressionReason, { code: Code }>['detail'];

const channelNames: Record<ChannelKind, LocalizedText> = {
  sms: { 'zh-CN': '短信', en: 'SMS' },
  wecom: { 'zh-CN': '企业微信', en: 'WeCom' },
  email: { 'zh-CN': '电子邮件', en: 'email' },
  app_push: { 'zh-CN': '手机银行推送', en: 'mobile-banking push' },
  phone: { 'zh-CN': '电话', en: 'phone' },
  branch: { 'zh-CN': '网点', en: 'branch' },
};

const purposeNames: Record<ContactPurpose, LocalizedText> = {
  marketing: { 'zh-CN': '营销', en: 'marketing' },
  service: { 'zh-CN': '服务', en: 'service' },
  transactional: { 'zh-CN': '交易', en: 'transactional' },
};

function names(purposes: readonly ContactPurpose[]): LocalizedText {
  return {
    'zh-CN': purposes.map((purpose) => purposeNames[purpose]['zh-CN']).join('或'),
    en: purposes.map((purpose) => purposeNames[purpose].en).join(' or '),
  };
}

export function doNotContactReason(detail: DetailOf<'do_not_contact'>): SuppressionReason {
  const purpose = purposeNames[detail.purpose];
  return {
    code: 'do_not_contact',
    detail,
    message: {
      'zh-CN': `客户已登记“勿扰”，不得发送${purpose['zh-CN']}类联系。`,
      en: `The customer is on the do-not-contact list; no ${purpose.en} contact may be made.`,
    },
  };
}

export function consentMissingReason(detail: DetailOf<'consent_missing'>): SuppressionReason {
  const channel = channelNames[detail.channel];
  const purpose = purposeNames[detail.purpose];
  const accepted = names(detail.accepted);
  if (detail.withdrawnAt !== undefined) {
    return {
      code: 'consent_missing',
      detail,
      message: {
        'zh-CN': `客户已于 ${detail.withdrawnAt} 撤回${channel['zh-CN']}渠道的${purpose['zh-CN']}类授权。`,
        en: `The customer withdrew consent to ${purpose.en} contact by ${channel.en} at ${detail.withdrawnAt}.`,
      },
    };
  }
  return {
    code: 'consent_missing',
    detail,
    message: {
      'zh-CN': `客户未授权通过${channel['zh-CN']}接收${accepted['zh-CN']}类信息，不能发送${purpose['zh-CN']}类联系。`,
      en: `The customer has not consented to ${accepted.en} contact by ${channel.en}, which a ${purpose.en} contact needs.`,
    },
  };
}

export function consentExpiredReason(detail: DetailOf<'consent_expired'>): SuppressionReason {
  const channel = channelNames[detail.channel];
  const grant = purposeNames[detail.grantPurpose];
  return {
    code: 'consent_expired',
    detail,
    message: {
      'zh-CN': `客户${channel['zh-CN']}渠道的${grant['zh-CN']}类授权已于 ${detail.expiredAt} 到期，请先重新取得授权。`,
      en: `The customer's consent to ${grant.en} contact by ${channel.en} expired at ${detail.expiredAt}; renew it first.`,
    },
  };
}

export function quietHoursReason(detail: DetailOf<'quiet_hours'>): SuppressionReason {
  const channel = channelNames[detail.channel];
  return {
    code: 'quiet_hours',
    detail,
    message: {
      'zh-CN': `当前 ${detail.localTime} 处于${channel['zh-CN']}渠道的免打扰时段（${detail.start}–${detail.end}），最早可于 ${detail.endsAt} 联系。`,
      en: `${detail.localTime} is within the ${channel.en} quiet hours (${detail.start}–${detail.end}); contact from ${detail.endsAt}.`,
    },
  };
}

export function holidayReason(detail: DetailOf<'holiday'>): SuppressionReason {
  const channel = channelNames[detail.channel];
  const day: LocalizedText =
    detail.name === undefined
      ? { 'zh-CN': '周末', en: 'a weekend day' }
      : {
          'zh-CN': `法定节假日（${detail.name['zh-CN']}）`,
          en: `a public holiday (${detail.name.en})`,
        };
  return {
    code: 'holiday',
    detail,
    message: {
      'zh-CN': `${detail.date} 为${day['zh-CN']}，${channel['zh-CN']}渠道暂停营销。`,
      en: `${detail.date} is ${day.en}; marketing by ${channel.en} pauses on such days.`,
    },
  };
}

export function frequencyCapReason(detail: DetailOf<'frequency_cap'>): SuppressionReason {
  const channel: LocalizedText =
    detail.channel === undefined
      ? { 'zh-CN': '所有渠道', en: 'all channels' }
      : channelNames[detail.channel];
  const purposes = names(detail.purposes);
  return {
    code: 'frequency_cap',
    detail,
    message: {
      'zh-CN': `近 ${detail.windowDays} 天已通过${channel['zh-CN']}发送${purposes['zh-CN']}类联系 ${detail.count} 次，达到上限 ${detail.limit} 次，最早可于 ${detail.freesAt} 再次联系。`,
      en: `${detail.count} ${purposes.en} contacts by ${channel.en} in the last ${detail.windowDays} days reach the cap of ${detail.limit}; the next fits from ${detail.freesAt}.`,
    },
  };
}

export function higherPriorityCampaignReason(
  detail: DetailOf<'higher_priority_campaign'>,
): SuppressionReason {
  // At equal priority the earlier contact (then the earlier request of the batch) goes first: the
  // message says so rather than calling the winner higher.
  const tie = detail.winningPriority === detail.priority;
  return {
    code: 'higher_priority_campaign',
    detail,
    message: tie
      ? {
          'zh-CN': `活动 ${detail.winningCampaignId} 与本活动 ${detail.campaignId} 优先级相同（${detail.priority}），其联系在先，${detail.windowHours} 小时内由其联系该客户。`,
          en: `Campaign ${detail.winningCampaignId} has the same priority (${detail.priority}) as ${detail.campaignId} and came first, so it contacts this customer within ${detail.windowHours} hours.`,
        }
      : {
          'zh-CN': `活动 ${detail.winningCampaignId}（优先级 ${detail.winningPriority}）在 ${detail.windowHours} 小时内联系该客户，优先于本活动 ${detail.campaignId}（优先级 ${detail.priority}）。`,
          en: `Campaign ${detail.winningCampaignId} (priority ${detail.winningPriority}) contacts this customer within ${detail.windowHours} hours and takes precedence over ${detail.campaignId} (priority ${detail.priority}).`,
        },
  };
}
