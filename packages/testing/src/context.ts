// Everything a customer's generation shares with every other customer of the same bank, worked out
// once: the calendar window, the organisation and the product shelf.
import type { Branch, Manager, ManagerRole, Product } from '@kequn/core';
import { SECONDS_PER_DAY, dayOf, firstDayOfMonth, formatMonth, monthOfDay } from './calendar.js';
import type { BranchSite, Employer } from './organisation.js';
import { ProductShelf } from './wealth.js';

/** The behaviour window: twelve calendar months ending with the month of `asOf`. */
export const WINDOW_MONTHS = 12;

export interface GenerationContext {
  seed: number;
  customerCount: number;
  asOfDay: number;
  /** Last second of `asOf`, China time: nothing happens after it. */
  asOfEndSecond: number;
  /** First day of each window month, plus the day after the window's last month. */
  monthStartDays: readonly number[];
  monthLabels: readonly string[];
  sites: readonly BranchSite[];
  employers: readonly Employer[];
  publicEmployers: readonly Employer[];
  enterpriseEmployers: readonly Employer[];
  shelf: ProductShelf;
  managersOf(branchId: string, role: ManagerRole): readonly Manager[];
}

export interface ContextInput {
  seed: number;
  customerCount: number;
  asOf: string;
  sites: readonly BranchSite[];
  managers: readonly Manager[];
  employers: readonly Employer[];
  products: readonly Product[];
}

export function createGenerationContext(input: ContextInput): GenerationContext {
  const asOfDay = dayOf(input.asOf);
  const latestMonth = monthOfDay(asOfDay);
  const firstMonth = latestMonth - WINDOW_MONTHS + 1;
  const monthStartDays: number[] = [];
  const monthLabels: string[] = [];
  for (let month = firstMonth; month <= latestMonth + 1; month++) {
    monthStartDays.push(firstDayOfMonth(month));
    if (month <= latestMonth) monthLabels.push(formatMonth(month));
  }
  const managersByKey = groupManagers(input.managers);
  return {
    seed: input.seed,
    customerCount: input.customerCount,
    asOfDay,
    asOfEndSecond: (asOfDay + 1) * SECONDS_PER_DAY - 1,
    monthStartDays,
    monthLabels,
    sites: input.sites,
    employers: input.employers,
    publicEmployers: input.employers.filter((employer) => employer.sector === 'public_institution'),
    enterpriseEmployers: input.employers.filter((employer) => employer.sector === 'enterprise'),
    shelf: new ProductShelf(input.products),
    managersOf: (branchId, role) => managersByKey.get(managerKey(branchId, role)) ?? [],
  };
}

function managerKey(branchId: Branch['id'], role: ManagerRole): string {
  return `${branchId}/${role}`;
}

function groupManagers(managers: readonly Manager[]): Map<string, Manager[]> {
  const byKey = new Map<string, Manager[]>();
  for (const manager of managers) {
    const key = managerKey(manager.branchId, manager.role);
    const group = byKey.get(key) ?? [];
    group.push(manager);
    byKey.set(key, group);
  }
  return byKey;
}

/** First day of the window, i.e. of its oldest month. */
export function windowStartDay(context: GenerationContext): number {
  return context.monthStartDays[0] ?? context.asOfDay;
}

/** First and last second of a window month that lie on or before `asOf`. */
export function monthSpan(context: GenerationContext, position: number): readonly [number, number] {
  const start = (context.monthStartDays[position] ?? context.asOfDay) * SECONDS_PER_DAY;
  const nextStart = (context.monthStartDays[position + 1] ?? context.asOfDay + 1) * SECONDS_PER_DAY;
  return [start, Math.min(nextStart - 1, context.asOfEndSecond)];
}
