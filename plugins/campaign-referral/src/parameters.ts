// Parameters of a 推荐计划 (DOMAIN.md §6, §8: the manager's service becomes "social currency"):
// which engaged customers are invited, and the bar a referred friend must reach for the reward.
import { z } from 'zod';
import { localizedTextSchema } from '@kequn/core';

export const referralParametersSchema = z.strictObject({
  /** Engaged customers to invite; by default ABCD classes A and B (@kequn/plugin-abcd). */
  segments: z.array(z.string().min(1)).min(1).default(['a', 'b']),
  /** Customers in these segments are left out (e.g. a complaints watch-list). */
  exclude: z.array(z.string().min(1)).default([]),
  /** A referee qualifies when their assets with the bank reach this (CNY); the referrer is then rewarded. */
  refereeAumAtLeast: z.number().finite().positive().default(50_000),
  /** What the referrer receives, phrased to follow "you will receive …". */
  reward: localizedTextSchema.default({
    'zh-CN': '推荐礼一份(增值权益或积分)',
    en: 'a thank-you gift (value-added benefits or reward points)',
  }),
  /** Channel of the invitation, reminder and thanks. */
  channel: z.enum(['sms', 'wecom', 'app_push']).default('sms'),
  /** Days to wait for a referral before one reminder, and again after it. */
  reminderDays: z.number().int().min(1).max(60).default(14),
  /** Days after enrolment in which a referee must qualify. */
  windowDays: z.number().int().min(1).max(366).default(90),
});
export type ReferralParameters = z.output<typeof referralParametersSchema>;
