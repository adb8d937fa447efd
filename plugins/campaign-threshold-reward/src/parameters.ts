// Parameters of a 达标有礼 campaign. Every default comes from DOMAIN.md §1 ("reach 50k and get a
// reward", 5万达标有礼) and can be changed per campaign.
import { z } from 'zod';
import { localizedTextSchema } from '@kequn/core';

/** AUM attributes the band may be measured on; the average daily balance is the default (not a one-day spike). */
export const aumBases = ['assets.averageDailyAum3m', 'assets.latestMonthAverage', 'assets.currentAum'] as const;

const amount = z.number().finite().positive();

export const thresholdRewardParametersSchema = z
  .strictObject({
    /** The tier bar to reach (CNY). */
    bar: amount.default(50_000),
    /** Customers from this balance up to just below the bar are invited: close enough to make it. */
    lowerBound: amount.default(30_000),
    /** The balance the band is measured on. */
    basis: z.enum(aumBases).default('assets.averageDailyAum3m'),
    /** Days the assets must stay at or above the bar (持有期). */
    holdDays: z.number().int().min(1).max(180).default(30),
    /** Days after enrolment in which reaching and holding the bar counts. */
    windowDays: z.number().int().min(2).max(366).default(60),
    /** What the customer receives, in both languages, phrased to follow "you will receive …". */
    reward: localizedTextSchema.default({
      'zh-CN': '增值权益礼包一份(含优惠购与专属活动名额)',
      en: 'a value-added benefits pack (partner discounts and places at member events)',
    }),
    /** Channel of the invitation and the progress message. */
    channel: z.enum(['sms', 'wecom', 'app_push']).default('sms'),
    /** Days after the invitation before a customer who has not reached the bar gets a manager call. */
    firstFollowUpDays: z.number().int().min(1).max(60).default(7),
    /** Days after the call before checking again. */
    callFollowUpDays: z.number().int().min(1).max(60).default(14),
  })
  .superRefine((parameters, context) => {
    if (parameters.lowerBound >= parameters.bar)
      context.addIssue({ code: 'custom', path: ['lowerBound'], message: `must be below bar (${parameters.bar}), got ${parameters.lowerBound}` });
    if (parameters.windowDays <= parameters.holdDays)
      context.addIssue({ code: 'custom', path: ['windowDays'], message: `must be longer than holdDays (${parameters.holdDays}) so the bar can be reached and held, got ${parameters.windowDays}` });
  });
export type ThresholdRewardParameters = z.output<typeof thresholdRewardParametersSchema>;
