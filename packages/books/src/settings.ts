// Settings of the managed book. Every number is a default from DOMAIN.md §3–§4 that a bank changes.
import { channelKindSchema, isoDate, managerRoleSchema } from '@kequn/core';
import { z } from 'zod';

export const abcdClassIds = ['a', 'b', 'c', 'd'] as const;
export type AbcdClass = (typeof abcdClassIds)[number];

const days = z.number().int().min(1).max(366);

export const booksSettingsSchema = z.object({
  allocation: z
    .object({
      /** Roles whose approval makes an allocation run take effect (营业经理; DOMAIN.md also names the branch head). */
      approverRoles: z.array(managerRoleSchema).min(1).default(['operations_manager', 'branch_head']),
    })
    .prefault({}),
  reclaim: z
    .object({
      /** A managed customer with no effective contact for this many days is flagged for reclaim. */
      noContactDays: days.default(90),
    })
    .prefault({}),
  handoff: z
    .object({
      /** The tier basis (average daily AUM, CNY) at or above which an upgrade opens a hand-off. */
      bar: z.number().finite().positive().default(500_000),
      /** Roles that receive handed-over customers; a customer already with one of them needs no hand-off. */
      receiverRoles: z.array(managerRoleSchema).min(1).default(['vip_wealth_manager']),
      /** Tiers whose upgrade is handed over (提升移交). */
      tiers: z.array(z.string().min(1)).min(1).default(['high_end', 'private']),
      /** Days the receiving manager has to make first contact after approval. */
      firstContactDays: days.default(2),
      /** Count only Monday–Friday that are not holidays towards the SLA. */
      businessDays: z.boolean().default(true),
      /** Public holidays (YYYY-MM-DD) that do not count as business days. */
      holidays: z.array(isoDate).default([]),
      /** Channel of the sender's introduction message. */
      introductionChannel: channelKindSchema.default('sms'),
    })
    .prefault({}),
  contactPlan: z
    .object({
      /** Days between effective contacts per ABCD class. */
      cadenceDays: z
        .object({ a: days.default(7), b: days.default(14), c: days.default(30), d: days.default(90) })
        .prefault({}),
      /** Every managed customer gets an effective contact at least this often (the minimum-contact rule). */
      minimumContactDays: days.default(90),
      /** Follow-ups without a sale after which a customer moves to the low-frequency pool. */
      lowFrequencyAfterFollowUps: z.number().int().min(1).default(5),
      /** A maturing product puts the customer on the plan this many days before the maturity date. */
      maturityLeadDays: days.default(14),
      /** The frequency cap: at most `maxContacts` contacts in any `windowDays` days (avoid fatigue). */
      frequencyCap: z
        .object({ maxContacts: z.number().int().min(1).default(8), windowDays: days.default(30) })
        .prefault({}),
    })
    .prefault({}),
  completeness: z
    .object({
      /** Basis (CNY) from which every customer needs a full file (≥ 500k: 100%). */
      highEndFloor: z.number().finite().positive().default(500_000),
      highEndTarget: z.number().min(0).max(1).default(1),
      /** Basis (CNY) from which 70% of customers need a full file (50k–500k: ≥ 70%). */
      midFloor: z.number().finite().positive().default(50_000),
      midTarget: z.number().min(0).max(1).default(0.7),
      /** Months of average balances that make a transaction history "filled". */
      historyMonths: z.number().int().min(1).max(60).default(3),
    })
    .prefault({}),
  kpi: z
    .object({
      /** Tier floors used to count upgrades and downgrades over a period (the tiering defaults). */
      tierFloors: z
        .array(z.object({ tier: z.string().min(1), floor: z.number().finite().nonnegative() }))
        .min(1)
        .default([
          { tier: 'potential', floor: 0 },
          { tier: 'effective', floor: 10_000 },
          { tier: 'mid', floor: 50_000 },
          { tier: 'high_end', floor: 500_000 },
          { tier: 'private', floor: 6_000_000 },
        ]),
      /** A customer with no transaction in this many days before the period starts counts as dormant. */
      dormantDays: days.default(90),
    })
    .prefault({}),
});
export type BooksSettings = z.infer<typeof booksSettingsSchema>;
export type BooksSettingsInput = z.input<typeof booksSettingsSchema>;
