// Tier decisions: the basis is a rolling mean of monthly average daily balances, and the tier is
// found by replaying the months with hysteresis, so a customer hovering at a boundary does not flap.
import type { Customer, MonthlyAverage } from '@kequn/core';
import { tierIds, type TierId, type TieringSettings } from './settings.js';

export interface TierDecision {
  tier: TierId;
  /** The rolling mean the latest month was judged on (CNY). */
  basis: number;
  /** Consecutive latest months spent below the current tier's floor (a downgrade is pending when > 0). */
  monthsBelow: number;
  /** Consecutive latest months at or above the next tier's floor (an upgrade is pending when > 0). */
  monthsAbove: number;
}

/** The tier a basis falls in, ignoring history. */
export function tierForBasis(basis: number, thresholds: TieringSettings['thresholds']): TierId {
  if (basis >= thresholds.private) return 'private';
  if (basis >= thresholds.high_end) return 'high_end';
  if (basis >= thresholds.mid) return 'mid';
  if (basis >= thresholds.effective) return 'effective';
  return 'potential';
}

function rank(tier: TierId): number {
  return tierIds.indexOf(tier);
}

/** Rolling means of `windowMonths` months, one per month (shorter windows at the start). */
export function rollingBases(history: readonly MonthlyAverage[], windowMonths: number): number[] {
  const bases: number[] = [];
  let sum = 0;
  for (let i = 0; i < history.length; i++) {
    sum += history[i]?.averageDailyBalance ?? 0;
    if (i >= windowMonths) sum -= history[i - windowMonths]?.averageDailyBalance ?? 0;
    bases.push(sum / Math.min(i + 1, windowMonths));
  }
  return bases;
}

/**
 * Replays the monthly history and returns the tier after the last month. With no history the
 * customer is judged on today's balance.
 */
export function decideTier(
  history: readonly MonthlyAverage[],
  currentAum: number,
  settings: TieringSettings,
): TierDecision {
  const bases = history.length === 0 ? [currentAum] : rollingBases(history, settings.windowMonths);
  let tier: TierId | undefined;
  let monthsBelow = 0;
  let monthsAbove = 0;
  for (const basis of bases) {
    const raw = tierForBasis(basis, settings.thresholds);
    if (tier === undefined) {
      tier = raw;
      continue;
    }
    if (rank(raw) < rank(tier)) {
      monthsAbove = 0;
      monthsBelow += 1;
      if (monthsBelow >= settings.downgradeAfterMonths) {
        tier = raw;
        monthsBelow = 0;
      }
    } else if (rank(raw) > rank(tier)) {
      monthsBelow = 0;
      monthsAbove += 1;
      if (monthsAbove >= settings.upgradeAfterMonths) {
        tier = raw;
        monthsAbove = 0;
      }
    } else {
      monthsBelow = 0;
      monthsAbove = 0;
    }
  }
  return {
    tier: tier ?? 'potential',
    basis: bases[bases.length - 1] ?? 0,
    monthsBelow,
    monthsAbove,
  };
}

/**
 * The tier on a given date: only the months that had ended by then count, so a table built
 * "as of" an earlier date shows the tier the customer had then (for migration matrices).
 */
export function decideTierAsOf(customer: Customer, asOf: string, settings: TieringSettings): TierDecision {
  const recorded = customer.assets.monthlyAverages;
  if (recorded.length === 0) return decideTier([], customer.assets.currentAum, settings);
  const lastMonth = asOf.slice(0, 7);
  const history = recorded.filter((entry) => entry.month <= lastMonth);
  // Months on record, but none by then: the customer held nothing with us on that date.
  return decideTier(history, 0, settings);
}

export function directionOf(from: TierId | null, to: TierId): 'upgrade' | 'downgrade' | 'initial' {
  if (from === null) return 'initial';
  return rank(to) > rank(from) ? 'upgrade' : 'downgrade';
}

export function isTierId(value: unknown): value is TierId {
  return typeof value === 'string' && (tierIds as readonly string[]).includes(value);
}
