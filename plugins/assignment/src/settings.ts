// Allocation rules as configuration (DOMAIN.md §4). Every number is a default a bank changes:
// 50k–500k average daily AUM → counter wealth manager, ≥ 500k → VIP wealth manager.
import { managerRoleSchema } from '@kequn/core';
import { z } from 'zod';

export const allocationRuleSchema = z.object({
  /** Stable id, recorded on every proposal the rule decides, e.g. `mid-to-counter`. */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a rule id is lower-case letters, digits and dashes, e.g. "mid-to-counter"'),
  /** Lowest tier basis (CNY, average daily AUM) the rule covers, inclusive. */
  minBasis: z.number().finite().nonnegative(),
  /** Basis the rule stops at, exclusive; none means no upper bound. */
  maxBasis: z.number().finite().positive().optional(),
  /** Roles allowed to hold these customers; a new assignment goes to the first role that has room. */
  roles: z.array(managerRoleSchema).min(1),
});
export type AllocationRule = z.infer<typeof allocationRuleSchema>;

export const defaultAllocationRules: readonly AllocationRule[] = Object.freeze([
  { id: 'mid-to-counter', minBasis: 50_000, maxBasis: 500_000, roles: ['counter_wealth_manager'] },
  { id: 'high-end-to-vip', minBasis: 500_000, roles: ['vip_wealth_manager'] },
]);

function overlaps(a: AllocationRule, b: AllocationRule): boolean {
  const aEnd = a.maxBasis ?? Number.POSITIVE_INFINITY;
  const bEnd = b.maxBasis ?? Number.POSITIVE_INFINITY;
  return a.minBasis < bEnd && b.minBasis < aEnd;
}

export const assignmentSettingsSchema = z
  .object({
    rules: z.array(allocationRuleSchema).min(1).default(() => defaultAllocationRules.map((rule) => ({ ...rule, roles: [...rule.roles] }))),
    /** Months of average daily balances the basis averages, so a one-month spike does not move a customer. */
    windowMonths: z.number().int().min(1).max(24).default(3),
    /** Customers are served by managers of their own branch. */
    withinBranch: z.boolean().default(true),
    /** A customer whose manager still has an allowed role (and branch) stays with that manager. */
    keepValidRelationships: z.boolean().default(true),
  })
  .superRefine((settings, context) => {
    settings.rules.forEach((rule, index) => {
      if (rule.maxBasis !== undefined && rule.maxBasis <= rule.minBasis) {
        context.addIssue({ code: 'custom', path: ['rules', index, 'maxBasis'], message: `must be above minBasis (${rule.minBasis})` });
      }
      const clash = settings.rules.slice(0, index).find((earlier) => overlaps(earlier, rule));
      if (clash !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['rules', index],
          message: `rule "${rule.id}" overlaps rule "${clash.id}"; give each basis band exactly one rule`,
        });
      }
    });
  });
export type AssignmentSettings = z.infer<typeof assignmentSettingsSchema>;
export type AssignmentSettingsInput = z.input<typeof assignmentSettingsSchema>;
