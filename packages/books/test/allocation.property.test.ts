import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Manager, ManagerRole } from '@kequn/core';
import { proposeAllocation, type AllocationCandidate } from '../src/index.js';

const roles: readonly ManagerRole[] = ['counter_wealth_manager', 'vip_wealth_manager'];
const branches = ['BR1', 'BR2'];

const managerArbitrary = fc.record({
  role: fc.constantFrom<ManagerRole>('counter_wealth_manager', 'vip_wealth_manager', 'customer_manager'),
  branchId: fc.constantFrom(...branches),
  capacity: fc.integer({ min: 0, max: 6 }),
});

function bankArbitrary() {
  return fc.array(managerArbitrary, { minLength: 0, maxLength: 8 }).chain((drafts) => {
    const managers: Manager[] = drafts.map((draft, index) => ({ ...draft, id: `M${index}`, name: `M${index}` }));
    const managerIds = managers.map((manager) => manager.id);
    const candidate = fc.record({
      branchId: fc.constantFrom(...branches),
      managerId: managerIds.length === 0 ? fc.constant(null) : fc.option(fc.constantFrom(...managerIds), { nil: null }),
      inScope: fc.boolean(),
      role: fc.constantFrom(...roles),
      basis: fc.integer({ min: 50_000, max: 5_000_000 }),
    });
    return fc.record({ managers: fc.constant(managers), drafts: fc.array(candidate, { maxLength: 40 }), keep: fc.boolean() });
  });
}

describe('an allocation run', () => {
  it('gives every customer in scope exactly one manager of an allowed role, and exceeds capacity only with a reason', () => {
    fc.assert(
      fc.property(bankArbitrary(), ({ managers, drafts, keep }) => {
        const candidates: AllocationCandidate[] = drafts.map((draft, index) => ({
          customerId: `C${String(index).padStart(3, '0')}`,
          branchId: draft.branchId,
          managerId: draft.managerId,
          target: draft.inScope ? { ruleId: `rule-${draft.role}`, roles: [draft.role], basis: draft.basis } : undefined,
        }));
        const outcome = proposeAllocation(candidates, managers, { withinBranch: true, keepValidRelationships: keep });
        const byId = new Map(managers.map((manager) => [manager.id, manager]));
        const final = new Map<string, string | null>(candidates.map((candidate) => [candidate.customerId, candidate.managerId]));
        const proposed = new Map<string, number>();
        for (const proposal of outcome.proposals) {
          proposed.set(proposal.customerId, (proposed.get(proposal.customerId) ?? 0) + 1);
          final.set(proposal.customerId, proposal.toManagerId);
        }
        const unplaced = new Set(outcome.unplaced.map((entry) => entry.customerId));
        for (const candidate of candidates) {
          if (candidate.target === undefined) {
            expect(proposed.has(candidate.customerId)).toBe(false);
            continue;
          }
          if (unplaced.has(candidate.customerId)) {
            const anyone = managers.some((manager) => manager.branchId === candidate.branchId && candidate.target?.roles.includes(manager.role));
            expect(anyone).toBe(false);
            expect(proposed.has(candidate.customerId)).toBe(false);
            continue;
          }
          expect(proposed.get(candidate.customerId)).toBe(1);
          const holder = byId.get(final.get(candidate.customerId) ?? '');
          expect(holder).toBeDefined();
          expect(candidate.target.roles).toContain(holder?.role);
          expect(holder?.branchId).toBe(candidate.branchId);
        }
        const loads = new Map<string, number>();
        for (const managerId of final.values()) {
          if (managerId !== null && byId.has(managerId)) loads.set(managerId, (loads.get(managerId) ?? 0) + 1);
        }
        const explained = new Set(outcome.overCapacity.map((entry) => entry.managerId));
        for (const [managerId, load] of loads) {
          const capacity = byId.get(managerId)?.capacity ?? 0;
          if (load > capacity) expect(explained.has(managerId)).toBe(true);
        }
        for (const entry of outcome.overCapacity) expect(entry.load).toBe(loads.get(entry.managerId));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a valid relationship and places the most valuable newcomer with the emptiest manager', () => {
    const managers: Manager[] = [
      { id: 'V1', name: 'V1', role: 'vip_wealth_manager', branchId: 'BR1', capacity: 2 },
      { id: 'V2', name: 'V2', role: 'vip_wealth_manager', branchId: 'BR1', capacity: 2 },
    ];
    const target = { ruleId: 'high-end-to-vip', roles: ['vip_wealth_manager'] as const, basis: 600_000 };
    const outcome = proposeAllocation(
      [
        { customerId: 'C1', branchId: 'BR1', managerId: 'V1', target },
        { customerId: 'C2', branchId: 'BR1', managerId: null, target: { ...target, basis: 900_000 } },
      ],
      managers,
      { withinBranch: true, keepValidRelationships: true },
    );
    expect(outcome.proposals).toEqual([
      expect.objectContaining({ customerId: 'C1', toManagerId: 'V1', kind: 'kept' }),
      expect.objectContaining({ customerId: 'C2', toManagerId: 'V2', kind: 'assigned', ruleId: 'high-end-to-vip' }),
    ]);
    expect(outcome.overCapacity).toEqual([]);
  });

  it('reports why it went over capacity when every manager of the role is full', () => {
    const managers: Manager[] = [{ id: 'V1', name: 'V1', role: 'vip_wealth_manager', branchId: 'BR1', capacity: 1 }];
    const target = { ruleId: 'high-end-to-vip', roles: ['vip_wealth_manager'] as const, basis: 600_000 };
    const outcome = proposeAllocation(
      [
        { customerId: 'C1', branchId: 'BR1', managerId: null, target },
        { customerId: 'C2', branchId: 'BR1', managerId: null, target },
      ],
      managers,
      { withinBranch: true, keepValidRelationships: true },
    );
    expect(outcome.overCapacity).toEqual([expect.objectContaining({ managerId: 'V1', load: 2, capacity: 1, reason: 'no_capacity_left_for_role_in_branch' })]);
  });
});
