// Featured-group settings: each group of DOMAIN.md §2 can be switched off and its signals tuned.
import { z } from 'zod';
import { occupationSchema, productTypeSchema } from '@kequn/core';

const age = z.number().int().min(0).max(130);
const amount = z.number().finite().nonnegative();
const occupations = z.array(occupationSchema);

export const featuredGroupsSettingsSchema = z
  .object({
    executives: z
      .object({
        enabled: z.boolean().default(true),
        occupations: occupations.default(['executive', 'business_owner']),
      })
      .prefault({}),
    elderly: z
      .object({ enabled: z.boolean().default(true), minimumAge: age.default(60) })
      .prefault({}),
    merchants: z
      .object({
        enabled: z.boolean().default(true),
        occupations: occupations.default(['merchant']),
        /** Monthly business settlement (CNY) that marks a trade-settlement customer. */
        minimumMonthlySettlement: amount.default(50_000),
        includePosMerchants: z.boolean().default(true),
      })
      .prefault({}),
    women: z
      .object({ enabled: z.boolean().default(true), minimumAge: age.default(18) })
      .prefault({}),
    rural: z
      .object({
        enabled: z.boolean().default(true),
        occupations: occupations.default(['farmer']),
        includeSeasonalCredit: z.boolean().default(true),
      })
      .prefault({}),
    payroll: z
      .object({ enabled: z.boolean().default(true), minimumMonthlyAmount: amount.default(0) })
      .prefault({}),
    young: z
      .object({
        enabled: z.boolean().default(true),
        minimumAge: age.default(18),
        maximumAge: age.default(35),
        /** Require digital activity (mobile banking) as DOMAIN.md's signal for the young group. */
        requireMobileBanking: z.boolean().default(false),
      })
      .prefault({}),
    structuredDepositSeekers: z
      .object({
        enabled: z.boolean().default(true),
        minimumAge: age.default(50),
        /** Risk profiles that mark a principal-protected preference. */
        riskProfiles: z.array(z.enum(['C1', 'C2', 'C3', 'C4', 'C5'])).default(['C1', 'C2']),
        /** Holding any of these already marks the preference. */
        productTypes: z.array(productTypeSchema).default(['structured_deposit']),
      })
      .prefault({}),
    smallBusinesses: z
      .object({
        enabled: z.boolean().default(true),
        occupations: occupations.default(['individual_business']),
        includeBusinessAccounts: z.boolean().default(true),
      })
      .prefault({}),
  })
  .superRefine((settings, context) => {
    if (settings.young.maximumAge < settings.young.minimumAge) {
      context.addIssue({
        code: 'custom',
        path: ['young', 'maximumAge'],
        message: `must not be below young.minimumAge (${settings.young.minimumAge})`,
      });
    }
  });

export type FeaturedGroupsSettings = z.infer<typeof featuredGroupsSettingsSchema>;
