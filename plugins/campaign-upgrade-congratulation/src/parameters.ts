// Parameters of 升级祝贺与新客户经理介绍 (DOMAIN.md §4 提升移交, §6): which tiers are congratulated,
// on which events, and how soon the new manager must call (the hand-off rule: within 2 days).
import { z } from 'zod';
import { tierIds } from '@kequn/plugin-tiering';

export const upgradeEvents = ['tier_upgrade', 'handoff_approved'] as const;

export const upgradeCongratulationParametersSchema = z.strictObject({
  /** Tiers (segments of @kequn/plugin-tiering) whose new members are congratulated. */
  tiers: z.array(z.enum(tierIds)).min(1).default(['mid', 'high_end', 'private']),
  /** Enrol on a tier upgrade, on an approved hand-off to a new manager, or both. */
  on: z.array(z.enum(upgradeEvents)).min(1).default(['tier_upgrade', 'handoff_approved']),
  /** Channel of the congratulation. */
  channel: z.enum(['sms', 'wecom']).default('sms'),
  /** Working days the new manager has for the welcome call (hand-off rule: 2). */
  callWithinDays: z.number().int().min(1).max(10).default(2),
  /** Days after enrolment in which the customer must be reached. */
  windowDays: z.number().int().min(1).max(60).default(14),
});
export type UpgradeCongratulationParameters = z.output<typeof upgradeCongratulationParametersSchema>;
