import { describe, expect, it } from 'vitest';
import { createSyntheticBank, createTestKernel } from '@kequn/testing';
import type { Customer } from '@kequn/core';
import { allocationTargetOf, assignmentPlugin, assignmentSettingsSchema, ASSIGNMENT_ROLE_ATTRIBUTE, type AssignmentExports } from '../src/index.js';

function withBalances(customer: Customer, balances: readonly number[]): Customer {
  return {
    ...customer,
    assets: { ...customer.assets, monthlyAverages: balances.map((averageDailyBalance, index) => ({ month: `2026-0${index + 1}`, averageDailyBalance })) },
  };
}

describe('allocation rules', () => {
  const settings = assignmentSettingsSchema.parse({});
  const customer = createSyntheticBank({ customers: 1, seed: 3 }).customerAt(0);

  it('sends 50k–500k to a counter wealth manager and 500k and above to a VIP wealth manager', () => {
    expect(allocationTargetOf(withBalances(customer, [60_000, 60_000, 60_000]), settings)).toMatchObject({ ruleId: 'mid-to-counter', roles: ['counter_wealth_manager'] });
    expect(allocationTargetOf(withBalances(customer, [500_000, 500_000, 500_000]), settings)).toMatchObject({ ruleId: 'high-end-to-vip', roles: ['vip_wealth_manager'] });
    expect(allocationTargetOf(withBalances(customer, [49_999, 49_999, 49_999]), settings)).toBeUndefined();
  });

  it('judges the mean of the window, so a one-month spike does not move a customer up', () => {
    expect(allocationTargetOf(withBalances(customer, [100_000, 100_000, 1_000_000]), settings)?.ruleId).toBe('mid-to-counter');
  });

  it('refuses overlapping bands and names both rules', () => {
    const result = assignmentSettingsSchema.safeParse({
      rules: [
        { id: 'low', minBasis: 0, maxBasis: 100_000, roles: ['customer_manager'] },
        { id: 'wide', minBasis: 50_000, roles: ['vip_wealth_manager'] },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"wide" overlaps rule "low"');
  });

  it('contributes the role attribute and exports the policy through the kernel', async () => {
    const test = await createTestKernel({ plugins: [assignmentPlugin], customers: 300, seed: 5 });
    const roles = new Set<unknown>();
    for (let index = 0; index < test.model.table.size; index++) roles.add(test.model.table.value(index, ASSIGNMENT_ROLE_ATTRIBUTE));
    expect(roles).toContain('counter_wealth_manager');
    expect(roles).toContain(null);
    const { policy } = test.kernel.exportsOf<AssignmentExports>('assignment');
    expect(policy.withinBranch).toBe(true);
    expect(test.errors()).toEqual([]);
    await test.dispose();
  });
});
