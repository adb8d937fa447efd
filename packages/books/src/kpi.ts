// Book KPIs over a period, per manager, branch and bank (DOMAIN.md §4 quarterly evaluation):
// contact coverage, cross-sell rate, AUM uplift, tier moves, dormant reactivation and hand-off SLA
// compliance. Facts are gathered one customer at a time, so a bank streams through.
import type { ContactRecord, Customer, CustomerEvent } from '@kequn/core';
import { addDays, localDate } from './calendar.js';
import { isEffective } from './contact-plan.js';
import { entryOf } from './grouping.js';
import type { HandoffCase } from './records.js';
import type { BooksSettings } from './settings.js';

type KpiSettings = BooksSettings['kpi'];

/** Inclusive ISO dates. */
export interface KpiPeriod {
  from: string;
  to: string;
}

export interface CustomerKpiFact {
  customerId: string;
  branchId: string;
  managerId: string | null;
  /** Distinct product types held at the end of the period. */
  productTypes: number;
  /** Average daily balance of the month before the period, and of the period's last month. */
  aumStart: number | null;
  aumEnd: number | null;
  tierMove: 'upgrade' | 'downgrade' | 'none' | null;
  /** Null when no contact data was given (not measured). */
  effectiveContacts: number | null;
  dormantAtStart: boolean | null;
  reactivated: boolean | null;
}

function monthOf(date: string): string {
  return date.slice(0, 7);
}

function previousMonth(month: string): string {
  return monthOf(addDays(`${month}-01`, -1));
}

/** Index of the last month at or before `month`, or -1. */
function lastMonthIndex(customer: Customer, month: string): number {
  const months = customer.assets.monthlyAverages;
  for (let index = months.length - 1; index >= 0; index--) {
    if ((months[index]?.month ?? '') <= month) return index;
  }
  return -1;
}

function basisAt(customer: Customer, index: number): number | null {
  if (index < 0) return null;
  const window = customer.assets.monthlyAverages.slice(Math.max(0, index - 2), index + 1);
  return window.reduce((sum, month) => sum + month.averageDailyBalance, 0) / window.length;
}

function tierRank(basis: number | null, settings: KpiSettings): number | null {
  if (basis === null) return null;
  let rank = 0;
  settings.tierFloors.forEach((floor, index) => {
    if (basis >= floor.floor) rank = index;
  });
  return rank;
}

function tierMove(start: number | null, end: number | null): CustomerKpiFact['tierMove'] {
  if (start === null || end === null) return null;
  if (end > start) return 'upgrade';
  if (end < start) return 'downgrade';
  return 'none';
}

function within(instant: string, from: string, to: string): boolean {
  const date = localDate(instant);
  return date >= from && date <= to;
}

interface ActivityFacts {
  effectiveContacts: number;
  dormantAtStart: boolean;
  reactivated: boolean;
}

function activityFacts(
  events: Iterable<CustomerEvent>,
  contacts: readonly ContactRecord[],
  period: KpiPeriod,
  settings: KpiSettings,
): ActivityFacts {
  const dormantFrom = addDays(period.from, -settings.dormantDays);
  let effectiveContacts = 0;
  let transactedBefore = false;
  let transactedDuring = false;
  for (const event of events) {
    if (
      event.type === 'contact' &&
      isEffective(event.outcome) &&
      within(event.occurredAt, period.from, period.to)
    )
      effectiveContacts += 1;
    if (event.type !== 'transaction') continue;
    if (within(event.occurredAt, dormantFrom, addDays(period.from, -1))) transactedBefore = true;
    if (within(event.occurredAt, period.from, period.to)) transactedDuring = true;
  }
  for (const contact of contacts) {
    if (isEffective(contact.outcome) && within(contact.occurredAt, period.from, period.to))
      effectiveContacts += 1;
  }
  return {
    effectiveContacts,
    dormantAtStart: !transactedBefore,
    reactivated: !transactedBefore && transactedDuring,
  };
}

/**
 * The tier of a customer on a date as a rank (0 = lowest), or null when unknown. Pass the tiering
 * plugin's decision so that KPI tier moves follow the same smoothing as the tiers themselves.
 */
export type TierRankAt = (customer: Customer, isoDate: string) => number | null;

/** The facts of one customer; pass events (and recorded contacts) to measure contacts and dormancy. */
export function customerKpiFact(
  customer: Customer,
  period: KpiPeriod,
  settings: KpiSettings,
  activity?: { events: Iterable<CustomerEvent>; contacts?: readonly ContactRecord[] },
  tierRankAt?: TierRankAt,
): CustomerKpiFact {
  const startIndex = lastMonthIndex(customer, previousMonth(monthOf(period.from)));
  const endIndex = lastMonthIndex(customer, monthOf(period.to));
  const move =
    tierRankAt === undefined
      ? tierMove(
          tierRank(basisAt(customer, startIndex), settings),
          tierRank(basisAt(customer, endIndex), settings),
        )
      : tierMove(tierRankAt(customer, addDays(period.from, -1)), tierRankAt(customer, period.to));
  const startMonth = startIndex < 0 ? undefined : customer.assets.monthlyAverages[startIndex];
  const endMonth = endIndex < 0 ? undefined : customer.assets.monthlyAverages[endIndex];
  const facts =
    activity === undefined
      ? undefined
      : activityFacts(activity.events, activity.contacts ?? [], period, settings);
  return {
    customerId: customer.id,
    branchId: customer.branchId,
    managerId: customer.relationshipManagerId,
    productTypes: new Set(customer.holdings.map((holding) => holding.productType)).size,
    aumStart: startMonth?.averageDailyBalance ?? null,
    aumEnd: endMonth?.averageDailyBalance ?? null,
    tierMove: move,
    effectiveContacts: facts?.effectiveContacts ?? null,
    dormantAtStart: facts?.dormantAtStart ?? null,
    reactivated: facts?.reactivated ?? null,
  };
}

