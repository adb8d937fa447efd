// Data scope: which customers a principal may see. Every handler that touches customer-level data
// goes through here, so "a manager sees only their book" is enforced in one place.
import { rolePolicies, type Principal } from '@kequn/api';
import type { Customer } from '@kequn/core';
import type { BankState } from './state.js';

export type DataScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'branch'; readonly branchId: string }
  | { readonly kind: 'book'; readonly managerId: string }
  | { readonly kind: 'none' };

export function scopeOf(principal: Principal): DataScope {
  const kind = rolePolicies[principal.role].scope;
  if (kind === 'all') return { kind: 'all' };
  if (kind === 'branch' && principal.branchId !== undefined)
    return { kind: 'branch', branchId: principal.branchId };
  if (kind === 'book' && principal.managerId !== undefined)
    return { kind: 'book', managerId: principal.managerId };
  return { kind: 'none' };
}

export function describeScope(scope: DataScope): string {
  switch (scope.kind) {
    case 'all':
      return 'all';
    case 'branch':
      return `branch:${scope.branchId}`;
    case 'book':
      return `book:${scope.managerId}`;
    case 'none':
      return 'none';
  }
}

/** Live rows in scope, in customer-id order. */
export function rowsInScope(state: BankState, scope: DataScope): Uint32Array {
  switch (scope.kind) {
    case 'all':
      return state.rowsOfAll();
    case 'branch':
      return state.rowsOfBranch(scope.branchId);
    case 'book':
      return state.rowsOfManager(scope.managerId);
    case 'none':
      return new Uint32Array(0);
  }
}

export function customerInScope(
  scope: DataScope,
  customer: Pick<Customer, 'branchId' | 'relationshipManagerId'>,
): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'branch':
      return customer.branchId === scope.branchId;
    case 'book':
      return customer.relationshipManagerId === scope.managerId;
    case 'none':
      return false;
  }
}

/** Members of `members` within scope. */
export function countInScope(
  state: BankState,
  scope: DataScope,
  members: { has(index: number): boolean; count(): number } | undefined,
): number {
  if (members === undefined) return 0;
  if (scope.kind === 'all') return members.count();
  let count = 0;
  for (const row of rowsInScope(state, scope)) if (members.has(row)) count += 1;
  return count;
}
