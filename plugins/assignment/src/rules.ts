// Which rule covers a customer: the basis is the mean of the latest monthly average daily balances
// (日均资产), falling back to today's balance for a customer with no complete month yet.
import type { Customer, ManagerRole } from '@kequn/core';
import type { AllocationRule, AssignmentSettings } from './settings.js';

/** What a rule decides for one customer; `@kequn/books` reads this shape as its allocation target. */
export interface AllocationTarget {
  ruleId: string;
  roles: readonly ManagerRole[];
  basis: number;
}

export function allocationBasis(customer: Customer, windowMonths: number): number {
  const months = customer.assets.monthlyAverages.slice(-windowMonths);
  if (months.length === 0) return customer.assets.currentAum;
  const total = months.reduce((sum, month) => sum + month.averageDailyBalance, 0);
  return total / months.length;
}

export function ruleForBasis(basis: number, rules: readonly AllocationRule[]): AllocationRule | undefined {
  return rules.find((rule) => basis >= rule.minBasis && (rule.maxBasis === undefined || basis < rule.maxBasis));
}

/** The rule and roles for a customer, or undefined when no rule covers them (outside every band). */
export function allocationTargetOf(customer: Customer, settings: AssignmentSettings): AllocationTarget | undefined {
  const basis = allocationBasis(customer, settings.windowMonths);
  const rule = ruleForBasis(basis, settings.rules);
  if (rule === undefined) return undefined;
  return { ruleId: rule.id, roles: rule.roles, basis };
}

/** The policy `@kequn/books` runs allocation with: the rules plus the branch and keep-relationship switches. */
export interface AllocationPolicy {
  targetOf(customer: Customer): AllocationTarget | undefined;
  readonly withinBranch: boolean;
  readonly keepValidRelationships: boolean;
}

export function createAllocationPolicy(settings: AssignmentSettings): AllocationPolicy {
  return {
    targetOf: (customer) => allocationTargetOf(customer, settings),
    withinBranch: settings.withinBranch,
    keepValidRelationships: settings.keepValidRelationships,
  };
}
