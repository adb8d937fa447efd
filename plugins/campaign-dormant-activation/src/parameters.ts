// Parameters of a 休眠客户激活 campaign (DOMAIN.md §6): who is dormant comes from the dormant plugin's
// segment; the campaign sets the rhythm of invitation, call and care.
import { z } from 'zod';
import { isoDate } from '@kequn/core';
import { DORMANT_SEGMENT } from '@kequn/plugin-dormant';

export const dormantActivationParametersSchema = z.strictObject({
  /** Segments to activate: the dormant plugin's segment, or a bank's own narrower ones. */
  segments: z.array(z.string().min(1)).min(1).default([DORMANT_SEGMENT]),
  /** Channel of the invitation, reminder and care messages. */
  channel: z.enum(['sms', 'wecom', 'app_push']).default('sms'),
  /** Days after the call before checking whether the customer is active again. */
  followUpDays: z.number().int().min(1).max(60).default(14),
  /** Transactions within the window that make a customer active again. */
  minTransactions: z.number().int().min(1).max(100).default(1),
  /** Days after enrolment in which the activity counts. */
  windowDays: z.number().int().min(1).max(366).default(60),
  /** Enrol on these dates (the seasonal rhythm, e.g. each quarter's start); without dates, when the campaign starts. */
  scheduleDates: z.array(isoDate).min(1).optional(),
  /** Also enrol customers the day they enter a dormant segment. */
  enrolOnSegmentEntry: z.boolean().default(false),
});
export type DormantActivationParameters = z.output<typeof dormantActivationParametersSchema>;
