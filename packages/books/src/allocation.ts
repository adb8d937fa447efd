// The allocation run's arithmetic (分配): keep valid relationships, then place everyone else with the
// least-loaded manager of an allowed role in their branch, most valuable customers first. Capacity
// is only exceeded when there is no other way, and then the run says so.
import type { Customer, Manager, ManagerRole } from '@kequn/core';
import type { OverCapacity, Proposal, Unplaced } from './records.js';

/** What an allocation rule decides for one customer (the shape `@kequn/plugin-assignment` produces). */
export interface AllocationTarget {
  ruleId: string;
  /** Allowed roles, preferred first. */
  roles: readonly ManagerRole[];
  /** The tier basis the rule judged (CNY). */
  basis: number;
}

/** The allocation rules as the run sees them; `createAllocationPolicy` of `@kequn/plugin-assignment` builds one. */
export interface AllocationPolicy {
  targetOf(customer: Customer): AllocationTarget | undefined;
  readonly withinBranch: boolean;
  readonly keepValidRelationships: boolean;
}

export interface AllocationCandidate {
  customerId: string;
  branchId: string;
  managerId: string | null;
  /** Undefined when no rule covers the customer: out of scope, left as they are. */
  target: AllocationTarget | undefined;
  /** Managers the customer must not go to, e.g. the one they were reclaimed from. */
  excludedManagerIds?: readonly string[];
}

export interface AllocationOutcome {
  /** One per customer in scope, kept or placed. */
  proposals: Proposal[];
  overCapacity: OverCapacity[];
  unplaced: Unplaced[];
}

export function allocationCandidate(customer: Customer, policy: AllocationPolicy, excludedManagerIds?: readonly string[]): AllocationCandidate {
  return {
    customerId: customer.id,
    branchId: customer.branchId,
    managerId: customer.relationshipManagerId,
    target: policy.targetOf(customer),
    ...(excludedManagerIds === undefined ? {} : { excludedManagerIds }),
  };
}

interface Placement {
  managers: ReadonlyMap<string, Manager>;
  load: Map<string, number>;
  /** Managers per `branch|role` (or `*|role` across branches). */
  pools: ReadonlyMap<string, readonly Manager[]>;
  withinBranch: boolean;
  forced: Set<string>;
}

function poolKey(branchId: string, role: ManagerRole, withinBranch: boolean): string {
  return `${withinBranch ? branchId : '*'}|${role}`;
}

function buildPools(managers: readonly Manager[], withinBranch: boolean): Map<string, Manager[]> {
  const pools = new Map<string, Manager[]>();
  const ordered = [...managers].sort((a, b) => a.id.localeCompare(b.id));
  for (const manager of ordered) {
    const key = poolKey(manager.branchId, manager.role, withinBranch);
    const pool = pools.get(key) ?? [];
    pool.push(manager);
    pools.set(key, pool);
  }
  return pools;
}

function loadOf(placement: Placement, managerId: string): number {
  return placement.load.get(managerId) ?? 0;
}

function addLoad(placement: Placement, managerId: string): void {
  placement.load.set(managerId, loadOf(placement, managerId) + 1);
}

function isValidHolder(manager: Manager | undefined, candidate: AllocationCandidate, target: AllocationTarget, withinBranch: boolean): manager is Manager {
  if (manager === undefined) return false;
  if (!target.roles.includes(manager.role)) return false;
  if (withinBranch && manager.branchId !== candidate.branchId) return false;
  return !(candidate.excludedManagerIds ?? []).includes(manager.id);
}

/** Fill ratio, so a manager with capacity 300 and 150 customers is as full as one with 100 and 50. */
function fill(placement: Placement, manager: Manager): number {
  const load = loadOf(placement, manager.id);
  return manager.capacity === 0 ? Number.POSITIVE_INFINITY : load / manager.capacity;
}

function leastFilled(placement: Placement, managers: readonly Manager[]): Manager | undefined {
  let best: Manager | undefined;
  for (const manager of managers) {
    if (best === undefined || fill(placement, manager) < fill(placement, best)) best = manager;
  }
  return best;
}

function eligible(placement: Placement, candidate: AllocationCandidate, role: ManagerRole): Manager[] {
  const excluded = candidate.excludedManagerIds ?? [];
  const pool = placement.pools.get(poolKey(candidate.branchId, role, placement.withinBranch)) ?? [];
  return pool.filter((manager) => !excluded.includes(manager.id));
}

