import { describe, expect, it } from 'vitest';
import { createSyntheticBank } from '../src/index.js';

describe('the synthetic organisation', () => {
  const bank = createSyntheticBank({ customers: 0, branches: 8, managersPerBranch: 12 });

  it('staffs every branch with one head, one operations manager and all customer-facing roles', () => {
    expect(bank.branches).toHaveLength(8);
    for (const branch of bank.branches) {
      const staff = bank.managers.filter((manager) => manager.branchId === branch.id);
      const count = (role: string) => staff.filter((manager) => manager.role === role).length;
      expect(staff).toHaveLength(12);
      expect(count('branch_head')).toBe(1);
      expect(count('operations_manager')).toBe(1);
      expect(count('counter_wealth_manager')).toBeGreaterThanOrEqual(1);
      expect(count('vip_wealth_manager')).toBeGreaterThanOrEqual(1);
      expect(count('customer_manager')).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives wealth managers realistic book capacities', () => {
    for (const manager of bank.managers) {
      if (manager.role === 'counter_wealth_manager')
        expect(manager.capacity).toBeGreaterThanOrEqual(300);
      if (manager.role === 'counter_wealth_manager')
        expect(manager.capacity).toBeLessThanOrEqual(800);
      if (manager.role === 'vip_wealth_manager')
        expect(manager.capacity).toBeGreaterThanOrEqual(150);
      if (manager.role === 'vip_wealth_manager') expect(manager.capacity).toBeLessThanOrEqual(300);
    }
  });

  it('has unique ids and names where they must be unique', () => {
    const unique = (values: readonly string[]) => new Set(values).size === values.length;
    expect(unique(bank.branches.map((branch) => branch.id))).toBe(true);
    expect(unique(bank.managers.map((manager) => manager.id))).toBe(true);
    expect(unique(bank.products.map((product) => product.id))).toBe(true);
    expect(unique(bank.employers.map((employer) => employer.id))).toBe(true);
    expect(unique(bank.employers.map((employer) => employer.name))).toBe(true);
  });

  it('sells the whole shelf a retail bank needs, with principal-protected structured deposits', () => {
    const types = new Set(bank.products.map((product) => product.type));
    for (const type of [
      'demand_deposit',
      'time_deposit',
      'structured_deposit',
      'wealth',
      'fund',
      'insurance',
      'precious_metal',
      'loan',
    ]) {
      expect(types).toContain(type);
    }
    const structured = bank.products.filter((product) => product.type === 'structured_deposit');
    expect(structured.every((product) => product.principalProtected)).toBe(true);
    const wealthRisks = new Set(
      bank.products
        .filter((product) => product.type === 'wealth')
        .map((product) => product.riskLevel),
    );
    expect([...wealthRisks].sort()).toEqual(['R1', 'R2', 'R3', 'R4']);
  });
});
