// Parameters of a 产品到期再营销 campaign (DOMAIN.md §6): how far ahead of a maturity to call, what
// to offer for re-investment, and which purchases count as keeping the money with the bank.
import { z } from 'zod';
import { localizedTextSchema, productTypeSchema } from '@kequn/core';

export const maturityRemarketingParametersSchema = z
  .strictObject({
    /** Customers whose next deposit or wealth product matures within this many days are enrolled. */
    leadDays: z.number().int().min(1).max(30).default(15),
    /** Only customers with at least this much (CNY) maturing within 30 days; 0 takes every maturity. */
    minMaturingAmount: z.number().finite().nonnegative().default(0),
    /** Re-investment options the manager brings to the call (营销工具包). */
    reinvestmentOptions: z
      .array(localizedTextSchema)
      .min(1)
      .max(10)
      .default([
        { 'zh-CN': '定期存款续存', en: 'Renew as a time deposit' },
        { 'zh-CN': '结构性存款', en: 'Structured deposit' },
        { 'zh-CN': '稳健型理财产品', en: 'Low-risk wealth management product' },
      ]),
    /** Buying one of these product types within the window counts as re-investing. */
    productTypes: z.array(productTypeSchema).min(1).default(['time_deposit', 'structured_deposit', 'wealth', 'fund', 'insurance']),
    /** Channel of the reminder. */
    channel: z.enum(['sms', 'wecom', 'app_push']).default('sms'),
    /** Days after the reminder before a customer who has not re-invested gets a follow-up call. */
    followUpDays: z.number().int().min(1).max(60).default(20),
    /** Days after enrolment in which a purchase counts. */
    windowDays: z.number().int().min(1).max(366).default(45),
    /** Also enrol a customer on the day a product matures (the `maturity` event), to catch money that was not re-invested. */
    enrolOnMaturityEvent: z.boolean().default(true),
  })
  .superRefine((parameters, context) => {
    // The money only becomes free at maturity: a window that ends before it measures nothing.
    if (parameters.windowDays <= parameters.leadDays)
      context.addIssue({ code: 'custom', path: ['windowDays'], message: `must be longer than leadDays (${parameters.leadDays}) so purchases after the maturity count, got ${parameters.windowDays}` });
  });
export type MaturityRemarketingParameters = z.output<typeof maturityRemarketingParametersSchema>;