/** A manager with room in the first role that has one; else the least over-filled of all allowed. */
function chooseManager(placement: Placement, candidate: AllocationCandidate, target: AllocationTarget): { manager: Manager; forced: boolean } | undefined {
  const everyone: Manager[] = [];
  for (const role of target.roles) {
    const pool = eligible(placement, candidate, role);
    everyone.push(...pool);
    const withRoom = pool.filter((manager) => loadOf(placement, manager.id) < manager.capacity);
    const manager = leastFilled(placement, withRoom);
    if (manager !== undefined) return { manager, forced: false };
  }
  const manager = leastFilled(placement, everyone);
  return manager === undefined ? undefined : { manager, forced: true };
}

function byValueThenId(a: AllocationCandidate, b: AllocationCandidate): number {
  const difference = (b.target?.basis ?? 0) - (a.target?.basis ?? 0);
  return difference !== 0 ? difference : a.customerId.localeCompare(b.customerId);
}

function overCapacityReport(placement: Placement): OverCapacity[] {
  const report: OverCapacity[] = [];
  for (const [managerId, load] of placement.load) {
    const manager = placement.managers.get(managerId);
    if (manager === undefined || load <= manager.capacity) continue;
    const forced = placement.forced.has(managerId);
    report.push({
      managerId,
      load,
      capacity: manager.capacity,
      reason: forced ? 'no_capacity_left_for_role_in_branch' : 'existing_book_over_capacity',
      explanation: forced
        ? `Every ${manager.role} in branch ${manager.branchId} was full, so ${managerId} took ${load - manager.capacity} customer(s) over capacity ${manager.capacity}; add a manager or raise capacity.`
        : `${managerId} already held ${load} customers for capacity ${manager.capacity}; their valid relationships were kept. Reclaim or re-balance to bring the book down.`,
    });
  }
  return report.sort((a, b) => a.managerId.localeCompare(b.managerId));
}

/**
 * Proposes who holds each customer. Customers no rule covers keep their manager and count towards
 * that manager's load; every customer a rule covers gets exactly one manager of an allowed role,
 * or is reported as unplaced when the branch has nobody of that role.
 */
export function proposeAllocation(
  candidates: Iterable<AllocationCandidate>,
  managers: readonly Manager[],
  options: { withinBranch: boolean; keepValidRelationships: boolean },
): AllocationOutcome {
  const placement: Placement = {
    managers: new Map(managers.map((manager) => [manager.id, manager])),
    load: new Map(),
    pools: buildPools(managers, options.withinBranch),
    withinBranch: options.withinBranch,
    forced: new Set(),
  };
  const proposals: Proposal[] = [];
  const pending: AllocationCandidate[] = [];
  for (const candidate of candidates) {
    const current = candidate.managerId === null ? undefined : placement.managers.get(candidate.managerId);
    const target = candidate.target;
    if (target === undefined) {
      if (current !== undefined) addLoad(placement, current.id);
      continue;
    }
    if (options.keepValidRelationships && isValidHolder(current, candidate, target, options.withinBranch)) {
      addLoad(placement, current.id);
      proposals.push(proposalOf(candidate, target, current.id, 'kept'));
      continue;
    }
    pending.push(candidate);
  }
  const unplaced: Unplaced[] = [];
  for (const candidate of pending.sort(byValueThenId)) {
    const target = candidate.target;
    if (target === undefined) continue;
    const choice = chooseManager(placement, candidate, target);
    if (choice === undefined) {
      // Nothing changes for an unplaced customer: they stay in their current manager's book, if any.
      if (candidate.managerId !== null && placement.managers.has(candidate.managerId)) addLoad(placement, candidate.managerId);
      unplaced.push({
        customerId: candidate.customerId,
        branchId: candidate.branchId,
        ruleId: target.ruleId,
        reason: 'no_manager_of_role_in_branch',
        explanation: `Branch ${candidate.branchId} has no ${target.roles.join(' or ')} this customer may go to (rule ${target.ruleId}); add one or allow allocation across branches.`,
      });
      continue;
    }
    addLoad(placement, choice.manager.id);
    if (choice.forced) placement.forced.add(choice.manager.id);
    const kind = candidate.managerId === null ? 'assigned' : choice.manager.id === candidate.managerId ? 'kept' : 'moved';
    proposals.push(proposalOf(candidate, target, choice.manager.id, kind));
  }
  return { proposals, overCapacity: overCapacityReport(placement), unplaced };
}

function proposalOf(candidate: AllocationCandidate, target: AllocationTarget, managerId: string, kind: Proposal['kind']): Proposal {
  return {
    customerId: candidate.customerId,
    branchId: candidate.branchId,
    fromManagerId: candidate.managerId,
    toManagerId: managerId,
    ruleId: target.ruleId,
    kind,
    basis: target.basis,
  };
}