export interface KpiFigures {
  customers: number;
  /** Share of customers with at least one effective contact in the period; null when not measured. */
  contactCoverage: number | null;
  /** Distinct product types per customer (交叉销售率). */
  crossSellRate: number | null;
  aumStart: number;
  aumEnd: number;
  /** (end − start) / start over customers with both balances (总资产提升率). */
  aumUplift: number | null;
  upgrades: number;
  downgrades: number;
  dormantAtStart: number;
  reactivated: number;
  dormantReactivationRate: number | null;
  handoffsDue: number;
  handoffsWithinSla: number;
  handoffSlaCompliance: number | null;
}

interface Counts {
  customers: number;
  measured: number;
  covered: number;
  productTypes: number;
  aumStart: number;
  aumEnd: number;
  upgrades: number;
  downgrades: number;
  dormantAtStart: number;
  reactivated: number;
  handoffsDue: number;
  handoffsWithinSla: number;
}

function emptyCounts(): Counts {
  return {
    customers: 0,
    measured: 0,
    covered: 0,
    productTypes: 0,
    aumStart: 0,
    aumEnd: 0,
    upgrades: 0,
    downgrades: 0,
    dormantAtStart: 0,
    reactivated: 0,
    handoffsDue: 0,
    handoffsWithinSla: 0,
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function toFigures(counts: Counts): KpiFigures {
  return {
    customers: counts.customers,
    contactCoverage: ratio(counts.covered, counts.measured),
    crossSellRate: ratio(counts.productTypes, counts.customers),
    aumStart: counts.aumStart,
    aumEnd: counts.aumEnd,
    aumUplift: counts.aumStart === 0 ? null : (counts.aumEnd - counts.aumStart) / counts.aumStart,
    upgrades: counts.upgrades,
    downgrades: counts.downgrades,
    dormantAtStart: counts.dormantAtStart,
    reactivated: counts.reactivated,
    dormantReactivationRate: ratio(counts.reactivated, counts.dormantAtStart),
    handoffsDue: counts.handoffsDue,
    handoffsWithinSla: counts.handoffsWithinSla,
    handoffSlaCompliance: ratio(counts.handoffsWithinSla, counts.handoffsDue),
  };
}

function addFact(counts: Counts, fact: CustomerKpiFact): void {
  counts.customers += 1;
  counts.productTypes += fact.productTypes;
  if (fact.aumStart !== null && fact.aumEnd !== null) {
    counts.aumStart += fact.aumStart;
    counts.aumEnd += fact.aumEnd;
  }
  if (fact.tierMove === 'upgrade') counts.upgrades += 1;
  if (fact.tierMove === 'downgrade') counts.downgrades += 1;
  if (fact.effectiveContacts !== null) {
    counts.measured += 1;
    if (fact.effectiveContacts > 0) counts.covered += 1;
  }
  if (fact.dormantAtStart === true) counts.dormantAtStart += 1;
  if (fact.reactivated === true) counts.reactivated += 1;
}

export interface KpiReport {
  period: KpiPeriod;
  bank: KpiFigures;
  byBranch: Map<string, KpiFigures>;
  byManager: Map<string, KpiFigures>;
}

/** Adds customer facts and hand-off cases; `report()` turns the sums into figures. */
export class KpiTally {
  readonly #bank = emptyCounts();
  readonly #branches = new Map<string, Counts>();
  readonly #managers = new Map<string, Counts>();

  constructor(readonly period: KpiPeriod) {}

  addCustomer(fact: CustomerKpiFact): void {
    for (const counts of this.#groups(fact.branchId, fact.managerId)) addFact(counts, fact);
  }

  /** A case counts when its first-contact deadline falls in the period; it is met if contact came in time. */
  addHandoff(handoff: HandoffCase): void {
    const due = handoff.firstContactDue;
    if (due === undefined || due < this.period.from || due > this.period.to) return;
    for (const counts of this.#groups(handoff.branchId, handoff.receiverId ?? null)) {
      counts.handoffsDue += 1;
      if (handoff.firstContact?.withinSla === true) counts.handoffsWithinSla += 1;
    }
  }

  report(): KpiReport {
    const convert = (map: Map<string, Counts>) =>
      new Map(
        [...map]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([id, counts]) => [id, toFigures(counts)]),
      );
    return {
      period: this.period,
      bank: toFigures(this.#bank),
      byBranch: convert(this.#branches),
      byManager: convert(this.#managers),
    };
  }

  #groups(branchId: string, managerId: string | null): Counts[] {
    const groups = [this.#bank, entryOf(this.#branches, branchId, emptyCounts)];
    if (managerId !== null) groups.push(entryOf(this.#managers, managerId, emptyCounts));
    return groups;
  }
}
